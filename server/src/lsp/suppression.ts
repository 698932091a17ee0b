/**
 * Quick fixes that silence a finding with a suppression comment (the forms are described in
 * server/src/analysis/suppressions.ts): `ignore` on the line above the finding, or
 * `ignore-function` as the first line of the enclosing function's body.
 */
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver/node';

import type { FunctionSummary } from '../analysis/summaries';
import { detectEol, LineIndex } from '../parsing/text';
import type { Finding } from '../rules/types';

const EXISTING_IGNORE = /^(\s*)\/\*\s*rcu-lens:\s*ignore\s+([\w-]+(?:[\s,]+[\w-]+)*)\s*\*\/\s*$/;

/** The suppression quick fixes for one finding of a C document whose text is `text`. */
export function suppressionActions(
  uri: string,
  text: string,
  finding: Finding,
  functions: readonly FunctionSummary[],
  diagnostic: Diagnostic,
): CodeAction[] {
  const lines = new LineIndex(text);
  const fn = functions.find(
    (f) => f.span.start <= finding.span.start && finding.span.start < f.span.end,
  );
  const actions = [
    action(
      `Ignore ${finding.rule} on this line`,
      uri,
      ignoreLineEdit(lines, finding, fn),
      diagnostic,
    ),
  ];
  const functionEdit = fn ? ignoreFunctionEdit(lines, finding, fn) : undefined;
  if (fn && functionEdit)
    actions.push(action(`Ignore ${finding.rule} in ${fn.name}()`, uri, functionEdit, diagnostic));
  return actions;
}

function action(title: string, uri: string, edit: TextEdit, diagnostic: Diagnostic): CodeAction {
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: false,
    edit: { changes: { [uri]: [edit] } },
  };
}

/**
 * `/* rcu-lens: ignore <rule> *\/` above the finding's line, indented like it; an existing
 * ignore comment there gets the rule added instead. On a function's first header line the
 * comment goes at the end of the line, so it does not come between the function and the
 * comment above it, which may be what puts the function in real mode.
 */
function ignoreLineEdit(
  lines: LineIndex,
  finding: Finding,
  fn: FunctionSummary | undefined,
): TextEdit {
  const line = finding.range.start.line;
  const eol = detectEol(lines.text);
  const above = line > 0 ? EXISTING_IGNORE.exec(lines.lineText(line - 1)) : null;
  if (above) {
    const range = {
      start: { line: line - 1, character: 0 },
      end: { line: line - 1, character: lines.lineText(line - 1).length },
    };
    return {
      range,
      newText: `${above[1]}/* rcu-lens: ignore ${above[2].trim()}, ${finding.rule} */`,
    };
  }
  const comment = `/* rcu-lens: ignore ${finding.rule} */`;
  if (fn && lines.lineOf(fn.span.start) === line) {
    const end = { line, character: lines.lineText(line).length };
    return { range: { start: end, end }, newText: ` ${comment}` };
  }
  const indent = /^[ \t]*/.exec(lines.lineText(line))?.[0] ?? '';
  // Inside a multi-line macro every line must end with a backslash.
  const continuation = line > 0 && /\\\s*$/.test(lines.lineText(line - 1)) ? ' \\' : '';
  const start = { line, character: 0 };
  return { range: { start, end: start }, newText: `${indent}${comment}${continuation}${eol}` };
}

/** `/* rcu-lens: ignore-function <rule> *\/` as the first line inside the function's brace. */
function ignoreFunctionEdit(
  lines: LineIndex,
  finding: Finding,
  fn: FunctionSummary,
): TextEdit | undefined {
  const brace = lines.text.indexOf('{', fn.nameSpan.end);
  if (brace < 0 || brace >= fn.span.end) return undefined;
  const comment = `/* rcu-lens: ignore-function ${finding.rule} */`;
  const braceAt = lines.positionAt(brace);
  const rest = lines.lineText(braceAt.line).slice(braceAt.character + 1);
  if (rest.trim() !== '' || braceAt.line + 1 >= lines.lineCount) {
    const after = { line: braceAt.line, character: braceAt.character + 1 };
    return { range: { start: after, end: after }, newText: ` ${comment}` };
  }
  const start = { line: braceAt.line + 1, character: 0 };
  return {
    range: { start, end: start },
    newText: `${bodyIndent(lines, braceAt.line)}${comment}${detectEol(lines.text)}`,
  };
}

/** The indentation of the first non-blank line after the brace, or one tab deeper than the brace. */
function bodyIndent(lines: LineIndex, braceLine: number): string {
  const braceIndent = /^[ \t]*/.exec(lines.lineText(braceLine))?.[0] ?? '';
  for (let line = braceLine + 1; line < lines.lineCount; line++) {
    const text = lines.lineText(line);
    if (text.trim() === '') continue;
    const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
    return indent.length > braceIndent.length ? indent : `${braceIndent}\t`;
  }
  return `${braceIndent}\t`;
}
