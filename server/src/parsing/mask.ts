/**
 * Same-length rewriting of kernel macro idioms before parsing.
 *
 * tree-sitter-c does not know that `list_for_each_entry_rcu(pos, head, m)` introduces a loop
 * body, nor that `noinstr` is an attribute. Rewriting a loop macro's name to `while` padded
 * with spaces, and blanking attribute macros, gives it real C to parse while keeping every
 * offset, line and column identical (reference/parsing.md measured the gain). The rewrites
 * are recorded, since the names that were blanked are facts too.
 */
import { findSplitConditionals } from './conditionals';
import { lex, type Comment, type Directive, type Token } from './lexer';
import type { Span } from './text';

/** A loop macro whose name was rewritten to `while`. */
export interface MaskedLoop {
  readonly name: string;
  readonly nameSpan: Span;
  /** Span of each argument, without surrounding whitespace. */
  readonly args: readonly Span[];
  /** From the name to the closing parenthesis. */
  readonly span: Span;
}

/** An attribute macro that was blanked, such as `noinstr` or `__must_hold(&lock)`. */
export interface BlankedAttribute {
  readonly name: string;
  /** The argument text of `__must_hold(x)` and kin; empty for bare attributes. */
  readonly argument: string;
  readonly span: Span;
}

export interface MaskResult {
  readonly text: string;
  /** Masked loops, keyed by the offset of the macro name (where `while` now stands). */
  readonly loops: ReadonlyMap<number, MaskedLoop>;
  readonly attributes: readonly BlankedAttribute[];
  readonly comments: readonly Comment[];
  readonly directives: readonly Directive[];
  readonly tokens: readonly Token[];
}

const BARE_ATTRIBUTES = new Set([
  'noinstr',
  'notrace',
  '__always_inline',
  '__init',
  '__exit',
  '__rcu',
  '__user',
  '__iomem',
  '__percpu',
  '__force',
  '__must_check',
  '__cold',
  '__hot',
  '__maybe_unused',
  '__used',
  '__visible',
  'noinline',
  '__noreturn',
  '__cpuidle',
  '__ref',
  '__initdata',
  '__read_mostly',
  '__weak',
  '__sched',
  '__kprobes',
  'nokprobe_inline',
  '__no_kcsan',
  '__no_sanitize_address',
  '__flatten',
  'asmlinkage',
  '__irq_entry',
  '__softirq_entry',
  '__meminit',
  '__net_init',
  '__net_exit',
  '__init_or_module',
  '__ro_after_init',
  '__nocfi',
  '__naked',
  '__latent_entropy',
  '__initconst',
  '__exitdata',
  '__always_unused',
  '__pure',
  '__attribute_const__',
  '__bitwise',
  '__noclone',
  '__no_stack_protector',
  '__cpuinitdata',
  'inline',
]);

/** Attribute macros with one parenthesised argument list. */
const CALL_ATTRIBUTES = new Set([
  '__must_hold',
  '__acquires',
  '__releases',
  '__cond_acquires',
  '__aligned',
  '__section',
  '__printf',
  '__scanf',
  '__malloc',
  '__alloc_size',
  '__counted_by',
  '__nonstring',
]);

/** Attributes that stay in the text because tree-sitter-c parses them as keywords. */
const KEEP_AS_KEYWORD = new Set(['inline']);

const LOOP_NAME = /for_each|FOR_EACH|^scoped_guard$|^do_each_pid_(task|thread)$/;

/** Tokens after which a statement can start. */
const STATEMENT_BOUNDARY = new Set([';', '{', '}', ')', ':', 'else', 'do']);

/** Tokens that end a macro call used as an expression, not as a loop header. */
const EXPRESSION_FOLLOWER = new Set([
  ';',
  ',',
  ')',
  ']',
  '}',
  '?',
  ':',
  '.',
  '->',
  '=',
  '==',
  '!=',
  '&&',
  '||',
  '+',
  '/',
  '%',
  '|',
  '^',
  '<',
  '>',
  '<=',
  '>=',
  '<<',
  '>>',
  '[',
]);

/**
 * Rewrites loop macros and attribute macros in place, same length.
 * `loopNames` adds wrapper iterators defined in the file itself.
 */
export function maskKernelMacros(
  text: string,
  extraLoopNames: ReadonlySet<string> = new Set(),
): MaskResult {
  const { tokens, comments, directives } = lex(text);
  const edits: Edit[] = [];
  const loops = new Map<number, MaskedLoop>();
  const attributes: BlankedAttribute[] = [];
  const wrappers = findLoopWrappers(directives);
  for (const name of extraLoopNames) wrappers.add(name);

  const blank = (from: number, to: number): void => {
    edits.push({ start: from, end: to, text: text.slice(from, to).replace(/[^\r\n]/g, ' ') });
  };

  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok.kind !== 'ident') continue;
    const next = tokens[i + 1];

    if (BARE_ATTRIBUTES.has(tok.text)) {
      attributes.push({ name: tok.text, argument: '', span: { start: tok.start, end: tok.end } });
      if (!KEEP_AS_KEYWORD.has(tok.text)) blank(tok.start, tok.end);
      continue;
    }
    if (CALL_ATTRIBUTES.has(tok.text) && next?.text === '(') {
      const close = matchParen(tokens, i + 1);
      if (close < 0) continue;
      const argument = text.slice(next.end, tokens[close].start).trim();
      attributes.push({
        name: tok.text,
        argument,
        span: { start: tok.start, end: tokens[close].end },
      });
      blank(tok.start, tokens[close].end);
      i = close;
      continue;
    }
    if (tok.text === 'struct' && next?.kind === 'ident' && isBareTypeArgument(tokens, i)) {
      blank(tok.start, tok.end);
      continue;
    }
    if ((LOOP_NAME.test(tok.text) || wrappers.has(tok.text)) && next?.text === '(') {
      const loop = maskLoop(tokens, i, text);
      if (loop && tok.text.length >= 5) {
        loops.set(tok.start, loop);
        edits.push({ start: tok.start, end: tok.end, text: 'while'.padEnd(tok.text.length, ' ') });
      }
    }
  }
  for (const split of findSplitConditionals(tokens, directives)) blank(split.start, split.end);
  edits.sort((a, b) => a.start - b.start);
  return { text: applyEdits(text, edits), loops, attributes, comments, directives, tokens };
}

/** A same-length replacement of one span of the source. */
interface Edit extends Span {
  readonly text: string;
}

/**
 * Builds the masked text in one pass. Edits come in source order and never overlap;
 * rebuilding once keeps masking linear in the file size.
 */
function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const edit of edits) {
    parts.push(text.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

function maskLoop(tokens: readonly Token[], i: number, text: string): MaskedLoop | undefined {
  const prev = tokens[i - 1];
  if (prev && !STATEMENT_BOUNDARY.has(prev.text)) return undefined;
  const close = matchParen(tokens, i + 1);
  if (close < 0) return undefined;
  const after = tokens[close + 1];
  if (!after || EXPRESSION_FOLLOWER.has(after.text)) return undefined;
  const args = splitArguments(tokens, i + 1, close, text);
  const name = tokens[i];
  return {
    name: name.text,
    nameSpan: { start: name.start, end: name.end },
    args,
    span: { start: name.start, end: tokens[close].end },
  };
}

/** Index of the `)` matching the `(` at `open`, or -1. */
export function matchParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k].text;
    if (t === '(') depth++;
    else if (t === ')' && --depth === 0) return k;
    else if ((t === ';' || t === '{' || t === '}') && depth > 0 && k - open > 400) return -1;
  }
  return -1;
}

/** Splits the arguments between parentheses at top-level commas. */
export function splitArguments(
  tokens: readonly Token[],
  open: number,
  close: number,
  text: string,
): Span[] {
  const args: Span[] = [];
  let depth = 0;
  let argStart = -1;
  let argEnd = -1;
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k];
    if (depth === 0 && t.text === ',') {
      args.push(trimSpan(text, argStart, argEnd, t.start));
      argStart = -1;
      continue;
    }
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    if (argStart < 0) argStart = t.start;
    argEnd = t.end;
  }
  if (argStart >= 0 || args.length > 0)
    args.push(trimSpan(text, argStart, argEnd, tokens[close].start));
  return args;
}

function trimSpan(_text: string, start: number, end: number, fallback: number): Span {
  return start < 0 ? { start: fallback, end: fallback } : { start, end };
}

/** `struct x` standing alone as a macro argument, as in `list_entry_rcu(p, struct x, m)`. */
function isBareTypeArgument(tokens: readonly Token[], i: number): boolean {
  const before = tokens[i - 1]?.text;
  const after = tokens[i + 2]?.text;
  return (before === ',' || before === '(') && (after === ',' || after === ')');
}

/** Names of `#define` macros in the file whose body is a loop header. */
function findLoopWrappers(directives: readonly Directive[]): Set<string> {
  const names = new Set<string>();
  for (const d of directives) {
    const m = /^#\s*define\s+(\w+)\s*\(/.exec(d.text);
    if (!m) continue;
    const body = d.text.slice(m[0].length);
    const afterParams = body.slice(body.indexOf(')') + 1);
    // Take the first word and test it apart: a single pattern with `\w*` on both sides of
    // for_each backtracks quadratically on the long register names of generated headers.
    const head = /^\s*(\w+)\s*\(/.exec(afterParams)?.[1];
    if (head && (head === 'for' || /for_each|FOR_EACH/.test(head))) names.add(m[1]);
  }
  return names;
}
