/**
 * A small C tokenizer for the masking pass.
 *
 * It knows only what masking needs: identifiers, punctuation, literals, and where comments and
 * preprocessor lines are, so that nothing inside them is rewritten.
 */
import type { Span } from './text';

export type TokenKind = 'ident' | 'punct' | 'literal';

export interface Token extends Span {
  readonly kind: TokenKind;
  readonly text: string;
}

export interface Comment extends Span {
  readonly text: string;
}

export interface Directive extends Span {
  /** The directive with line continuations joined, e.g. `#define FOO(x) bar(x)`. */
  readonly text: string;
}

export interface Lexed {
  readonly tokens: Token[];
  readonly comments: Comment[];
  readonly directives: Directive[];
}

const PUNCT3 = new Set(['<<=', '>>=', '...']);
const PUNCT2 = new Set([
  '->',
  '++',
  '--',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '##',
]);

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/** Tokenizes C text; comments and preprocessor lines are returned apart from the tokens. */
export function lex(text: string): Lexed {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const directives: Directive[] = [];
  const n = text.length;
  let i = 0;
  let atLineStart = true;

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      atLineStart = true;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      comments.push({ start: i, end, text: text.slice(i, end) });
      i = end;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = lineEndWithContinuation(text, i);
      comments.push({ start: i, end, text: text.slice(i, end) });
      i = end;
      continue;
    }
    if (c === 35 && atLineStart) {
      i = readDirective(text, i, directives, comments);
      continue;
    }
    atLineStart = false;
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (c === 34 || c === 39) {
      const end = skipQuoted(text, i, c);
      tokens.push({ kind: 'literal', text: text.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < n && (isIdentPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
      tokens.push({ kind: 'literal', text: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const width = PUNCT3.has(three) ? 3 : PUNCT2.has(two) ? 2 : 1;
    tokens.push({ kind: 'punct', text: text.slice(i, i + width), start: i, end: i + width });
    i += width;
  }
  return { tokens, comments, directives };
}

function lineEndWithContinuation(text: string, from: number): number {
  let i = from;
  for (;;) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    let k = nl - 1;
    if (text.charCodeAt(k) === 13) k--;
    if (text.charCodeAt(k) !== 92) return nl;
    i = nl + 1;
  }
}

/** Reads a preprocessor line, with continuations, and records comments inside it. */
function readDirective(text: string, from: number, out: Directive[], comments: Comment[]): number {
  let i = from;
  const n = text.length;
  let body = '';
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) break;
    if (
      c === 92 &&
      (text.charCodeAt(i + 1) === 10 ||
        (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10))
    ) {
      i += text.charCodeAt(i + 1) === 13 ? 3 : 2;
      body += ' ';
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      comments.push({ start: i, end, text: text.slice(i, end) });
      body += ' ';
      i = end;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = lineEndWithContinuation(text, i);
      comments.push({ start: i, end, text: text.slice(i, end) });
      i = end;
      continue;
    }
    if (c === 34 || c === 39) {
      const end = skipQuoted(text, i, c);
      body += text.slice(i, end);
      i = end;
      continue;
    }
    body += text[i];
    i++;
  }
  out.push({ start: from, end: i, text: body });
  return i;
}

function skipQuoted(text: string, from: number, quote: number): number {
  let i = from + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i += 2;
      continue;
    }
    if (c === quote) return i + 1;
    if (c === 10) return i;
    i++;
  }
  return i;
}
