/**
 * A tolerant reader for one `@@` hunk. Strict parsers (the `diff` package's parsePatch among
 * them) throw on the damage that mail archives do, and none keep patch line numbers, so this
 * reader classifies each line itself, lets the header's counts decide where a hunk ends, and
 * reports what it had to repair instead of giving up.
 *
 * Repairs: a line with no prefix inside a hunk is a context line whose leading space a mailer
 * stripped (an empty line is the common, harmless case); when reading such lines as context
 * leaves the counts wrong but reading them as continuations of a wrapped long line makes them
 * right, they are joined. Counts that do not match are reported at the header.
 */
import { isMailSeparator } from './mail';
import type { Hunk, HunkLine, HunkLineKind, PatchProblem } from './model';
import type { PatchLines } from './patch-lines';

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(?: ?(.*))?$/;
/** Mailers wrap at 72 to 80 columns; only a line about that long can have been wrapped. */
const WRAP_MIN_LENGTH = 60;
const GIT_VERSION = /^\d+(?:\.\d+)+/;

export interface HunkHeader {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  readonly sectionHeading: string;
}

/** Parses `@@ -a,b +c,d @@ heading`; undefined when the line is not a valid hunk header. */
export function parseHunkHeader(line: string): HunkHeader | undefined {
  const match = HUNK_HEADER.exec(line);
  if (!match) return undefined;
  return {
    oldStart: Number(match[1]),
    oldLines: match[2] === undefined ? 1 : Number(match[2]),
    newStart: Number(match[3]),
    newLines: match[4] === undefined ? 1 : Number(match[4]),
    sectionHeading: (match[5] ?? '').trim(),
  };
}

/** The result of reading a hunk: the hunk, the 0-based index after it, and what was wrong. */
export interface HunkRead {
  readonly hunk: Hunk;
  readonly next: number;
  readonly problems: PatchProblem[];
}

type LineClass = HunkLineKind | 'empty' | 'bare' | 'no-newline' | 'stop';

interface Body {
  lines: MutableHunkLine[];
  next: number;
  oldSeen: number;
  newSeen: number;
  bare: number[];
  joined: number[];
  extra: number[];
  endOfInput: boolean;
}

type MutableHunkLine = { -readonly [K in keyof HunkLine]: HunkLine[K] };

/** Reads the hunk whose header is at 0-based line `headerIndex`. */
export function readHunk(source: PatchLines, headerIndex: number, header: HunkHeader): HunkRead {
  let body = readBody(source, headerIndex, header, false);
  if (!countsMatch(body, header) && body.bare.length > 0) {
    const joined = readBody(source, headerIndex, header, true);
    if (countsMatch(joined, header)) body = joined;
  }
  const problems = describeDamage(body, header, headerIndex + 1);
  const hunk: Hunk = {
    headerLine: headerIndex + 1,
    ...header,
    lines: body.lines,
    damaged: problems.length > 0,
  };
  return { hunk, next: body.next, problems };
}

function countsMatch(body: Body, header: HunkHeader): boolean {
  return body.oldSeen === header.oldLines && body.newSeen === header.newLines;
}

function readBody(
  source: PatchLines,
  headerIndex: number,
  header: HunkHeader,
  joinWraps: boolean,
): Body {
  const body: Body = {
    lines: [],
    next: headerIndex + 1,
    oldSeen: 0,
    newSeen: 0,
    bare: [],
    joined: [],
    extra: [],
    endOfInput: false,
  };
  let previousLength = 0;
  for (let index = headerIndex + 1; ; index++) {
    body.next = index;
    const raw = source.text(index);
    if (raw === undefined) {
      body.endOfInput = index >= source.end;
      break;
    }
    const satisfied = body.oldSeen >= header.oldLines && body.newSeen >= header.newLines;
    const kind = classifyLine(source, index, satisfied);
    if (kind === 'stop') break;
    if (kind === 'no-newline') {
      if (body.lines.length > 0) body.lines[body.lines.length - 1].noNewlineAtEnd = true;
      continue;
    }
    if (
      kind === 'bare' &&
      joinWraps &&
      body.lines.length > 0 &&
      previousLength >= WRAP_MIN_LENGTH
    ) {
      joinToPrevious(body.lines[body.lines.length - 1], raw);
      body.joined.push(index + 1);
      previousLength = raw.length;
      continue;
    }
    if (kind === 'empty' || kind === 'bare') {
      // Past the counts, or where a context line would overrun them, the hunk has ended.
      if (body.oldSeen >= header.oldLines || body.newSeen >= header.newLines) break;
      if (kind === 'bare') body.bare.push(index + 1);
      addLine(body, ' ', kind === 'empty' ? '' : raw, index + 1);
    } else {
      if (satisfied) body.extra.push(index + 1);
      addLine(body, kind, raw.slice(1), index + 1);
    }
    previousLength = raw.length;
  }
  return body;
}

function addLine(body: Body, kind: HunkLineKind, text: string, patchLine: number): void {
  body.lines.push({ kind, text, patchLine });
  if (kind !== '+') body.oldSeen++;
  if (kind !== '-') body.newSeen++;
}

function joinToPrevious(line: MutableHunkLine, continuation: string): void {
  line.text = line.text.endsWith(' ') ? line.text + continuation : `${line.text} ${continuation}`;
}

/**
 * Classifies one line inside a hunk. Lines that start the next hunk, file or mail, and the
 * `-- ` signature git puts under a format-patch mail, end the hunk.
 */
function classifyLine(source: PatchLines, index: number, satisfied: boolean): LineClass {
  const raw = source.text(index)!;
  if (raw === '') return 'empty';
  if (raw.startsWith('@@ ') || raw.startsWith('diff ') || isMailSeparator(raw)) return 'stop';
  const next = source.text(index + 1);
  if (raw.startsWith('--- ') && next?.startsWith('+++ ')) return 'stop';
  if (raw === '-- ' || raw === '--') {
    // A removed line "- " or "-" looks the same; the signature comes after the counts are met
    // or right before git's version line.
    if (satisfied || next === undefined || GIT_VERSION.test(next)) return 'stop';
  }
  if (raw.startsWith('\\')) return 'no-newline';
  const prefix = raw[0];
  if (prefix === ' ' || prefix === '+' || prefix === '-') return prefix;
  return 'bare';
}

function describeDamage(body: Body, header: HunkHeader, headerLine: number): PatchProblem[] {
  const problems: PatchProblem[] = [];
  const range = `-${header.oldStart},${header.oldLines} +${header.newStart},${header.newLines}`;
  if (body.bare.length > 0) {
    problems.push({
      line: body.bare[0],
      message: `Context ${plural(body.bare, 'line')} ${listLines(body.bare)} of the hunk at line ${headerLine} lost ${body.bare.length === 1 ? 'its' : 'their'} leading space (mail whitespace damage); read as context.`,
    });
  }
  for (const line of body.joined) {
    problems.push({
      line,
      message: `Line ${line} continues the line before it, which a mailer wrapped; the two were joined.`,
    });
  }
  if (body.extra.length > 0) {
    problems.push({
      line: body.extra[0],
      message: `The hunk at line ${headerLine} runs past the counts in its header ${range}: ${plural(body.extra, 'line')} ${listLines(body.extra)} ${body.extra.length === 1 ? 'was' : 'were'} read as part of it.`,
    });
  } else if (!countsMatch(body, header)) {
    // body.next is the 0-based index of the first line after the hunk: its 1-based last line.
    const where = body.endOfInput
      ? 'the input ends inside it (truncated)'
      : `it stops after line ${body.next}`;
    problems.push({
      line: headerLine,
      message: `The hunk header ${range} promises ${header.oldLines} old and ${header.newLines} new lines, but ${where} with ${body.oldSeen} old and ${body.newSeen} new lines.`,
    });
  }
  return problems;
}

function plural(lines: readonly number[], word: string): string {
  return lines.length === 1 ? word : `${word}s`;
}

function listLines(lines: readonly number[]): string {
  const shown = lines.slice(0, 6).join(', ');
  return lines.length > 6 ? `${shown} and ${lines.length - 6} more` : shown;
}
