/**
 * `rcu-lens check <paths...>`: findings in files and directories.
 */
import type { Command } from 'commander';

import { Analyzer } from '../analysis/analyzer';
import { analyzeTree } from './run-analysis';
import {
  EXIT_ERROR,
  EXIT_FINDINGS,
  settingsFrom,
  withAnalysisOptions,
  withReportOptions,
  type AnalysisOptions,
  type Outcome,
  type ReportOptions,
} from './options';
import { countFindings, printFindings } from './output';

type CheckOptions = AnalysisOptions & ReportOptions;

export function registerCheck(program: Command, outcome: Outcome): void {
  const command = program
    .command('check')
    .description(
      'report RCU list misuse in C files and directories (.c and .h, .gitignore not honoured)',
    )
    .argument('<paths...>', 'files or directories');
  withAnalysisOptions(withReportOptions(command)).action(
    async (paths: string[], options: CheckOptions) => {
      const analyzer = await Analyzer.create(settingsFrom(options));
      const run = analyzeTree(analyzer, paths);
      for (const m of run.missing)
        process.stderr.write(`rcu-lens: ${m}: no such file or directory\n`);
      for (const s of run.skipped)
        process.stderr.write(`rcu-lens: ${s.file}: skipped: ${s.reason}\n`);
      for (const n of run.notes) process.stderr.write(`rcu-lens: ${n.file}: ${n.note}\n`);
      printFindings(run.reports, options.format, process.cwd(), options.notes);
      const counts = countFindings(run.reports);
      if (options.summary) {
        const sites = run.reports.reduce((n, r) => n + r.sites.length, 0);
        const rules = [...counts.byRule]
          .sort()
          .map(([rule, n]) => `${rule} ${n}`)
          .join(', ');
        process.stderr.write(
          `rcu-lens: ${run.filesSeen} files (${run.reports.length} with RCU${run.callerFiles ? `, ${run.callerFiles} more for callers` : ''}), ${sites} sites, ${counts.shown} findings${counts.suppressed ? ` (+${counts.suppressed} suppressed)` : ''}${rules ? ` [${rules}]` : ''}, ${run.seconds.toFixed(1)} s\n`,
        );
      }
      outcome.code =
        run.missing.length > 0
          ? EXIT_ERROR
          : counts.shown > 0 && !options.exitZero
            ? EXIT_FINDINGS
            : 0;
    },
  );
}
