/**
 * The CLI's whole-tree analysis: read every file, prepare each one, index the callers, then
 * run the rules. Prepared analyses of files that mention RCU are kept between the two steps.
 */
import { Analyzer, type FileReport } from '../analysis/analyzer';
import type { FileAnalysis } from '../analysis/file-analysis';
import { ProjectIndex } from '../analysis/project';
import { collectFiles, readSource } from './files';

export interface TreeRun {
  readonly reports: FileReport[];
  readonly filesSeen: number;
  readonly skipped: { readonly file: string; readonly reason: string }[];
  readonly notes: { readonly file: string; readonly note: string }[];
  readonly missing: string[];
  readonly seconds: number;
}

/** Analyses files and directories; `onProgress` is told about each prepared file. */
export function analyzeTree(
  analyzer: Analyzer,
  paths: readonly string[],
  onProgress?: (done: number, total: number) => void,
): TreeRun {
  const started = process.hrtime.bigint();
  const { files, missing } = collectFiles(paths);
  const explicit = new Set(paths);
  const skipped: { file: string; reason: string }[] = [];
  const notes: { file: string; note: string }[] = [];
  const prepared: FileAnalysis[] = [];
  const project = new ProjectIndex();
  files.forEach((file, i) => {
    const read = readSource(file, !explicit.has(file));
    onProgress?.(i + 1, files.length);
    if (read.kind === 'skipped') skipped.push({ file, reason: read.reason });
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
  const reports = prepared.map((analysis) => analyzer.report(analysis, project));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { reports, filesSeen: files.length, skipped, notes, missing, seconds };
}
