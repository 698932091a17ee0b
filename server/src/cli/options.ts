/**
 * What the CLI commands share: exit codes, the analysis settings options and their parsing.
 */
import { readFileSync } from 'node:fs';

import { Option, type Command } from 'commander';

import { DEFAULT_SETTINGS, parseSettings, type AnalysisSettings } from '../analysis/settings';
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

/** The command-line flag that sets each setting, for messages about the flags. */
const FLAG_OF: Record<string, string> = {
  'realMode.functions': '--real-mode-function',
  'realMode.paths': '--real-mode-path',
  sleepingCalls: '--sleeping-call',
  severity: '--severity',
};

/**
 * Builds settings from `--config` and the flags. A problem in the file is printed, naming the
 * file and the setting, and that value is left at its default; a bad flag is a usage error.
 */
export function settingsFrom(options: AnalysisOptions): AnalysisSettings {
  const fromFile = options.config ? readConfig(options.config) : DEFAULT_SETTINGS;
  const severity: Record<string, string> = {};
  for (const pair of options.severity) {
    const [id, level] = pair.split('=');
    if (!id || !level) throw new UsageError(`--severity expects rule=level, got "${pair}"`);
    severity[id] = level;
  }
  const flags = parseSettings(
    {
      realMode: { functions: options.realModeFunction, paths: options.realModePath },
      sleepingCalls: options.sleepingCall,
      severity,
    },
    '',
  );
  const bad = flags.problems[0];
  if (bad) throw new UsageError(`${FLAG_OF[bad.setting] ?? bad.setting}: ${bad.message}`);
  return {
    realModeFunctions: [...fromFile.realModeFunctions, ...flags.settings.realModeFunctions],
    realModePaths: [...fromFile.realModePaths, ...flags.settings.realModePaths],
    sleepingCalls: [...fromFile.sleepingCalls, ...flags.settings.sleepingCalls],
    severity: { ...fromFile.severity, ...flags.settings.severity },
  };
}

function readConfig(file: string): AnalysisSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read settings file ${file}: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UsageError(
      `${file}: expected a JSON object of the rcuLens settings without the prefix, such as {"realMode": {"functions": ["kvmppc_rm_*"]}}`,
    );
  const { settings, problems } = parseSettings(raw, '');
  for (const p of problems) process.stderr.write(`rcu-lens: ${file}: ${p.setting}: ${p.message}\n`);
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
