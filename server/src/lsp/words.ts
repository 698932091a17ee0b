/**
 * The C identifier under a position, read from the document's text: hovers work on names
 * whether or not the analysis saw a site there.
 */
import type { Position, Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';

export interface Word {
  readonly text: string;
  readonly range: Range;
}

const IDENTIFIER_CHAR = /[A-Za-z0-9_]/;

/** The identifier touching `position`, if any. */
export function wordAt(document: TextDocument, position: Position): Word | undefined {
  const line = document.getText({
    start: { line: position.line, character: 0 },
    end: { line: position.line + 1, character: 0 },
  });
  let start = Math.min(position.character, line.length);
  let end = start;
  while (start > 0 && IDENTIFIER_CHAR.test(line[start - 1])) start--;
  while (end < line.length && IDENTIFIER_CHAR.test(line[end])) end++;
  const text = line.slice(start, end);
  if (!/^[A-Za-z_]\w*$/.test(text)) return undefined;
  return {
    text,
    range: {
      start: { line: position.line, character: start },
      end: { line: position.line, character: end },
    },
  };
}

/** True when `position` lies within `range` (end inclusive, as a cursor after a word still hovers it). */
export function rangeContains(range: Range, position: Position): boolean {
  const afterStart =
    position.line > range.start.line ||
    (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd =
    position.line < range.end.line ||
    (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}
