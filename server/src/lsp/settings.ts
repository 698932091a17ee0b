/**
 * The `rcuLens` settings as the server sees them: pulled with workspace/configuration when
 * the client can answer it, else taken from didChangeConfiguration. Every problem is shown to
 * the user once, naming the setting; the engine then runs with the default for the bad part.
 */
import type { Connection } from 'vscode-languageserver/node';

import {
  DEFAULT_SETTINGS,
  parseSettings,
  type AnalysisSettings,
  type SettingsProblem,
} from '../analysis/settings';
import type { Logger } from './logger';
import { showWarning } from './messages';

export const SETTINGS_SECTION = 'rcuLens';

export class SettingsWatcher {
  private current: AnalysisSettings = DEFAULT_SETTINGS;
  private readonly shown = new Set<string>();

  constructor(
    private readonly connection: Pick<Connection, 'workspace' | 'sendNotification'>,
    private readonly logger: Logger,
    private readonly canPull: boolean,
  ) {}

  get settings(): AnalysisSettings {
    return this.current;
  }

  /**
   * Reads the settings again. `pushed` is what a didChangeConfiguration carried, used when the
   * client cannot be asked. Returns true when the settings changed.
   */
  async reload(pushed?: unknown): Promise<boolean> {
    const raw = this.canPull ? await this.pull() : sectionOf(pushed);
    const { settings, problems } = parseSettings(raw, SETTINGS_SECTION);
    this.reportProblems(problems);
    const changed = JSON.stringify(settings) !== JSON.stringify(this.current);
    this.current = settings;
    if (changed) this.logger.info(`Settings: ${JSON.stringify(settings)}`);
    return changed;
  }

  private async pull(): Promise<unknown> {
    try {
      return await this.connection.workspace.getConfiguration({ section: SETTINGS_SECTION });
    } catch (error) {
      this.logger.error('Could not read the rcuLens settings; using the defaults.', error);
      return undefined;
    }
  }

  private reportProblems(problems: readonly SettingsProblem[]): void {
    for (const problem of problems) {
      const key = `${problem.setting}\u0000${problem.message}`;
      if (this.shown.has(key)) continue;
      this.shown.add(key);
      this.logger.warn(`Setting ${problem.setting}: ${problem.message}`);
      showWarning(this.connection, `rcu-lens: setting \`${problem.setting}\`: ${problem.message}`);
    }
  }
}

/** didChangeConfiguration carries either `{ rcuLens: {...} }` or nothing useful. */
function sectionOf(pushed: unknown): unknown {
  if (typeof pushed !== 'object' || pushed === null) return undefined;
  return (pushed as Record<string, unknown>)[SETTINGS_SECTION];
}
