/**
 * Edit builders shared by the rules' quick fixes. Every edit keeps the file's indentation and
 * line endings, so an applied fix reads like hand-written kernel code.
 */
import type { FileAnalysis, FunctionAnalysis } from '../analysis/file-analysis';
import type { CallEvent, Stmt } from '../facts/ir';
import { detectEol, spanContains, type Span } from '../parsing/text';
import type { EditDraft } from './rule';

/** The whitespace that starts the line holding `offset`. */
export function indentAt(analysis: FileAnalysis, offset: number): string {
  const line = analysis.lines.lineOf(offset);
  return /^[ \t]*/.exec(analysis.lines.lineText(line))?.[0] ?? '';
}

/** Inserts a line of code above the line holding `offset`, with that line's indentation. */
export function insertLineBefore(analysis: FileAnalysis, offset: number, code: string): EditDraft {
  const line = analysis.lines.lineOf(offset);
  const start = analysis.lines.lineStart(line);
  return {
    span: { start, end: start },
    newText: `${indentAt(analysis, offset)}${code}${detectEol(analysis.text)}`,
  };
}

/** Inserts a line of code below the line holding `offset`. */
export function insertLineAfter(
  analysis: FileAnalysis,
  offset: number,
  code: string,
  indent: string,
): EditDraft {
  const eol = detectEol(analysis.text);
  const line = analysis.lines.lineOf(offset);
  if (line + 1 >= analysis.lines.lineCount) {
    const end = analysis.text.length;
    return { span: { start: end, end }, newText: `${eol}${indent}${code}` };
  }
  const start = analysis.lines.lineStart(line + 1);
  return { span: { start, end: start }, newText: `${indent}${code}${eol}` };
}

/** Removes the statement `call;`: its whole line when nothing else is on it. */
export function removeStatement(analysis: FileAnalysis, call: Span): EditDraft {
  const line = analysis.lines.lineOf(call.start);
  const lineStart = analysis.lines.lineStart(line);
  const lineEnd = analysis.lines.lineEnd(line);
  const rest = analysis.text.slice(call.end, lineEnd);
  const before = analysis.text.slice(lineStart, call.start);
  const semicolon = /^\s*;/.exec(rest);
  if (semicolon && /^\s*$/.test(before) && /^\s*;\s*$/.test(rest)) {
    const next =
      line + 1 < analysis.lines.lineCount
        ? analysis.lines.lineStart(line + 1)
        : analysis.text.length;
    return { span: { start: lineStart, end: next }, newText: '' };
  }
  return {
    span: { start: call.start, end: call.end + (semicolon ? semicolon[0].length : 0) },
    newText: '',
  };
}

/** Renames the callee of a call or loop macro. */
export function renameCallee(event: CallEvent, name: string): EditDraft {
  return { span: event.calleeSpan, newText: name };
}

/** A statement that leaves a span early, and whether it sits directly in a block. */
interface EarlyExit {
  readonly stmt: Extract<Stmt, { kind: 'return' | 'goto' }>;
  readonly inBlock: boolean;
}

function earlyExits(body: Stmt, within: Span, labelsInside: ReadonlySet<string>): EarlyExit[] {
  const out: EarlyExit[] = [];
  const visit = (s: Stmt, inBlock: boolean): void => {
    if (
      (s.kind === 'return' || (s.kind === 'goto' && !labelsInside.has(s.label))) &&
      spanContains(within, s.span)
    ) {
      out.push({ stmt: s, inBlock });
      return;
    }
    if (s.kind === 'block') s.body.forEach((c) => visit(c, true));
    else if (s.kind === 'if') {
      visit(s.then, false);
      if (s.otherwise) visit(s.otherwise, false);
    } else if (s.kind === 'loop' || s.kind === 'switch') visit(s.body, false);
  };
  visit(body, true);
  return out;
}

function labelsWithin(body: Stmt, within: Span): Set<string> {
  const out = new Set<string>();
  const visit = (s: Stmt): void => {
    if (s.kind === 'label' && spanContains(within, s.span)) out.add(s.label);
    if (s.kind === 'block') s.body.forEach(visit);
    else if (s.kind === 'if') {
      visit(s.then);
      if (s.otherwise) visit(s.otherwise);
    } else if (s.kind === 'loop' || s.kind === 'switch') visit(s.body);
  };
  visit(body);
  return out;
}

/**
 * Releases a reader before every return or goto that leaves `within`: a line of its own when
 * the exit sits in a block, braces around it when it is an unbraced branch.
 */
export function unlockBeforeExits(
  analysis: FileAnalysis,
  fn: FunctionAnalysis,
  within: Span,
  unlock: string,
): EditDraft[] {
  const edits: EditDraft[] = [];
  for (const exit of earlyExits(fn.fact.body, within, labelsWithin(fn.fact.body, within))) {
    const span = exit.stmt.span;
    const line = analysis.lines.lineOf(span.start);
    const ownLine = /^\s*$/.test(analysis.text.slice(analysis.lines.lineStart(line), span.start));
    if (exit.inBlock && ownLine) edits.push(insertLineBefore(analysis, span.start, unlock));
    else edits.push(braceAround(analysis, span, unlock));
  }
  return edits;
}

/**
 * Turns an unbraced branch `if (x)\n\treturn y;` into a braced one that runs `code` first,
 * laid out as kernel style wants it.
 */
function braceAround(analysis: FileAnalysis, exit: Span, code: string): EditDraft {
  const eol = detectEol(analysis.text);
  let headerEnd = exit.start;
  while (headerEnd > 0 && /\s/.test(analysis.text[headerEnd - 1])) headerEnd--;
  const sameLine = !analysis.text.slice(headerEnd, exit.start).includes('\n');
  const baseIndent = indentAt(analysis, headerEnd - 1);
  const innerIndent = sameLine ? `${baseIndent}\t` : indentAt(analysis, exit.start);
  const statement = analysis.text.slice(exit.start, exit.end);
  return {
    span: { start: headerEnd, end: exit.end },
    newText: ` {${eol}${innerIndent}${code}${eol}${innerIndent}${statement}${eol}${baseIndent}}`,
  };
}

/** Wraps a statement (a whole loop) in rcu_read_lock()/rcu_read_unlock(), exits included. */
export function wrapInReader(
  analysis: FileAnalysis,
  fn: FunctionAnalysis,
  statement: Span,
): EditDraft[] {
  const indent = indentAt(analysis, statement.start);
  return [
    insertLineBefore(analysis, statement.start, 'rcu_read_lock();'),
    ...unlockBeforeExits(analysis, fn, statement, 'rcu_read_unlock();'),
    insertLineAfter(analysis, statement.end - 1, 'rcu_read_unlock();', indent),
  ];
}

/** Whether the file already uses the cleanup.h guards, so a guard-based fix fits its style. */
export function usesGuards(analysis: FileAnalysis): boolean {
  return /\b(scoped_guard|guard)\s*\(\s*\w+\s*\)/.test(analysis.text);
}

/** Puts a statement (a whole loop) inside `scoped_guard(rcu) { }`, one tab deeper. */
export function wrapInScopedGuard(analysis: FileAnalysis, statement: Span): EditDraft[] {
  const eol = detectEol(analysis.text);
  const first = analysis.lines.lineOf(statement.start);
  const last = analysis.lines.lineOf(statement.end - 1);
  const start = analysis.lines.lineStart(first);
  const end = analysis.lines.lineEnd(last);
  const indent = indentAt(analysis, statement.start);
  const body = analysis.text
    .slice(start, end)
    .split(/\r?\n/)
    .map((line) => (line.trim() === '' ? line : `\t${line}`))
    .join(eol);
  return [
    { span: { start, end }, newText: `${indent}scoped_guard(rcu) {${eol}${body}${eol}${indent}}` },
  ];
}

/** The statement span to wrap for a site: its loop, else the line holding the call. */
export function statementOf(analysis: FileAnalysis, event: CallEvent, loopSpan?: Span): Span {
  if (loopSpan) return loopSpan;
  const line = analysis.lines.lineOf(event.span.start);
  return {
    start: analysis.lines.lineStart(line) + indentAt(analysis, event.span.start).length,
    end: analysis.lines.lineEnd(line),
  };
}
