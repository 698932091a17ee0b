/**
 * The CLI's whole-tree analysis: read every file, prepare each one, index the callers, then
 * run the rules. Prepared analyses of files that mention RCU are kept between the two steps.
 * Files that do not mention RCU cannot hold a finding, but they can hold the callers that
 * decide one: those that call a function judged by its callers are indexed too.
 */
import { Analyzer, type FileReport } from '../analysis/analyzer';
import type { FileAnalysis } from '../analysis/file-analysis';
import { usesAny, namesJudgedByCallers } from '../analysis/interest';
import { ProjectIndex } from '../analysis/project';
import { collectFiles, readSource } from './files';

export interface TreeRun {
  readonly reports: FileReport[];
  readonly filesSeen: number;
  /** Files without RCU that were indexed only for the callers they hold. */
  readonly callerFiles: number;
  readonly skipped: { readonly file: string; readonly reason: string }[];
  readonly notes: { readonly file: string; readonly note: string }[];
  readonly missing: string[];
  readonly seconds: number;
}

export interface TreeOptions {
  /** Index callers in files without RCU (what findings need; an inventory of sites does not). */
  readonly callersEverywhere?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Analyses files and directories. */
export function analyzeTree(
  analyzer: Analyzer,
  paths: readonly string[],
  { callersEverywhere = true, onProgress }: TreeOptions = {},
): TreeRun {
  const started = process.hrtime.bigint();
  const { files, missing } = collectFiles(paths);
  const explicit = new Set(paths);
  const skipped: { file: string; reason: string }[] = [];
  const notes: { file: string; note: string }[] = [];
  const prepared: FileAnalysis[] = [];
  const project = new ProjectIndex();
  const withoutRcu: string[] = [];
  files.forEach((file, i) => {
    const read = readSource(file, !explicit.has(file));
    onProgress?.(i + 1, files.length);
    if (read.kind === 'skipped') skipped.push({ file, reason: read.reason });
    if (read.kind === 'irrelevant') withoutRcu.push(file);
    if (read.kind !== 'source') return;
    if (read.file.note) notes.push({ file, note: read.file.note });
    try {
      const analysis = analyzer.prepare(file, read.file.text);
      project.add(analysis);
      prepared.push(analysis);
    } catch (error) {
      skipped.push({ file, reason: `analysis failed: ${(error as Error).message}` });
    }
  });
  const callerFiles = callersEverywhere ? indexCallers(analyzer, project, prepared, withoutRcu) : 0;
  const reports = prepared.map((analysis) => analyzer.report(analysis, project));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { reports, filesSeen: files.length, callerFiles, skipped, notes, missing, seconds };
}

/**
 * Indexes the files without RCU that mention a function judged by its callers; returns how
 * many. A file that fails to analyse only loses its callers, so it is passed over quietly.
 */
function indexCallers(
  analyzer: Analyzer,
  project: ProjectIndex,
  prepared: readonly FileAnalysis[],
  candidates: readonly string[],
): number {
  const names = new Set(prepared.flatMap(namesJudgedByCallers));
  if (names.size === 0) return 0;
  let indexed = 0;
  for (const file of candidates) {
    const read = readSource(file, false);
    if (read.kind !== 'source' || !usesAny(read.file.text, names)) continue;
    try {
      project.add(analyzer.prepare(file, read.file.text));
      indexed++;
    } catch {
      continue;
    }
  }
  return indexed;
}
