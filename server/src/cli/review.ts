/**
 * `rcu-lens review <patches...|-> [--tree DIR]`: findings on the lines a patch adds, for
 * `git format-patch` mails, mbox series and plain diffs. Damage in a patch is reported with
 * its line; everything recoverable is still reviewed.
 */
import { readFileSync, statSync } from 'node:fs';

import type { Command } from 'commander';

import { Analyzer } from '../analysis/analyzer';
import { reviewPatch } from '../patch/review';
import { decodeSource } from '../parsing/text';
import { MAX_FILE_BYTES } from './files';
import {
  EXIT_ERROR,
  EXIT_FINDINGS,
  settingsFrom,
  UsageError,
  withAnalysisOptions,
  withReportOptions,
  type AnalysisOptions,
  type Outcome,
  type ReportOptions,
} from './options';
import { countFindings, printFindings } from './output';

type ReviewCliOptions = AnalysisOptions & ReportOptions & { tree?: string };

function readPatch(name: string): string {
  try {
    if (name !== '-') {
      const stat = statSync(name);
      if (!stat.isFile()) throw new UsageError(`${name}: not a regular file`);
      if (stat.size > MAX_FILE_BYTES)
        throw new UsageError(`${name}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
    }
    const bytes = name === '-' ? readFileSync(0) : readFileSync(name);
    const decoded = decodeSource(bytes);
    if (decoded.binary) throw new UsageError(`${name}: binary file, not a patch`);
    return decoded.text;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `${name}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

export function registerReview(program: Command, outcome: Outcome): void {
  const command = program
    .command('review')
    .description(
      'report RCU findings on the lines that patches add (diffs, git format-patch mails, mbox series)',
    )
    .argument('<patches...>', 'patch files, or - for standard input')
    .option(
      '-t, --tree <dir>',
      'the source tree the patches apply to; without it, the hunks alone are analysed',
    );
  withAnalysisOptions(withReportOptions(command)).action(
    async (patches: string[], options: ReviewCliOptions) => {
      if (options.tree && !isDirectory(options.tree))
        throw new UsageError(`--tree ${options.tree}: not a directory`);
      const analyzer = await Analyzer.create(settingsFrom(options));
      const reports = [];
      let problems = 0;
      let empty = 0;
      for (const name of patches) {
        const patchFile = name === '-' ? '<stdin>' : name;
        const review = await reviewPatch(readPatch(name), {
          tree: options.tree,
          patchFile,
          analyzer,
        });
        for (const p of review.problems)
          process.stderr.write(`${patchFile}:${p.line}: note: ${p.message}\n`);
        problems += review.problems.length;
        if (review.patch.files.length === 0) {
          // An empty download or a mail without a diff must not pass a CI gate as clean; the
          // problems above already say why.
          empty++;
          continue;
        }
        const fallback = review.files.filter((f) => f.mode !== review.mode).length;
        process.stderr.write(
          `rcu-lens: ${patchFile}: ${review.patch.files.length} files, reviewed ${review.mode === 'tree' ? `against ${options.tree}` : 'from the hunks alone'}${fallback ? ` (${fallback} from hunks: not in the tree or hunks failed)` : ''}\n`,
        );
        reports.push({
          file: patchFile,
          findings: review.findings.map((f) => f.finding),
          sites: [],
          functions: [],
          parseErrors: 0,
        });
      }
      printFindings(reports, options.format, process.cwd(), options.notes);
      const counts = countFindings(reports);
      if (options.summary)
        process.stderr.write(
          `rcu-lens: ${patches.length} patch files, ${counts.shown} findings on added lines${problems ? `, ${problems} patch problems` : ''}\n`,
        );
      outcome.code =
        empty > 0 ? EXIT_ERROR : counts.shown > 0 && !options.exitZero ? EXIT_FINDINGS : 0;
    },
  );
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
