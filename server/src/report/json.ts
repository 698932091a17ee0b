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
  /** The evidence, root first: the comment, setting or caller chain behind the finding. */
  readonly related: readonly JsonNote[];
  /** Titles of the quick fixes the editor offers for it. */
  readonly fixes: readonly string[];
  /** Present only when suppressed findings are asked for. */
  readonly suppressed?: boolean;
}

/** One piece of evidence, 1-based like the finding. */
export interface JsonNote {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
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
    related: finding.related.map((r) => ({
      file: r.file,
      line: r.range.start.line + 1,
      column: r.range.start.character + 1,
      message: r.message,
    })),
    fixes: finding.fixes.map((f) => f.title),
    ...(includeSuppressed ? { suppressed: finding.suppressed } : {}),
  }));
}

/** The records as indented JSON text with a final newline. */
export function formatJson(reports: readonly FileFindings[], options: JsonOptions = {}): string {
  return `${JSON.stringify(toJsonFindings(reports, options), null, 2)}\n`;
}
