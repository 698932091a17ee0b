/**
 * Patch review: runs the analyser on both sides of a patch, what it replaces and what it
 * produces, and reports the findings the patch introduces, on the patch's changed lines.
 * With the tree the patch applies to, each file is analysed whole (comments and callers
 * included); without it, or where a file is missing or a hunk does not apply, both sides are
 * rebuilt from the hunks alone.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

import { Analyzer } from '../analysis/analyzer';
import type { FileAnalysis } from '../analysis/file-analysis';
import { ProjectIndex } from '../analysis/project';
import type { AnalysisSettings } from '../analysis/settings';
import { LineIndex } from '../parsing/text';
import { applyFilePatch } from './apply';
import { selectIntroduced } from './introduced';
import {
  DEV_NULL,
  filePatchPath,
  indexHunkLines,
  type FilePatch,
  type PatchLineMap,
  type PatchProblem,
  type PatchSet,
} from './model';
import { oldSideOfHunks, oldSideOfTree, type OldSide } from './old-side';
import { parsePatch } from './parse';
import { splitPatchLines } from './patch-lines';
import { reconstructFile } from './reconstruct';
import {
  REAL_LOCATION_MESSAGE,
  relocateFinding,
  type AnalysedText,
  type PatchFinding,
  type PatchText,
} from './relocate';

export type ReviewMode = 'tree' | 'hunks';

export interface ReviewOptions {
  /** Root of the source tree the patch applies to; without it, hunks alone are analysed. */
  readonly tree?: string;
  /** The path printed for findings on the patch; `patch` by default. */
  readonly patchFile?: string;
  /** An analyser to reuse; one with `settings` (or the defaults) is created otherwise. */
  readonly analyzer?: Analyzer;
  readonly settings?: AnalysisSettings;
}

/** How one file of the patch was reviewed. */
export interface ReviewedFile {
  readonly path: string;
  readonly mode: ReviewMode;
  /** The text the analyser saw: the patched file, or the text rebuilt from hunks. */
  readonly analysedText: string;
}

export interface PatchReview {
  /** 'tree' when a tree was given (files it could not serve fall back, see `files`). */
  readonly mode: ReviewMode;
  readonly patch: PatchSet;
  readonly files: readonly ReviewedFile[];
  /** Findings the patch introduces, on its changed lines, in patch-file coordinates. */
  readonly findings: readonly PatchFinding[];
  /** Damage in the patch, hunks that did not apply, files reviewed without the tree. */
  readonly problems: readonly PatchProblem[];
}

interface Prepared {
  readonly reviewed: ReviewedFile;
  readonly analysed: AnalysedText;
  readonly analysis: FileAnalysis;
  /** The old side's analysis; undefined for a file the patch adds. */
  readonly before?: FileAnalysis;
  readonly newToOld: ReadonlyMap<number, number>;
}

/** Reviews a patch (diff, mail or mbox series); never throws for bad patch text. */
export async function reviewPatch(text: string, options: ReviewOptions = {}): Promise<PatchReview> {
  const patch = parsePatch(text);
  const analyzer = options.analyzer ?? (await Analyzer.create(options.settings));
  const problems: PatchProblem[] = [...patch.problems];
  const current = new Map<string, string | undefined>();
  const prepared: Prepared[] = [];
  for (const file of patch.files) {
    if (file.binary || file.status === 'deleted') continue;
    const analysable = await buildAnalysedText(file, options.tree, current, problems);
    const analysis = tryPrepare(analyzer, file, analysable.text, problems);
    if (!analysis) continue;
    const { text: oldText, newToOld } = analysable.old;
    const before =
      oldText === ''
        ? undefined
        : tryPrepare(analyzer, file, oldText, problems, 'the text before the patch');
    const reviewed = {
      path: filePatchPath(file),
      mode: analysable.mode,
      analysedText: analysable.text,
    };
    const treeFile = analysable.treeFile;
    const analysed = {
      lines: new LineIndex(analysable.text),
      map: analysable.map,
      hunks: file.hunks,
      treeFile,
      newToOld: treeFile ? newToOld : undefined,
    };
    prepared.push({ reviewed, analysed, analysis, before, newToOld });
  }

  const findings = reportFindings(
    analyzer,
    prepared,
    patchText(text, patch, options.patchFile ?? 'patch'),
  );
  problems.sort((a, b) => a.line - b.line);
  return {
    mode: options.tree ? 'tree' : 'hunks',
    patch,
    files: prepared.map((p) => p.reviewed),
    findings,
    problems,
  };
}

interface Analysable {
  readonly text: string;
  readonly mode: ReviewMode;
  readonly map: PatchLineMap;
  /** What the file was before the patch, for telling introduced findings from inherited ones. */
  readonly old: OldSide;
  readonly treeFile?: string;
}

/**
 * The patched file when the tree has it and every hunk applies, else the hunks rebuilt.
 * Files a series changes twice are patched on top of the earlier result.
 */
async function buildAnalysedText(
  file: FilePatch,
  tree: string | undefined,
  current: Map<string, string | undefined>,
  problems: PatchProblem[],
): Promise<Analysable> {
  if (tree !== undefined) {
    const onDisk = !current.has(file.oldPath);
    const original = onDisk ? await readTreeFile(tree, file.oldPath) : current.get(file.oldPath);
    if (original !== undefined || file.status === 'added') {
      const applied = applyFilePatch(original, file);
      problems.push(...applied.problems);
      if (applied.failed.length === 0) {
        current.set(file.newPath, applied.text);
        // Evidence off the patch points into the tree file, which holds the text before it.
        const treeFile =
          onDisk && original !== undefined ? path.join(tree, file.oldPath) : undefined;
        return {
          text: applied.text,
          mode: 'tree',
          map: applied,
          old: oldSideOfTree(original, applied),
          treeFile,
        };
      }
    } else {
      problems.push({
        line: file.headerLine,
        message: `${file.oldPath} is not in the tree ${tree}; reviewed from the hunks alone.`,
      });
    }
  }
  const rebuilt = reconstructFile(file);
  return { text: rebuilt.text, mode: 'hunks', map: rebuilt, old: oldSideOfHunks(file, rebuilt) };
}

async function readTreeFile(tree: string, file: string): Promise<string | undefined> {
  if (file === DEV_NULL || file === '') return undefined;
  try {
    return await readFile(path.join(tree, file), 'utf8');
  } catch {
    return undefined;
  }
}

/** Runs the analyser's first step; a failure becomes one problem on the file's header line. */
function tryPrepare(
  analyzer: Analyzer,
  file: FilePatch,
  text: string,
  problems: PatchProblem[],
  what?: string,
): FileAnalysis | undefined {
  const name = filePatchPath(file);
  try {
    return analyzer.prepare(name, text);
  } catch (error) {
    const subject = what ? `${what} of ${name}` : name;
    problems.push({
      line: file.headerLine,
      message: `Analysis of ${subject} failed: ${(error as Error).message}`,
    });
    return undefined;
  }
}

/**
 * Reports each side of every prepared file against a project of that side, so files of the
 * patch see each other's callers, and keeps what the new side has and the old side had not.
 */
function reportFindings(
  analyzer: Analyzer,
  prepared: readonly Prepared[],
  patch: PatchText,
): PatchFinding[] {
  const after = new ProjectIndex();
  const before = new ProjectIndex();
  for (const p of prepared) {
    after.add(p.analysis);
    if (p.before) before.add(p.before);
  }
  const findings = prepared.flatMap((p) => {
    const now = { analysis: p.analysis, findings: analyzer.report(p.analysis, after).findings };
    const then = p.before && {
      analysis: p.before,
      findings: analyzer.report(p.before, before).findings,
    };
    return selectIntroduced(now, then, p.newToOld).flatMap(
      (finding) => relocateFinding(finding, p.analysed, patch) ?? [],
    );
  });
  return dropDuplicates(findings).sort(
    (a, b) =>
      a.patchLine - b.patchLine ||
      a.finding.range.start.character - b.finding.range.start.character,
  );
}

/**
 * A series that changes a file twice analyses it twice; keep one finding per place and rule.
 * Findings moved onto the same changed line stay apart by the place they are about.
 */
function dropDuplicates(findings: readonly PatchFinding[]): PatchFinding[] {
  const seen = new Set<string>();
  return findings.filter(({ finding }) => {
    const about = finding.related.find((r) => r.message === REAL_LOCATION_MESSAGE);
    const where = about
      ? `${about.file}:${about.range.start.line}:${about.range.start.character}`
      : '';
    const key = `${finding.rule}:${finding.span.start}:${where}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function patchText(text: string, patch: PatchSet, file: string): PatchText {
  const hunkOf = new Map(
    patch.files.flatMap((f) =>
      f.hunks.flatMap((hunk) => hunk.lines.map((line) => [line.patchLine, hunk] as const)),
    ),
  );
  return {
    file,
    lines: new LineIndex(text),
    rawLines: splitPatchLines(text).lines,
    hunkLines: indexHunkLines(patch),
    hunkOf,
  };
}
