/**
 * Plain JSON output for scripts: one flat record per finding, 1-based like the compiler form.
 */
import type { RuleId } from '../rules/catalogue';
import type { Severity } from '../rules/types';
import { placeFindings, type FileFindings } from './findings';

export interface JsonFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly rule: RuleId;
  readonly message: string;
  /** Present only when suppressed findings are asked for. */
  readonly suppressed?: boolean;
}

export interface JsonOptions {
  /** Include suppressed findings, each record then saying whether it is suppressed. */
  readonly includeSuppressed?: boolean;
}

/** The findings as flat records with 1-based positions (end column exclusive). */
export function toJsonFindings(
  reports: readonly FileFindings[],
  options: JsonOptions = {},
): JsonFinding[] {
  const includeSuppressed = options.includeSuppressed ?? false;
  return placeFindings(reports, includeSuppressed).map(({ file, finding }) => ({
    file,
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
    severity: finding.severity,
    rule: finding.rule,
    message: finding.message,
    ...(includeSuppressed ? { suppressed: finding.suppressed } : {}),
  }));
}

/** The records as indented JSON text with a final newline. */
export function formatJson(reports: readonly FileFindings[], options: JsonOptions = {}): string {
  return `${JSON.stringify(toJsonFindings(reports, options), null, 2)}\n`;
}
