/**
 * Applies a file patch to a file's text in memory, as patch(1) does with fuzz 0: each hunk's
 * context and removed lines must match, but they may sit at an offset from where the header
 * says. Mail archives strip leading whitespace, so a hunk that matches only when whitespace
 * is ignored is applied too, and reported.
 */
import { detectEol } from '../parsing/text';
import type { FilePatch, Hunk, PatchLineMap, PatchProblem } from './model';

/** The new text of a file and how its lines relate to the patch. */
export interface ApplyResult extends PatchLineMap {
  readonly text: string;
  readonly applied: readonly Hunk[];
  readonly failed: readonly Hunk[];
  readonly problems: readonly PatchProblem[];
  /**
   * New line to the line of the original it was kept from (both 1-based): every line outside
   * the hunks and every context line. Added lines have no entry.
   */
  readonly newToOld: ReadonlyMap<number, number>;
}

interface Placement {
  readonly hunk: Hunk;
  /** 0-based index in the original lines where the hunk's old side starts. */
  readonly at: number;
}

interface FileLines {
  readonly lines: string[];
  readonly loose: string[];
}

/**
 * Applies `file` to `original` (undefined or '' for a file that does not exist yet). Hunks
 * that do not match are left out and reported; the others still apply.
 */
export function applyFilePatch(original: string | undefined, file: FilePatch): ApplyResult {
  const text = original ?? '';
  const source = splitFileLines(text);
  const placements: Placement[] = [];
  const failed: Hunk[] = [];
  const problems: PatchProblem[] = [];
  let floor = 0;
  let offset = 0;
  for (const hunk of file.hunks) {
    const found = placeHunk(source, hunk, floor, offset);
    if (!found) {
      failed.push(hunk);
      problems.push({
        line: hunk.headerLine,
        message: `Hunk does not apply to ${file.newPath}: its context and removed lines are not in the file near line ${hunk.oldStart}.`,
      });
      continue;
    }
    if (found.loose) {
      problems.push({
        line: hunk.headerLine,
        message:
          'Hunk applied only when whitespace is ignored; its whitespace differs from the file.',
      });
    }
    placements.push({ hunk, at: found.at });
    floor = found.at + oldSide(hunk).length;
    offset = found.at - expectedIndex(hunk);
  }
  return {
    ...buildText(text, source.lines, placements),
    applied: placements.map((p) => p.hunk),
    failed,
    problems,
  };
}

function splitFileLines(text: string): FileLines {
  const lines = text === '' ? [] : text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (text.endsWith('\n')) lines.pop();
  return { lines, loose: lines.map(looseForm) };
}

function looseForm(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

function oldSide(hunk: Hunk): string[] {
  return hunk.lines.filter((line) => line.kind !== '+').map((line) => line.text);
}

/** Where the header puts the old side: a hunk with no old lines inserts after `oldStart`. */
function expectedIndex(hunk: Hunk): number {
  return hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
}

function placeHunk(
  source: FileLines,
  hunk: Hunk,
  floor: number,
  offset: number,
): { at: number; loose: boolean } | undefined {
  const wanted = oldSide(hunk);
  const expected = Math.max(floor, Math.min(expectedIndex(hunk) + offset, source.lines.length));
  if (wanted.length === 0) return { at: expected, loose: false };
  const exact = searchNear(source.lines, wanted, expected, floor);
  if (exact !== undefined) return { at: exact, loose: false };
  const loose = searchNear(source.loose, wanted.map(looseForm), expected, floor);
  return loose === undefined ? undefined : { at: loose, loose: true };
}

/** Finds `wanted` in `lines` at or after `floor`, trying positions nearest `expected` first. */
function searchNear(
  lines: readonly string[],
  wanted: readonly string[],
  expected: number,
  floor: number,
): number | undefined {
  const last = lines.length - wanted.length;
  const reach = Math.max(expected - floor, last - expected);
  for (let distance = 0; distance <= reach; distance++) {
    for (const at of distance === 0 ? [expected] : [expected - distance, expected + distance]) {
      if (at >= floor && at <= last && matchesAt(lines, wanted, at)) return at;
    }
  }
  return undefined;
}

function matchesAt(lines: readonly string[], wanted: readonly string[], at: number): boolean {
  return wanted.every((line, k) => lines[at + k] === line);
}

type BuiltText = PatchLineMap & { text: string; newToOld: ReadonlyMap<number, number> };

function buildText(
  original: string,
  lines: readonly string[],
  placements: readonly Placement[],
): BuiltText {
  const out: string[] = [];
  const toPatchLine = new Map<number, number>();
  const fromPatchLine = new Map<number, number>();
  const newToOld = new Map<number, number>();
  let cursor = 0;
  // Copies original lines up to `until`, remembering where each came from.
  const keep = (until: number): void => {
    for (; cursor < until; cursor++) newToOld.set(out.push(lines[cursor]), cursor + 1);
  };
  let finalNewline = original === '' || original.endsWith('\n');
  for (const { hunk, at } of placements) {
    keep(at);
    for (const line of hunk.lines) {
      if (line.kind === '-') {
        cursor++;
        continue;
      }
      if (line.kind === ' ') keep(cursor + 1);
      else out.push(line.text);
      toPatchLine.set(out.length, line.patchLine);
      fromPatchLine.set(line.patchLine, out.length);
    }
    if (cursor >= lines.length) finalNewline = !lastNewSideLine(hunk)?.noNewlineAtEnd;
  }
  keep(lines.length);

  const eol = original === '' ? '\n' : detectEol(original);
  const body = out.join(eol);
  return {
    text: out.length > 0 && finalNewline ? body + eol : body,
    toPatchLine,
    fromPatchLine,
    newToOld,
  };
}

function lastNewSideLine(hunk: Hunk) {
  return hunk.lines.filter((line) => line.kind !== '-').at(-1);
}
