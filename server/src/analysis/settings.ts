/**
 * Analysis settings, shared by the CLI and the language server, and their validation. A bad
 * value is reported with the setting's name and replaced by its default; the rest still works.
 */
import picomatch from 'picomatch';

import { DEFAULT_SLEEPING_CALLS } from '../catalogue/calls';
import { isRuleId, type RuleId } from '../rules/catalogue';
import type { Severity } from '../rules/types';

export type SeveritySetting = Severity | 'off';

export interface AnalysisSettings {
  readonly realModeFunctions: readonly string[];
  readonly realModePaths: readonly string[];
  /** Calls that may sleep, added to the documented default list. */
  readonly sleepingCalls: readonly string[];
  readonly severity: Readonly<Partial<Record<RuleId, SeveritySetting>>>;
}

export const DEFAULT_SETTINGS: AnalysisSettings = {
  realModeFunctions: [],
  realModePaths: [],
  sleepingCalls: [],
  severity: {},
};

export interface SettingsProblem {
  /** The setting's full name, such as `rcuLens.severity`. */
  readonly setting: string;
  readonly message: string;
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** Top-level keys of the settings object (`trace` is the client's `trace.server`). */
const KNOWN_KEYS = new Set(['realMode', 'severity', 'sleepingCalls', 'trace']);

function stringList(
  value: unknown,
  setting: string,
  problems: SettingsProblem[],
  check?: (s: string) => string | undefined,
): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({
      setting,
      message: `expected a list of strings, got ${typeof value}; using the default`,
    });
    return [];
  }
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string' || item.trim() === '') {
      problems.push({
        setting,
        message: `ignored ${JSON.stringify(item)}: not a non-empty string`,
      });
      continue;
    }
    const error = check?.(item);
    if (error) problems.push({ setting, message: `ignored ${JSON.stringify(item)}: ${error}` });
    else out.push(item);
  }
  return out;
}

function globError(glob: string): string | undefined {
  try {
    picomatch.makeRe(glob, { strictBrackets: true });
    if ((glob.match(/\{/g) ?? []).length !== (glob.match(/\}/g) ?? []).length)
      return 'unbalanced braces in glob';
    return undefined;
  } catch (error) {
    return `invalid glob (${(error as Error).message})`;
  }
}

/** Validates raw settings (from JSON, VS Code or the command line) into AnalysisSettings. */
export function parseSettings(
  raw: unknown,
  prefix = 'rcuLens',
): { settings: AnalysisSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  if (raw === undefined || raw === null) return { settings: DEFAULT_SETTINGS, problems };
  if (typeof raw !== 'object') {
    problems.push({ setting: prefix, message: 'expected an object; using the defaults' });
    return { settings: DEFAULT_SETTINGS, problems };
  }
  const r = raw as Record<string, unknown>;
  const name = (setting: string): string => (prefix ? `${prefix}.${setting}` : setting);
  for (const key of Object.keys(r)) {
    if (!KNOWN_KEYS.has(key))
      problems.push({
        setting: name(key),
        message: `unknown setting (known: ${[...KNOWN_KEYS].join(', ')}); ignored`,
      });
  }
  if (
    r.realMode !== undefined &&
    (typeof r.realMode !== 'object' || r.realMode === null || Array.isArray(r.realMode))
  )
    problems.push({
      setting: name('realMode'),
      message: 'expected an object with functions and paths',
    });
  const realMode = (
    typeof r.realMode === 'object' && r.realMode !== null && !Array.isArray(r.realMode)
      ? r.realMode
      : {}
  ) as Record<string, unknown>;
  const severity: Partial<Record<RuleId, SeveritySetting>> = {};
  if (r.severity !== undefined && r.severity !== null) {
    if (typeof r.severity !== 'object' || Array.isArray(r.severity)) {
      problems.push({
        setting: name('severity'),
        message: 'expected an object mapping rule ids to error|warning|info|hint|off',
      });
    } else {
      for (const [id, level] of Object.entries(r.severity as Record<string, unknown>)) {
        if (!isRuleId(id))
          problems.push({
            setting: name('severity'),
            message: `unknown rule id "${id}" (see \`rcu-lens rules\`)`,
          });
        else if (typeof level !== 'string' || !SEVERITIES.has(level))
          problems.push({
            setting: name('severity'),
            message: `"${id}": expected error, warning, info, hint or off, got ${JSON.stringify(level)}`,
          });
        else severity[id] = level as SeveritySetting;
      }
    }
  }
  const identifier = (s: string) =>
    /^[\w*?[\]{},!-]+$/.test(s) ? undefined : 'not a C identifier or glob';
  return {
    settings: {
      realModeFunctions: stringList(
        realMode.functions,
        name('realMode.functions'),
        problems,
        (s) => identifier(s) ?? globError(s),
      ),
      realModePaths: stringList(realMode.paths, name('realMode.paths'), problems, globError),
      sleepingCalls: stringList(r.sleepingCalls, name('sleepingCalls'), problems, (s) =>
        /^\w+$/.test(s) ? undefined : 'not a C identifier',
      ),
      severity,
    },
    problems,
  };
}

/** The full list of sleeping calls in effect. */
export function sleepingCallSet(settings: AnalysisSettings): Set<string> {
  return new Set([...DEFAULT_SLEEPING_CALLS, ...settings.sleepingCalls]);
}
