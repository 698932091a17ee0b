/**
 * Moves findings from the text that was analysed (a file with the patch applied, or text
 * rebuilt from hunks) onto the patch file itself. Review passes only the findings a patch
 * introduces (see introduced.ts); each goes on its own line when the patch adds that line,
 * else on an added line among its causes, else on the nearest changed line, with a related
 * item that points at the code it is about.
 */
import { LineIndex, type Position, type Span } from '../parsing/text';
import type { Finding, Fix, Range, Related, TextEdit } from '../rules/types';
import { nearestChangedLine } from './changed-line';
import type { Hunk, HunkLine, PatchLineMap } from './model';

/** The text the analyser saw and how it maps to the patch. */
export interface AnalysedText {
  readonly lines: LineIndex;
  readonly map: PatchLineMap;
  /** The hunks of the file patch the text came from. */
  readonly hunks: readonly Hunk[];
  /** Where the analysed file lives, for evidence on lines the patch does not show. */
  readonly treeFile?: string;
  /** Analysed line to its line in `treeFile`, which holds the file as it was before the patch. */
  readonly newToOld?: ReadonlyMap<number, number>;
}

/** The patch as findings are reported on it. */
export interface PatchText {
  /** The path printed for findings on the patch. */
  readonly file: string;
  readonly lines: LineIndex;
  /** The patch lines without their breaks, for the width of each line's prefix. */
  readonly rawLines: readonly string[];
  readonly hunkLines: ReadonlyMap<number, HunkLine>;
  /** The hunk holding each hunk line, by patch line. */
  readonly hunkOf: ReadonlyMap<number, Hunk>;
}

/** A finding moved onto the changed patch line it belongs to. */
export interface PatchFinding {
  /** The finding in the patch file's coordinates. */
  readonly finding: Finding;
  /** The finding as reported on the analysed text. */
  readonly source: Finding;
  /** 1-based patch line of the added or removed line the finding is placed on. */
  readonly patchLine: number;
}

/** The message of the related item that leads from a changed line to the code it broke. */
export const REAL_LOCATION_MESSAGE =
  'The code this finding is about; it is reported on the changed line that made it wrong.';

/**
 * Relocates a finding the patch introduced onto the patch; undefined only when the file's
 * hunks change nothing it could be placed on.
 */
export function relocateFinding(
  source: Finding,
  analysed: AnalysedText,
  patch: PatchText,
): PatchFinding | undefined {
  const anchor = findAddedAnchor(source, analysed, patch);
  const range = anchor
    ? anchorRange(anchor, analysed, patch)
    : changedLineRange(source, analysed, patch);
  if (!range) return undefined;
  const where = anchor ? [] : realLocation(source, analysed, patch);
  const finding: Finding = {
    ...source,
    file: patch.file,
    range,
    span: toSpan(range, patch),
    related: [
      ...where,
      ...source.related.flatMap((related) =>
        relocateRelated(related, source.file, analysed, patch),
      ),
    ],
    fixes: source.fixes.flatMap((fix) => relocateFix(fix, analysed, patch)),
    causes: source.causes.flatMap((cause) => {
      const mapped = relocateRange(toRange(cause, analysed), analysed, patch);
      return mapped ? [toSpan(mapped, patch)] : [];
    }),
  };
  return { finding, source, patchLine: range.start.line + 1 };
}

function anchorRange(anchor: Range, analysed: AnalysedText, patch: PatchText): Range {
  const start = toPatchPosition(anchor.start, analysed, patch)!;
  const sameLine = anchor.end.line === anchor.start.line;
  const end = sameLine
    ? toPatchPosition(anchor.end, analysed, patch)!
    : { line: start.line, character: patch.rawLines[start.line].length };
  return { start, end };
}

/** The code of the changed line nearest to the finding, after its prefix and indentation. */
function changedLineRange(
  source: Finding,
  analysed: AnalysedText,
  patch: PatchText,
): Range | undefined {
  const changed = nearestChangedLine(source.range.start.line + 1, analysed.hunks, analysed.map);
  if (!changed) return undefined;
  const line = changed.patchLine - 1;
  const raw = patch.rawLines[line] ?? '';
  const prefix = Math.max(0, raw.length - changed.text.length);
  const indent = /^\s*/.exec(changed.text)![0].length;
  return {
    start: { line, character: Math.min(prefix + indent, raw.length) },
    end: { line, character: raw.length },
  };
}

/** A related item at the finding's own place: on the patch when it shows it, else in the tree. */
function realLocation(source: Finding, analysed: AnalysedText, patch: PatchText): Related[] {
  const related = { file: source.file, range: source.range, message: REAL_LOCATION_MESSAGE };
  return relocateRelated(related, source.file, analysed, patch);
}

/** The finding's own range if it touches an added line, else the first cause that does. */
function findAddedAnchor(
  source: Finding,
  analysed: AnalysedText,
  patch: PatchText,
): Range | undefined {
  for (const range of [source.range, ...source.causes.map((cause) => toRange(cause, analysed))]) {
    for (let line = range.start.line; line <= range.end.line; line++) {
      if (!isAddedLine(line, analysed, patch)) continue;
      return line === range.start.line
        ? range
        : {
            start: { line, character: 0 },
            end: { line, character: analysed.lines.lineText(line).length },
          };
    }
  }
  return undefined;
}

function isAddedLine(line: number, analysed: AnalysedText, patch: PatchText): boolean {
  const patchLine = analysed.map.toPatchLine.get(line + 1);
  return patchLine !== undefined && patch.hunkLines.get(patchLine)?.kind === '+';
}

/**
 * The patch position of an analysed position. The hunk line's prefix (`+`, or quoting in a
 * reply) shifts the column; a synthetic line maps to the start of its hunk header.
 */
function toPatchPosition(
  position: Position,
  analysed: AnalysedText,
  patch: PatchText,
): Position | undefined {
  const patchLine = analysed.map.toPatchLine.get(position.line + 1);
  if (patchLine === undefined) return undefined;
  const raw = patch.rawLines[patchLine - 1] ?? '';
  const hunkLine = patch.hunkLines.get(patchLine);
  if (!hunkLine) return { line: patchLine - 1, character: 0 };
  const prefix = Math.max(0, raw.length - hunkLine.text.length);
  return { line: patchLine - 1, character: Math.min(position.character + prefix, raw.length) };
}

function relocateRange(range: Range, analysed: AnalysedText, patch: PatchText): Range | undefined {
  const start = toPatchPosition(range.start, analysed, patch);
  const end = toPatchPosition(range.end, analysed, patch);
  if (!start) return undefined;
  return { start, end: end && end.line === start.line ? end : start };
}

function relocateRelated(
  related: Related,
  analysedFile: string,
  analysed: AnalysedText,
  patch: PatchText,
): Related[] {
  if (related.file !== analysedFile) return [related];
  const range = relocateRange(related.range, analysed, patch);
  if (range) return [{ ...related, file: patch.file, range }];
  // Evidence on a line the patch does not show is still useful where the tree is at hand.
  return analysed.treeFile
    ? [{ ...related, file: analysed.treeFile, range: toTreeRange(related.range, analysed) }]
    : [];
}

/** The tree holds the file before the patch: move a range of the patched text to its lines. */
function toTreeRange(range: Range, analysed: AnalysedText): Range {
  const move = (position: Position): Position => {
    const old = analysed.newToOld?.get(position.line + 1);
    return old === undefined ? position : { line: old - 1, character: position.character };
  };
  return { start: move(range.start), end: move(range.end) };
}

/**
 * A fix carries over only when all its edits fall within added lines, where editing the patch
 * works. Inserted line breaks get the line prefix (`+`) after them, and the hunk header's new
 * line count grows to match, so the edited patch still applies.
 */
function relocateFix(fix: Fix, analysed: AnalysedText, patch: PatchText): Fix[] {
  const edits: TextEdit[] = [];
  const added = new Map<Hunk, number>();
  for (const edit of fix.edits) {
    const onAdded =
      isAddedLine(edit.range.start.line, analysed, patch) &&
      edit.range.end.line === edit.range.start.line;
    const range = onAdded ? relocateRange(edit.range, analysed, patch) : undefined;
    if (!range) return [];
    const patchLine = range.start.line + 1;
    const prefix = linePrefix(patchLine, patch);
    const newText = edit.newText.replace(/\n/g, `\n${prefix}`);
    edits.push({ span: toSpan(range, patch), range, newText });
    const hunk = patch.hunkOf.get(patchLine)!;
    added.set(hunk, (added.get(hunk) ?? 0) + countBreaks(edit.newText));
  }
  for (const [hunk, breaks] of added) {
    const header = breaks > 0 ? headerCountEdit(hunk, breaks, patch) : undefined;
    if (header) edits.push(header);
  }
  return [{ ...fix, edits: edits.sort((a, b) => a.span.start - b.span.start) }];
}

function linePrefix(patchLine: number, patch: PatchText): string {
  const raw = patch.rawLines[patchLine - 1] ?? '';
  const text = patch.hunkLines.get(patchLine)?.text ?? '';
  return raw.slice(0, Math.max(0, raw.length - text.length));
}

function countBreaks(text: string): number {
  return text.split('\n').length - 1;
}

/** Rewrites `+start,count` in a hunk header for `more` added lines. */
function headerCountEdit(hunk: Hunk, more: number, patch: PatchText): TextEdit | undefined {
  const raw = patch.rawLines[hunk.headerLine - 1] ?? '';
  const match = /@@ -\d+(?:,\d+)? (\+\d+(?:,\d+)?) @@/.exec(raw);
  if (!match) return undefined;
  const character = match.index + match[0].indexOf(match[1]);
  const line = hunk.headerLine - 1;
  const range = {
    start: { line, character },
    end: { line, character: character + match[1].length },
  };
  return {
    span: toSpan(range, patch),
    range,
    newText: `+${hunk.newStart},${hunk.newLines + more}`,
  };
}

function toRange(span: Span, analysed: AnalysedText): Range {
  return { start: analysed.lines.positionAt(span.start), end: analysed.lines.positionAt(span.end) };
}

function toSpan(range: Range, patch: PatchText): Span {
  return { start: patch.lines.offsetAt(range.start), end: patch.lines.offsetAt(range.end) };
}
