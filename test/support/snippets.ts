/**
 * Small kernel-style C snippets with their expectations written on the lines themselves:
 *
 *	rcu_read_lock();	// <- realmode-lockdep-call
 *	list_for_each_entry_rcu(w, &h, node)	// <- realmode-rcu-traversal
 *
 * Every finding must be marked and every mark found, so a snippet pins the whole output.
 */
import { Analyzer, type FileReport } from '../../server/src/analysis/analyzer';
import type { AnalysisSettings } from '../../server/src/analysis/settings';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/settings';

let shared: Promise<Analyzer> | undefined;

export async function analyzeSnippet(
  source: string,
  file = 'snippet.c',
  settings: AnalysisSettings = DEFAULT_SETTINGS,
): Promise<FileReport> {
  shared ??= Analyzer.create();
  const analyzer =
    settings === DEFAULT_SETTINGS ? await shared : (await shared).withSettings(settings);
  return analyzer.analyzeText(file, source);
}

/** `rule@line` for each marked line (1-based), sorted. */
export function markedFindings(source: string): string[] {
  const out: string[] = [];
  source.split('\n').forEach((line, i) => {
    const m = /\/\/ <- ([\w\- ]+)$/.exec(line);
    if (m) for (const rule of m[1].trim().split(/\s+/)) out.push(`${rule}@${i + 1}`);
  });
  return out.sort();
}

/** `rule@line` for each unsuppressed finding, sorted. */
export function reportedFindings(report: FileReport): string[] {
  return report.findings
    .filter((f) => !f.suppressed)
    .map((f) => `${f.rule}@${f.range.start.line + 1}`)
    .sort();
}
