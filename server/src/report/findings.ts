/**
 * The input every formatter takes: findings grouped by the file they were reported for, and
 * the helpers the formatters share.
 */
import type { Finding, Severity } from '../rules/types';

/** The findings of one analysed file; `file` is the path printed for them. */
export interface FileFindings {
  readonly file: string;
  readonly findings: readonly Finding[];
}

/** A finding with its file path as the caller wants it printed. */
export interface PlacedFinding {
  readonly file: string;
  readonly finding: Finding;
}

/**
 * Flattens the reports in file order and position order within a file. Suppressed findings
 * are left out unless asked for: front ends hide them, counts keep them.
 */
export function placeFindings(
  reports: readonly FileFindings[],
  includeSuppressed = false,
): PlacedFinding[] {
  return reports.flatMap((report) =>
    report.findings
      .filter((finding) => includeSuppressed || !finding.suppressed)
      .slice()
      .sort(byPosition)
      .map((finding) => ({ file: report.file, finding })),
  );
}

function byPosition(a: Finding, b: Finding): number {
  const { start: x } = a.range;
  const { start: y } = b.range;
  return x.line - y.line || x.character - y.character || a.rule.localeCompare(b.rule);
}

/**
 * The compiler word for a severity. Editors' problem matchers know error, warning and note,
 * so info and hint are printed as note.
 */
export function compilerSeverity(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'error' || severity === 'warning' ? severity : 'note';
}
