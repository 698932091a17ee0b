/**
 * `rcu-lens rules`: the rule catalogue.
 */
import { Option, type Command } from 'commander';

import { RULES, ruleDocUrl } from '../rules/catalogue';
import type { Outcome } from './options';

export function registerRules(program: Command, outcome: Outcome): void {
  program
    .command('rules')
    .description('list the rule catalogue: id, default severity, summary, documentation')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json'])
        .default('text'),
    )
    .action((options: { format: 'text' | 'json' }) => {
      const rows = RULES.map((r) => ({
        id: r.id,
        severity: r.severity,
        summary: r.summary,
        fix: r.fix,
        documentation: ruleDocUrl(r.id),
        kernelDocs: r.kernelDocs,
      }));
      if (options.format === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else {
        const width = Math.max(...rows.map((r) => r.id.length));
        for (const r of rows)
          process.stdout.write(
            `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.summary}\n${' '.repeat(width + 11)}${r.documentation}\n`,
          );
      }
      outcome.code = 0;
    });
}
