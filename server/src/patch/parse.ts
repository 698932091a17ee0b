/**
 * Reads patches as people send them: plain unified diffs, `git diff` output with renames,
 * `git format-patch` mails, mbox files holding a series, CR LF text, and mail archives that
 * damaged the whitespace. Whatever can be recovered is returned; whatever is wrong becomes a
 * PatchProblem on the patch line where it is.
 */
import {
  applyExtendedHeader,
  parseGitDiffPaths,
  parseMarkerPath,
  settleStatus,
  stripGitPrefix,
  stripPlainPrefix,
  type FileHeaderFacts,
} from './file-header';
import { parseHunkHeader, readHunk } from './hunk-reader';
import { isMailSeparator, readMail, splitMailSegments, type MailSegment } from './mail';
import type { FilePatch, Hunk, PatchMail, PatchProblem, PatchSet } from './model';
import { PatchLines, quotePrefixOf, splitPatchLines } from './patch-lines';

interface ParseState {
  readonly mails: PatchMail[];
  readonly files: FilePatch[];
  readonly problems: PatchProblem[];
  /** Hunk lists of the files, so a stray hunk can join the file before it. */
  readonly hunksOf: Map<FilePatch, Hunk[]>;
}

/** Parses a patch, a mail or an mbox series into files and hunks; never throws on bad input. */
export function parsePatch(text: string): PatchSet {
  const { lines, crlf } = splitPatchLines(text);
  const state: ParseState = { mails: [], files: [], problems: [], hunksOf: new Map() };
  for (const segment of splitMailSegments(lines)) {
    const { mail, problems } = readMail(lines, segment);
    state.problems.push(...problems);
    if (mail) state.mails.push(mail);
    scanSegment(lines, segment, mail ? state.mails.length - 1 : undefined, state);
  }

  if (state.files.length === 0) {
    state.problems.push({
      line: 1,
      message:
        'No diff found: the input has no "diff --git" line, no "---"/"+++" pair and no "@@" hunk, so it is not a patch.',
    });
  }
  state.problems.sort((a, b) => a.line - b.line);
  return {
    mails: state.mails,
    files: state.files,
    problems: state.problems,
    crlf,
    lineCount: lines.length,
  };
}

function scanSegment(
  lines: readonly string[],
  segment: MailSegment,
  mail: number | undefined,
  state: ParseState,
): void {
  const base = new PatchLines(lines, segment.end);
  let previous: FilePatch | undefined;
  let index = segment.start;
  while (index < segment.end) {
    const quote = quotePrefixOf(lines[index]);
    const source = base.withQuote(quote);
    const line = source.text(index)!;
    if (line.startsWith('diff --git ')) {
      ({ file: previous, next: index } = readFile(source, index, mail, state, true));
    } else if (line.startsWith('--- ') && source.text(index + 1)?.startsWith('+++ ')) {
      ({ file: previous, next: index } = readFile(source, index, mail, state, false));
    } else if (line.startsWith('@@ -') && parseHunkHeader(line)) {
      index = readStrayHunk(source, index, previous, state);
    } else {
      index++;
    }
  }
}

/** Reads one file: the git header block if any, the `---`/`+++` pair, then its hunks. */
function readFile(
  source: PatchLines,
  start: number,
  mail: number | undefined,
  state: ParseState,
  git: boolean,
): { file: FilePatch; next: number } {
  const facts: FileHeaderFacts = {
    oldPath: '',
    newPath: '',
    added: false,
    deleted: false,
    renamed: false,
    copied: false,
  };
  let index = start;
  if (git) {
    const paths = parseGitDiffPaths(source.text(index)!.slice('diff --git '.length));
    if (paths) Object.assign(facts, paths);
    else
      state.problems.push({
        line: start + 1,
        message:
          'The "diff --git" line names no two paths; the "---"/"+++" lines are used instead.',
      });
    index++;
    while (source.text(index) !== undefined && applyExtendedHeader(source.text(index)!, facts))
      index++;
  }

  let binary = false;
  const marker = source.text(index) ?? '';
  if (marker.startsWith('Binary files ') || marker === 'GIT binary patch') {
    binary = true;
    index = skipBinary(source, index, facts, state);
  } else if (marker.startsWith('--- ') && source.text(index + 1)?.startsWith('+++ ')) {
    const strip = git ? stripGitPrefix : stripPlainPrefix;
    facts.oldPath = strip(parseMarkerPath(marker.slice(4)));
    facts.newPath = strip(parseMarkerPath(source.text(index + 1)!.slice(4)));
    index += 2;
  }

  const hunks: Hunk[] = [];
  index = binary ? index : readHunks(source, index, hunks, state);
  const status = settleStatus(facts);
  const file: FilePatch = {
    headerLine: start + 1,
    oldPath: facts.oldPath,
    newPath: facts.newPath,
    status,
    hunks,
    binary,
    ...(mail === undefined ? {} : { mail }),
    ...(facts.similarity === undefined ? {} : { similarity: facts.similarity }),
  };
  state.files.push(file);
  state.hunksOf.set(file, hunks);
  return { file, next: index };
}

function readHunks(source: PatchLines, start: number, hunks: Hunk[], state: ParseState): number {
  let index = start;
  for (let line = source.text(index); line?.startsWith('@@'); line = source.text(index)) {
    const header = parseHunkHeader(line);
    if (!header) {
      state.problems.push({
        line: index + 1,
        message: `Malformed hunk header "${line}"; its lines are skipped up to the next hunk.`,
      });
      index = skipToNextHunk(source, index + 1);
      continue;
    }
    const read = readHunk(source, index, header);
    hunks.push(read.hunk);
    state.problems.push(...read.problems);
    index = read.next;
  }
  return index;
}

/** A hunk found after unrelated lines: it joins the file before it, if there is one. */
function readStrayHunk(
  source: PatchLines,
  index: number,
  previous: FilePatch | undefined,
  state: ParseState,
): number {
  const read = readHunk(source, index, parseHunkHeader(source.text(index)!)!);
  const hunks = previous ? state.hunksOf.get(previous) : undefined;
  state.problems.push(...read.problems);
  if (previous && hunks) {
    hunks.push(read.hunk);
    state.problems.push({
      line: index + 1,
      message: `Hunk after unrelated lines; read as part of ${previous.newPath}.`,
    });
  } else {
    state.problems.push({
      line: index + 1,
      message: 'Hunk without a file header ("---"/"+++" lines); skipped.',
    });
  }
  return read.next;
}

function skipBinary(
  source: PatchLines,
  start: number,
  facts: FileHeaderFacts,
  state: ParseState,
): number {
  const path = facts.newPath || facts.oldPath;
  state.problems.push({
    line: start + 1,
    message: `Binary change to ${path} skipped: rcu-lens reviews text diffs only.`,
  });
  if (source.text(start)!.startsWith('Binary files ')) return start + 1;
  // A GIT binary patch holds base85 blocks up to the next file, mail or signature.
  let index = start + 1;
  for (let line = source.text(index); line !== undefined; line = source.text(++index)) {
    if (line.startsWith('diff ') || isMailSeparator(line) || line === '-- ' || line === '--') break;
  }
  return index;
}

function skipToNextHunk(source: PatchLines, start: number): number {
  let index = start;
  for (let line = source.text(index); line !== undefined; line = source.text(++index)) {
    if (line.startsWith('@@') || line.startsWith('diff ') || isMailSeparator(line)) break;
  }
  return index;
}
