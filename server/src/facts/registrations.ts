/**
 * How a file hands its functions to the rest of the kernel: as members of ops tables
 * (`static const struct net_device_ops x = { .ndo_start_xmit = fn, ... }`), as notifier
 * blocks on atomic chains, and through file-level symbol macros such as NOKPROBE_SYMBOL(fn).
 * The core that calls these functions back often holds a reader for them, so callers the
 * analysis never sees still decide a walk's protection.
 *
 * Read from the masking pass's tokens: initialisers are plain syntax, and a token scan is
 * robust where tree-sitter mis-parses macro-heavy declarations.
 */
import { effectsOf, READER_TOKENS } from '../catalogue/calls';
import type { Token } from '../parsing/lexer';
import type { CallEvent, FunctionFact, RegisteredAs, Stmt } from './ir';

/** One `.field = function` member of a designated initialiser. */
export interface Registration {
  /** The initialised struct type (`net_device_ops`), when the declaration names it. */
  readonly type?: string;
  /** The variable being initialised (`foo_netdev_ops`), when there is one. */
  readonly variable?: string;
  readonly field: string;
  readonly fn: string;
  /** Offset of the `{` that opens this initialiser, grouping members of one table. */
  readonly group: number;
}

export interface FileRegistrations {
  readonly members: readonly Registration[];
  /** Variables registered on an atomic notifier chain (its callbacks run under rcu_read_lock). */
  readonly atomicNotifiers: ReadonlySet<string>;
  /** Function name -> file-level macros naming it: NOKPROBE_SYMBOL, EXPORT_SYMBOL, ... */
  readonly symbolMacros: ReadonlyMap<string, readonly string[]>;
}

const SYMBOL_MACRO = /^(NOKPROBE_SYMBOL|EXPORT_SYMBOL(_GPL)?|EXPORT_SYMBOL_NS(_GPL)?)$/;
const ATOMIC_REGISTER = /^atomic_notifier_chain_register(_unique_prio)?$/;
const NAPI_ADD =
  /^(netif_napi_add|netif_napi_add_weight|netif_napi_add_tx|netif_napi_add_tx_weight)$/;

interface Frame {
  readonly open: number;
  readonly type?: string;
  readonly variable?: string;
}

/** Scans a file's tokens for ops-table members, atomic notifiers and symbol macros. */
export function findRegistrations(tokens: readonly Token[]): FileRegistrations {
  const members: Registration[] = [];
  const atomicNotifiers = new Set<string>();
  const symbolMacros = new Map<string, string[]>();
  const frames: Frame[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.text === '{') frames.push(openFrame(tokens, i, frames.at(-1)));
    else if (t.text === '}') frames.pop();
    else if (t.text === '.' && frames.length > 0) {
      const member = readMember(tokens, i);
      const frame = frames.at(-1) as Frame;
      if (member)
        members.push({
          type: frame.type,
          variable: frame.variable,
          field: member.field,
          fn: member.fn,
          group: frame.open,
        });
    } else if (t.kind === 'ident' && tokens[i + 1]?.text === '(') {
      if (
        SYMBOL_MACRO.test(t.text) &&
        tokens[i + 2]?.kind === 'ident' &&
        tokens[i + 3]?.text === ')'
      ) {
        const list = symbolMacros.get(tokens[i + 2].text) ?? [];
        list.push(t.text);
        symbolMacros.set(tokens[i + 2].text, list);
      } else if (ATOMIC_REGISTER.test(t.text)) {
        const notifier = secondArgument(tokens, i + 1);
        if (notifier) atomicNotifiers.add(notifier);
      } else if (NAPI_ADD.test(t.text)) {
        // netif_napi_add(dev, &napi, poll): the poll function is ->poll of a napi_struct.
        const poll = nthArgument(tokens, i + 1, 2);
        if (poll) members.push({ type: 'napi_struct', field: 'poll', fn: poll, group: t.start });
      }
    }
  }
  return { members, atomicNotifiers, symbolMacros };
}

/**
 * `struct T name[] = {`: the type and variable of an initialiser. Nested braces, and nested
 * members (`.callbacks = { .gro_complete = fn }`), inherit them; `DEFINE_SCHED_CLASS(rt) = {`
 * initialises a `struct sched_class`.
 */
function openFrame(tokens: readonly Token[], open: number, outer: Frame | undefined): Frame {
  const inherited = { open, type: outer?.type, variable: outer?.variable };
  if (tokens[open - 1]?.text !== '=') return inherited;
  if (outer && tokens[open - 3]?.text === '.') return inherited;
  if (tokens[open - 2]?.text === ')') {
    const define = /^DEFINE_(\w+)$/.exec(tokens[open - 5]?.text ?? '');
    if (define && tokens[open - 4]?.text === '(')
      return { open, type: define[1].toLowerCase(), variable: tokens[open - 3]?.text };
  }
  let k = open - 2;
  while (tokens[k]?.text === ']') {
    while (k > 0 && tokens[k].text !== '[') k--;
    k--;
  }
  const variable = tokens[k]?.kind === 'ident' ? tokens[k].text : undefined;
  for (let j = k - 1; j >= Math.max(0, k - 6); j--) {
    if (tokens[j].text === 'struct' && tokens[j + 1]?.kind === 'ident')
      return { open, type: tokens[j + 1].text, variable };
    if (tokens[j].text === ';' || tokens[j].text === '}' || tokens[j].text === '{') break;
  }
  return { open, variable };
}

/** `.field = fn` or `.field = &fn`, followed by `,` or `}`. */
function readMember(
  tokens: readonly Token[],
  dot: number,
): { field: string; fn: string } | undefined {
  const field = tokens[dot + 1];
  if (field?.kind !== 'ident' || tokens[dot + 2]?.text !== '=') return undefined;
  let k = dot + 3;
  if (tokens[k]?.text === '&') k++;
  const fn = tokens[k];
  const after = tokens[k + 1]?.text;
  if (fn?.kind !== 'ident' || (after !== ',' && after !== '}')) return undefined;
  return { field: field.text, fn: fn.text };
}

/** A plain identifier (or `&identifier`) passed as argument `n` (0-based) of a call. */
function nthArgument(tokens: readonly Token[], open: number, n: number): string | undefined {
  let depth = 0;
  let index = 0;
  for (let k = open; k < tokens.length && k < open + 96; k++) {
    const t = tokens[k].text;
    if (t === '(' || t === '[' || t === '{') depth++;
    else if (t === ')' || t === ']' || t === '}') {
      if (--depth === 0) return undefined;
    } else if (t === ',' && depth === 1) {
      if (++index === n) {
        let j = k + 1;
        if (tokens[j]?.text === '&') j++;
        const after = tokens[j + 1]?.text;
        return tokens[j]?.kind === 'ident' && (after === ',' || after === ')')
          ? tokens[j].text
          : undefined;
      }
    }
  }
  return undefined;
}

/** The variable named by `&x` or `&x.y` as the second argument of a call. */
function secondArgument(tokens: readonly Token[], open: number): string | undefined {
  let depth = 0;
  for (let k = open; k < tokens.length && k < open + 64; k++) {
    const t = tokens[k].text;
    if (t === '(') depth++;
    else if (t === ')' && --depth === 0) return undefined;
    else if (t === ',' && depth === 1) {
      let j = k + 1;
      if (tokens[j]?.text === '&') j++;
      return tokens[j]?.kind === 'ident' ? tokens[j].text : undefined;
    }
  }
  return undefined;
}

/** Reader tokens a function releases without taking them, itself or through in-file callees. */
function releasedReaders(
  fn: FunctionFact,
  byName: ReadonlyMap<string, FunctionFact>,
  depth = 1,
): string[] {
  const acquired = new Set<string>();
  const released = new Set<string>();
  for (const ev of eventsOf(fn.body)) {
    for (const effect of effectsOf(
      ev.callee,
      ev.args.map((a) => a.text),
    )) {
      if (effect.kind !== 'acquire' && effect.kind !== 'release') continue;
      if (!READER_TOKENS.has(effect.token) && !effect.token.startsWith('srcu:')) continue;
      (effect.kind === 'acquire' ? acquired : released).add(effect.token);
    }
    const callee = byName.get(ev.callee);
    if (depth > 0 && callee && callee !== fn)
      for (const t of releasedReaders(callee, byName, depth - 1)) released.add(t);
  }
  return [...released].filter((t) => !acquired.has(t));
}

function eventsOf(s: Stmt): CallEvent[] {
  switch (s.kind) {
    case 'block':
      return s.body.flatMap(eventsOf);
    case 'events':
    case 'return':
      return [...s.events];
    case 'if':
      return [...s.events, ...eventsOf(s.then), ...(s.otherwise ? eventsOf(s.otherwise) : [])];
    case 'loop':
    case 'switch':
      return [...s.events, ...eventsOf(s.body)];
    default:
      return [];
  }
}

/** Gives each function the tables it is registered in and the symbol macros naming it. */
export function attachRegistrations(
  functions: readonly FunctionFact[],
  found: FileRegistrations,
): FunctionFact[] {
  const byName = new Map(functions.map((f) => [f.name, f]));
  const groups = new Map<number, Registration[]>();
  for (const m of found.members) {
    if (!byName.has(m.fn)) continue;
    const list = groups.get(m.group) ?? [];
    list.push(m);
    groups.set(m.group, list);
  }
  const registered = new Map<string, RegisteredAs[]>();
  for (const members of groups.values()) {
    const siblings = new Map(
      members.map((m) => [
        m.field,
        { fn: m.fn, releases: releasedReaders(byName.get(m.fn) as FunctionFact, byName) },
      ]),
    );
    for (const m of members) {
      const list = registered.get(m.fn) ?? [];
      list.push({
        type: m.type,
        variable: m.variable,
        field: m.field,
        atomicChain: m.variable !== undefined && found.atomicNotifiers.has(m.variable),
        siblings,
      });
      registered.set(m.fn, list);
    }
  }
  return functions.map((f) => {
    const registeredAs = registered.get(f.name);
    const symbolMacros = found.symbolMacros.get(f.name);
    return registeredAs || symbolMacros ? { ...f, registeredAs, symbolMacros } : f;
  });
}
