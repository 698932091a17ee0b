/**
 * Cheap looks at C text for rebuilding analysable code from hunks: whether a hunk's section
 * heading is a function header, and how a fragment's braces and comments balance. These read
 * single lines and fragments, never whole files, so they stay heuristic on purpose.
 */

const STATEMENT_KEYWORDS = /^(?:if|for|while|switch|return|else|do|case|goto|sizeof|typedef)\b/;
/** Return type and name before the parameter list, e.g. `static long foo_bar(`. */
const FUNCTION_START = /^[A-Za-z_][\w\s*]*[\s*]\**([A-Za-z_]\w*)\s*\($/;

/**
 * The function header a hunk's section heading names, ready to be followed by ` {`; undefined
 * when the heading is not one (a prototype, a struct, a label, a macro line). git cuts long
 * headings, so an unclosed parameter list is closed here.
 */
export function functionHeaderOf(heading: string): string | undefined {
  let header = heading.trim().replace(/\s*\{$/, '');
  const paren = header.indexOf('(');
  if (paren < 0 || header.startsWith('#') || header.endsWith(';')) return undefined;
  if (STATEMENT_KEYWORDS.test(header) || header.slice(0, paren).includes('=')) return undefined;
  if (!FUNCTION_START.test(header.slice(0, paren + 1))) return undefined;

  const open = countOf(header, '(') - countOf(header, ')');
  if (open < 0) return undefined;
  if (open > 0) header = header.replace(/[\s,]+$/, '') + ')'.repeat(open);
  return header;
}

function countOf(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** How a fragment of C lines nests, ignoring strings, comments and preprocessor lines. */
export interface BraceShape {
  /** Lowest running depth: below zero when the fragment closes blocks it did not open. */
  readonly minDepth: number;
  /** Depth at the end: above zero when blocks are left open. */
  readonly finalDepth: number;
  /**
   * 0-based lines that need a synthetic comment opener before them: comment-body lines
   * (` * text`) whose opener lies outside the hunk, or the first line when a comment closes
   * that never opened.
   */
  readonly commentOpenBefore: readonly number[];
  /** The fragment ends inside a block comment. */
  readonly endsInComment: boolean;
}

interface ScanState {
  depth: number;
  minDepth: number;
  inComment: boolean;
  inMacro: boolean;
  openBefore: number[];
}

/** A line of a comment's body in kernel style: ` * text`, ` *` or the closing ` *` + `/`. */
const COMMENT_BODY = /^\s*\*(?:\s|\/|$)/;

/** Scans a fragment's braces and comments. */
export function scanBraceShape(lines: readonly string[]): BraceShape {
  const state: ScanState = {
    depth: 0,
    minDepth: 0,
    inComment: false,
    inMacro: false,
    openBefore: [],
  };
  lines.forEach((line, index) => {
    if (!state.inComment && !state.inMacro && COMMENT_BODY.test(line)) {
      state.openBefore.push(index);
      state.inComment = true;
    }
    scanLine(line, state);
  });
  return {
    minDepth: state.minDepth,
    finalDepth: state.depth,
    commentOpenBefore: state.openBefore,
    endsInComment: state.inComment,
  };
}

function scanLine(line: string, state: ScanState): void {
  const macro = state.inMacro || (!state.inComment && line.trimStart().startsWith('#'));
  state.inMacro = macro && line.trimEnd().endsWith('\\');
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    const pair = line.slice(i, i + 2);
    if (state.inComment) {
      if (pair === '*/') [state.inComment, i] = [false, i + 1];
    } else if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (pair === '/*') {
      [state.inComment, i] = [true, i + 1];
    } else if (pair === '//') {
      return;
    } else if (pair === '*/') {
      // A comment closes that never opened: the fragment began inside it, so what was
      // counted so far was comment text.
      if (state.openBefore[0] !== 0)
        Object.assign(state, { depth: 0, minDepth: 0, openBefore: [0, ...state.openBefore] });
      i++;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (!macro && (ch === '{' || ch === '}')) {
      state.depth += ch === '{' ? 1 : -1;
      state.minDepth = Math.min(state.minDepth, state.depth);
    }
  }
}

/**
 * True when the first code line of a fragment sits inside a function body. Kernel style puts
 * function definitions and other file-scope code in column 0 and indents statements, so an
 * indented first line, or a closing brace, means the fragment starts inside a body.
 */
export function startsInsideBody(lines: readonly string[]): boolean {
  let inComment = false;
  for (const line of lines) {
    const trimmed = line.trim();
    if (inComment) {
      inComment = !trimmed.includes('*/');
      continue;
    }
    if (
      trimmed === '' ||
      trimmed.startsWith('//') ||
      trimmed.startsWith('#') ||
      trimmed.startsWith('*')
    )
      continue;
    if (trimmed.startsWith('/*')) {
      inComment = !trimmed.includes('*/');
      continue;
    }
    if (/^[A-Za-z_]\w*:(?!:)/.test(trimmed)) continue;
    return /^\s/.test(line) || trimmed.startsWith('}');
  }
  return false;
}
