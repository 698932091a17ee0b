/**
 * Printing reports in the chosen format, and the summary line on stderr.
 */
import type { FileReport } from '../analysis/analyzer';
import { formatGcc } from '../report/gcc';
import { formatJson } from '../report/json';
import { formatSarif } from '../report/sarif';

export type Format = 'gcc' | 'json' | 'sarif';

/** Writes the findings of the reports to stdout in the chosen format. */
export function printFindings(
  reports: readonly FileReport[],
  format: Format,
  root: string,
  notes = true,
): void {
  const files = reports.map((r) => ({ file: r.file, findings: r.findings }));
  const text =
    format === 'json'
      ? formatJson(files)
      : format === 'sarif'
        ? formatSarif(files, { root })
        : formatGcc(files, { related: notes });
  process.stdout.write(text.length > 0 && !text.endsWith('\n') ? `${text}\n` : text);
}

/** Counts of visible and suppressed findings. */
export function countFindings(reports: readonly FileReport[]): {
  shown: number;
  suppressed: number;
  byRule: Map<string, number>;
} {
  let shown = 0;
  let suppressed = 0;
  const byRule = new Map<string, number>();
  for (const r of reports) {
    for (const f of r.findings) {
      if (f.suppressed) {
        suppressed++;
        continue;
      }
      shown++;
      byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    }
  }
  return { shown, suppressed, byRule };
}
