/**
 * Path-sensitive protection flow through one function body.
 *
 * Every path carries a concrete protection state; branches fork the set of states, joins
 * union them, loops run their body twice (enough for counts capped at two), gotos carry
 * states to their labels, and returns record the states a path leaves with.
 */
import { effectsOf, READER_TOKENS, type Effect } from '../catalogue/calls';
import { findPrimitive } from '../catalogue/primitives';
import type { CallEvent, FunctionFact, Stmt } from '../facts/ir';
import type { Span } from '../parsing/text';
import {
  addToken,
  baseToken,
  dropTokens,
  removeToken,
  type State,
  StateSet,
  stateKey,
} from './state';
import { guardToken } from '../catalogue/calls';

export interface FunctionExit {
  readonly span: Span;
  readonly states: readonly State[];
  /** True for falling off the end of the body. */
  readonly implicit: boolean;
}

export interface FlowResult {
  /** The states in force just before each event runs. */
  readonly visits: ReadonlyMap<CallEvent, readonly State[]>;
  readonly exits: readonly FunctionExit[];
  /** Releases of a reader that no path had taken. */
  readonly doubleReleases: readonly { readonly event: CallEvent; readonly token: string }[];
}

interface Frame {
  breaks: StateSet;
  continues?: StateSet;
  switchEntry?: StateSet;
}

/** The variable a node argument such as `&k->list` or `&(k)->list` belongs to. */
export function nodeVariable(argument: string): string | undefined {
  const m = /^\s*&?\s*\(?\s*\*?\s*(\w+)\s*\)?\s*(->|\.)/.exec(argument);
  if (m) return m[1];
  const bare = /^\s*\(?\s*(\w+)\s*\)?\s*$/.exec(argument);
  return bare?.[1];
}

class Flow {
  readonly visits = new Map<CallEvent, Map<string, State>>();
  readonly exits: FunctionExit[] = [];
  readonly doubleReleases: { event: CallEvent; token: string }[] = [];
  private readonly frames: Frame[] = [];
  private readonly blocks: number[] = [];
  private labels = new Map<string, StateSet>();
  private visitedLabels = new Set<string>();
  backwardGoto = false;

  constructor(
    private readonly text?: string,
    private readonly localEffects: ReadonlyMap<string, readonly Effect[]> = new Map(),
  ) {}

  runFunction(fn: FunctionFact, entry: State): void {
    const seeded = this.labels;
    for (let pass = 0; pass < 2; pass++) {
      this.exits.length = 0;
      this.visitedLabels = new Set();
      this.backwardGoto = false;
      if (pass > 0) this.labels = seeded;
      const out = this.stmt(fn.body, StateSet.of(entry));
      this.exits.push({
        span: { start: fn.body.span.end - 1, end: fn.body.span.end },
        states: out.states(),
        implicit: true,
      });
      if (!this.backwardGoto) break;
    }
  }

  private stmt(s: Stmt, input: StateSet): StateSet {
    if (input.isEmpty && s.kind !== 'label' && s.kind !== 'case' && s.kind !== 'block')
      return input;
    switch (s.kind) {
      case 'block':
        return this.block(s, input);
      case 'events': {
        const out = this.events(s.events, input);
        const assigned = this.text ? assignedNames(this.text.slice(s.span.start, s.span.end)) : [];
        return assigned.length === 0
          ? out
          : out.map((st) =>
              dropTokens(
                st,
                (t) =>
                  t.startsWith('if') &&
                  assigned.some((name) => new RegExp(`\\b${name}\\b`).test(t)),
              ),
            );
      }
      case 'if':
        return this.ifStmt(s, input);
      case 'loop':
        return this.loop(s, input);
      case 'switch':
        return this.switchStmt(s, input);
      case 'case': {
        const frame = [...this.frames].reverse().find((f) => f.switchEntry);
        const out = new StateSet();
        out.addAll(input);
        if (frame?.switchEntry) out.addAll(frame.switchEntry);
        return out;
      }
      case 'return': {
        const after = this.events(s.events, input);
        this.exits.push({ span: s.span, states: after.states(), implicit: false });
        return new StateSet();
      }
      case 'goto': {
        const pending = this.labels.get(s.label) ?? new StateSet();
        const before = pending.size;
        pending.addAll(input);
        this.labels.set(s.label, pending);
        if (this.visitedLabels.has(s.label) && pending.size > before) this.backwardGoto = true;
        return new StateSet();
      }
      case 'label': {
        this.visitedLabels.add(s.label);
        const out = new StateSet();
        out.addAll(input);
        const pending = this.labels.get(s.label);
        if (pending) out.addAll(pending);
        return out;
      }
      case 'break': {
        this.frames.at(-1)?.breaks.addAll(input);
        return new StateSet();
      }
      case 'continue': {
        const frame = [...this.frames].reverse().find((f) => f.continues);
        frame?.continues?.addAll(input);
        return new StateSet();
      }
    }
  }

  private block(s: Extract<Stmt, { kind: 'block' }>, input: StateSet): StateSet {
    this.blocks.push(s.span.start);
    let current = input;
    for (const child of s.body) current = this.stmt(child, current);
    this.blocks.pop();
    const suffix = `#g${s.span.start}`;
    return current.map((st) => dropTokens(st, (t) => t.endsWith(suffix)));
  }

  private ifStmt(s: Extract<Stmt, { kind: 'if' }>, input: StateSet): StateSet {
    const afterCondition = this.events(s.events, input);
    const correlated = s.events.length === 0 ? correlationKey(s.condition) : undefined;
    let thenInput = afterCondition;
    let elseInput = afterCondition;
    if (correlated) {
      // The same side-effect-free condition tested twice takes the same branch both times:
      // `if (locked) rcu_read_lock(); ... if (locked) rcu_read_unlock();` is balanced.
      const yes = `if:${correlated}`;
      const no = `if!:${correlated}`;
      thenInput = afterCondition.filterMap((st) => (st.has(no) ? undefined : addToken(st, yes)));
      elseInput = afterCondition.filterMap((st) => (st.has(yes) ? undefined : addToken(st, no)));
    }
    for (const ev of s.events) {
      for (const effect of effectsOf(
        ev.callee,
        ev.args.map((a) => a.text),
      )) {
        if (effect.kind !== 'trylock') continue;
        const negated = new RegExp(`^\\(\\s*!\\s*${ev.callee}\\b`).test(s.condition);
        if (negated) elseInput = elseInput.map((st) => addToken(st, effect.token));
        else thenInput = thenInput.map((st) => addToken(st, effect.token));
      }
    }
    const out = this.stmt(s.then, thenInput);
    out.addAll(s.otherwise ? this.stmt(s.otherwise, elseInput) : elseInput);
    return out;
  }

  private loop(s: Extract<Stmt, { kind: 'loop' }>, input: StateSet): StateSet {
    let head = this.events(s.events, input);
    let guardTok: string | undefined;
    if (s.scopedGuard) {
      const token = guardToken(s.scopedGuard.guardClass, s.scopedGuard.argument);
      if (token) {
        guardTok = `${token}#g${s.span.start}`;
        const taken = guardTok;
        head = head.map((st) => addToken(st, taken));
      }
    }
    const result = new StateSet();
    if (!s.scopedGuard) result.addAll(head);
    let entry = head;
    for (let pass = 0; pass < (s.once ? 1 : 2); pass++) {
      const frame: Frame = { breaks: new StateSet(), continues: new StateSet() };
      this.frames.push(frame);
      const out = this.stmt(s.body, entry);
      this.frames.pop();
      out.addAll(frame.continues ?? new StateSet());
      result.addAll(out);
      result.addAll(frame.breaks);
      const next = new StateSet();
      next.addAll(entry);
      next.addAll(out);
      entry = s.events.length > 0 && !s.scopedGuard ? this.events(s.events, next) : next;
    }
    const suffix = guardTok;
    return suffix ? result.map((st) => dropTokens(st, (t) => t === suffix)) : result;
  }

  private switchStmt(s: Extract<Stmt, { kind: 'switch' }>, input: StateSet): StateSet {
    const entry = this.events(s.events, input);
    const frame: Frame = { breaks: new StateSet(), switchEntry: entry };
    this.frames.push(frame);
    const out = this.stmt(s.body, new StateSet());
    this.frames.pop();
    out.addAll(frame.breaks);
    if (!containsDefault(s.body)) out.addAll(entry);
    return out;
  }

  private events(events: readonly CallEvent[], input: StateSet): StateSet {
    let current = input;
    for (const ev of events) {
      this.record(ev, current);
      current = current.map((st) => this.apply(ev, st));
    }
    return current;
  }

  private record(ev: CallEvent, states: StateSet): void {
    let seen = this.visits.get(ev);
    if (!seen) {
      seen = new Map();
      this.visits.set(ev, seen);
    }
    for (const st of states.states()) {
      const key = stateKey(st);
      if (!seen.has(key) && seen.size < 64) seen.set(key, st);
    }
  }

  private apply(ev: CallEvent, state: State): State {
    const args = ev.args.map((a) => a.text);
    if (ev.guardClass !== undefined) {
      const token = guardToken(ev.guardClass, args[0] ?? '');
      const block = this.blocks.at(-1) ?? 0;
      return token ? addToken(state, `${token}#g${block}`) : state;
    }
    let next = state;
    for (const effect of this.localEffects.get(ev.callee) ?? effectsOf(ev.callee, args)) {
      switch (effect.kind) {
        case 'acquire':
          next = addToken(next, effect.token);
          break;
        case 'release': {
          const removed = removeToken(next, effect.token);
          if (removed) next = removed;
          else if (READER_TOKENS.has(effect.token) || effect.token.startsWith('srcu:')) {
            if (!holdsAny(next, effect.token))
              this.doubleReleases.push({ event: ev, token: effect.token });
          }
          break;
        }
        case 'assert':
          next = addToken(next, `${effect.token}#a`);
          break;
        case 'grace-period':
          next = dropTokens(next, (t) => t.startsWith('del:'));
          break;
        case 'deferred-free':
        case 'free': {
          const variable = nodeVariable(args[effect.argument] ?? '');
          if (variable) next = dropTokens(next, (t) => t.startsWith(`del:${variable}@`));
          break;
        }
        case 'instrumentation':
          next = effect.on ? addToken(next, 'instr') : (removeToken(next, 'instr') ?? next);
          break;
        case 'trylock':
          break;
      }
    }
    const primitive = findPrimitive(ev.callee);
    if (
      primitive?.kind === 'update' &&
      primitive.flavor === 'rcu' &&
      (primitive.op === 'del' || primitive.op === 'replace')
    ) {
      const variable = nodeVariable(args[primitive.nodeArg ?? 0] ?? '');
      if (variable) next = addToken(next, `del:${variable}@${ev.span.start}`);
    }
    return next;
  }
}

/**
 * A condition worth correlating: a preprocessor test, or identifiers, fields, `!` and flag tests
 * with no calls or assignments.
 */
function correlationKey(condition: string): string | undefined {
  const c = condition.replace(/\s+/g, '');
  // Preprocessor conditions have no side effects and one value for the whole compilation.
  if (c.startsWith('#')) return c === '#if' ? undefined : c;
  if (c.length > 80 || /[=(][^)]*\(|\+\+|--|[^=!<>]=[^=]/.test(c.slice(1, -1))) return undefined;
  return /^\([!\w\->.&|]+\)$/.test(c) ? c : undefined;
}

/** Names assigned in a statement's text (`x = ...`, `x += ...`, `x++`). */
function assignedNames(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b(\w+)\s*(?:[+\-*/|&^]?=(?!=)|\+\+|--)/g)) out.push(m[1]);
  return out;
}

function holdsAny(state: State, token: string): boolean {
  for (const t of state.keys()) if (baseToken(t) === token) return true;
  return false;
}

function containsDefault(s: Stmt): boolean {
  if (s.kind === 'case') return s.isDefault;
  if (s.kind === 'block') return s.body.some(containsDefault);
  return false;
}

/** Runs the protection flow through a function from the given entry state. */
export function runFlow(
  fn: FunctionFact,
  entry: State,
  text?: string,
  localEffects?: ReadonlyMap<string, readonly Effect[]>,
): FlowResult {
  const flow = new Flow(text, localEffects);
  flow.runFunction(fn, entry);
  const visits = new Map<CallEvent, State[]>();
  for (const [ev, states] of flow.visits) visits.set(ev, [...states.values()]);
  return { visits, exits: flow.exits, doubleReleases: flow.doubleReleases };
}
