/**
 * `rcu-lens sites <paths...>`: every RCU list operation found, with its function and context.
 * The inventory a reviewer asks for first, and the measure of what the parser misses.
 */
import type { Command } from 'commander';

import { Analyzer } from '../analysis/analyzer';
import { analyzeTree } from './run-analysis';
import {
  EXIT_ERROR,
  settingsFrom,
  withAnalysisOptions,
  type AnalysisOptions,
  type Outcome,
} from './options';
import { Option } from 'commander';

interface SitesOptions extends AnalysisOptions {
  format: 'text' | 'json';
}

export function registerSites(program: Command, outcome: Outcome): void {
  withAnalysisOptions(
    program
      .command('sites')
      .description(
        'list every RCU list operation: file, line, primitive, kind, function and its context',
      )
      .argument('<paths...>', 'files or directories')
      .addOption(
        new Option('-f, --format <format>', 'output format')
          .choices(['text', 'json'])
          .default('text'),
      ),
  ).action(async (paths: string[], options: SitesOptions) => {
    const analyzer = await Analyzer.create(settingsFrom(options));
    const run = analyzeTree(analyzer, paths, { callersEverywhere: false });
    for (const m of run.missing)
      process.stderr.write(`rcu-lens: ${m}: no such file or directory\n`);
    for (const s of run.skipped)
      process.stderr.write(`rcu-lens: ${s.file}: skipped: ${s.reason}\n`);
    const rows = run.reports.flatMap((r) =>
      r.sites.map((s) => ({
        file: r.file,
        line: s.range.start.line + 1,
        column: s.range.start.character + 1,
        primitive: s.primitive,
        ...(s.wrapper ? { wrapper: s.wrapper } : {}),
        kind: s.kind,
        flavor: s.flavor,
        function: s.function,
        context: s.context,
        protection: s.protection ?? null,
      })),
    );
    if (options.format === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else {
      for (const row of rows) {
        const name = row.wrapper ? `${row.wrapper} (${row.primitive})` : row.primitive;
        process.stdout.write(
          `${row.file}:${row.line}:${row.column}: ${name} ${row.kind}/${row.flavor} in ${row.function} [${row.context}]${row.protection ? ` protected by ${row.protection}` : ''}\n`,
        );
      }
    }
    process.stderr.write(
      `rcu-lens: ${run.filesSeen} files, ${rows.length} sites, ${run.seconds.toFixed(1)} s\n`,
    );
    outcome.code = run.missing.length > 0 ? EXIT_ERROR : 0;
  });
}
