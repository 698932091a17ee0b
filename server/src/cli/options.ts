/**
 * What the CLI commands share: exit codes, the analysis settings options and their parsing.
 */
import { readFileSync } from 'node:fs';

import { Option, type Command } from 'commander';

import { parseSettings, type AnalysisSettings } from '../analysis/settings';
import type { Format } from './output';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** Options every analysing command takes. */
export interface AnalysisOptions {
  config?: string;
  realModeFunction: string[];
  realModePath: string[];
  sleepingCall: string[];
  severity: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Adds the analysis settings options to a command. */
export function withAnalysisOptions(command: Command): Command {
  return command
    .option('--config <file>', 'JSON settings file (the rcuLens.* settings without the prefix)')
    .option(
      '--real-mode-function <glob>',
      'a function name or glob that runs in real mode (repeatable)',
      collect,
      [],
    )
    .option(
      '--real-mode-path <glob>',
      'a path glob whose functions run in real mode (repeatable)',
      collect,
      [],
    )
    .option(
      '--sleeping-call <name>',
      'a call that may sleep, added to the default list (repeatable)',
      collect,
      [],
    )
    .option(
      '--severity <rule=level>',
      'set a rule to error, warning, info, hint or off (repeatable)',
      collect,
      [],
    );
}

/** Builds settings from the options; problems are printed and the defaults used for them. */
export function settingsFrom(options: AnalysisOptions): AnalysisSettings {
  let raw: Record<string, unknown> = {};
  if (options.config) {
    try {
      raw = JSON.parse(readFileSync(options.config, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(
        `cannot read settings file ${options.config}: ${(error as Error).message}`,
      );
    }
  }
  const realMode = { ...((raw.realMode as object | undefined) ?? {}) } as Record<string, unknown>;
  realMode.functions = [
    ...((realMode.functions as string[] | undefined) ?? []),
    ...options.realModeFunction,
  ];
  realMode.paths = [...((realMode.paths as string[] | undefined) ?? []), ...options.realModePath];
  const severity = { ...((raw.severity as object | undefined) ?? {}) } as Record<string, unknown>;
  for (const pair of options.severity) {
    const [id, level] = pair.split('=');
    if (!id || !level) throw new UsageError(`--severity expects rule=level, got "${pair}"`);
    severity[id] = level;
  }
  const { settings, problems } = parseSettings({
    ...raw,
    realMode,
    severity,
    sleepingCalls: [
      ...((raw.sleepingCalls as string[] | undefined) ?? []),
      ...options.sleepingCall,
    ],
  });
  for (const p of problems) process.stderr.write(`rcu-lens: setting ${p.setting}: ${p.message}\n`);
  return settings;
}

export class UsageError extends Error {}

/** Where a command leaves its exit code. */
export interface Outcome {
  code: number;
}

/** Options of the commands that print findings: what `printFindings` and the exit code need. */
export interface ReportOptions {
  format: Format;
  notes: boolean;
  summary: boolean;
  exitZero?: boolean;
}

/** Adds the output options (format, notes, summary, exit code) to a command. */
export function withReportOptions(command: Command): Command {
  return command
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['gcc', 'json', 'sarif'])
        .default('gcc'),
    )
    .option('--no-notes', 'gcc format: do not print the evidence as note lines after each finding')
    .option('--no-summary', 'do not print the summary line on stderr')
    .option('--exit-zero', 'exit 0 even when there are findings (I/O errors still exit 2)');
}
