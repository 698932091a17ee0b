/**
 * Conditional compilation that splits a statement in a function body.
 *
 * tree-sitter-c parses `#ifdef` blocks that hold whole statements, and the facts treat them as
 * an `if` either way of which may run. It cannot parse a block that continues the statement
 * before it: an `else if` guarded by `#if IS_ENABLED(CONFIG_IPV6)` (vxlan_xmit), or a term of a
 * condition or an argument list guarded by `#ifdef`. The ERROR there swallows the rest of the
 * function. For such blocks with a single branch, blanking the directive lines leaves the C that
 * a kernel with the option enabled compiles, at the same offsets.
 */
import type { Directive, Token } from './lexer';
import type { Span } from './text';

interface Group {
  readonly directives: Directive[];
  /** Brace and parenthesis depth of the tokens before the opening directive. */
  readonly braceDepth: number;
  readonly parenDepth: number;
  /** Index of the first token after the opening directive. */
  readonly firstToken: number;
}

const OPEN = /^#\s*(if|ifdef|ifndef)\b/;
const MIDDLE = /^#\s*(elif|elifdef|elifndef|else)\b/;
const CLOSE = /^#\s*endif\b/;

/** Spans of the directive lines to blank, in source order. */
export function findSplitConditionals(
  tokens: readonly Token[],
  directives: readonly Directive[],
): Span[] {
  const out: Span[] = [];
  const open: Group[] = [];
  let t = 0;
  let braces = 0;
  let parens = 0;
  for (const d of directives) {
    for (; t < tokens.length && tokens[t].start < d.start; t++) {
      const text = tokens[t].text;
      if (text === '{') braces++;
      else if (text === '}') braces--;
      else if (text === '(') parens++;
      else if (text === ')') parens--;
    }
    if (OPEN.test(d.text)) {
      open.push({ directives: [d], braceDepth: braces, parenDepth: parens, firstToken: t });
    } else if (MIDDLE.test(d.text)) {
      open.at(-1)?.directives.push(d);
    } else if (CLOSE.test(d.text)) {
      const group = open.pop();
      if (!group) continue;
      group.directives.push(d);
      if (splitsStatement(group, tokens, t))
        out.push(...group.directives.map(({ start, end }) => ({ start, end })));
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * A single-branch block inside a body, balanced in itself, that continues the statement
 * before it: it starts with `else`, or it sits inside parentheses.
 */
function splitsStatement(group: Group, tokens: readonly Token[], end: number): boolean {
  if (group.directives.length !== 2 || group.braceDepth <= 0 || end === group.firstToken)
    return false;
  if (!isBalanced(tokens, group.firstToken, end)) return false;
  return tokens[group.firstToken].text === 'else' || group.parenDepth > 0;
}

/** Whether the tokens in [from, to) never close more than they opened. */
function isBalanced(tokens: readonly Token[], from: number, to: number): boolean {
  let depth = 0;
  for (let k = from; k < to; k++) {
    const text = tokens[k].text;
    if (text === '{' || text === '(' || text === '[') depth++;
    else if ((text === '}' || text === ')' || text === ']') && --depth < 0) return false;
  }
  return depth === 0;
}
