/**
 * rcu-lens on the command line: `check`, `sites`, `rules` and `review`, on the same engine as
 * the language server. Exit codes: 0 clean, 1 findings, 2 usage or I/O error.
 */
import { Command, CommanderError } from 'commander';

import { registerCheck } from './check';
import { registerReview } from './review';
import { registerRules } from './rules';
import { registerSites } from './sites';
import packageJson from '../../../package.json';
import { EXIT_CLEAN, EXIT_ERROR, UsageError, type Outcome } from './options';

/** The program, with every subcommand registered. */
export function buildProgram(outcome: Outcome): Command {
  const program = new Command()
    .name('rcu-lens')
    .description('Checks how Linux kernel C uses RCU-protected lists.')
    .version(packageJson.version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerCheck(program, outcome);
  registerSites(program, outcome);
  registerReview(program, outcome);
  registerRules(program, outcome);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const outcome: Outcome = { code: EXIT_CLEAN };
  const program = buildProgram(outcome);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return outcome.code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CLEAN : EXIT_ERROR;
    if (error instanceof UsageError) {
      process.stderr.write(`rcu-lens: ${error.message}\n`);
      return EXIT_ERROR;
    }
    process.stderr.write(`rcu-lens: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_ERROR;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
