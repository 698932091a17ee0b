/**
 * The `rcuLens/status` notification behind the client's status bar item: whether analysis is
 * running, and how many findings the open documents have.
 */
import type { Connection } from 'vscode-languageserver/node';

import { STATUS_NOTIFICATION, type StatusParams } from './protocol';
import type { AnalysisSession } from './session';

export class StatusReporter {
  private running = 0;
  private last = '';

  constructor(
    private readonly connection: Pick<Connection, 'sendNotification'>,
    private readonly session: AnalysisSession,
  ) {}

  /** Marks the start of one analysis run. */
  begin(): void {
    this.running++;
    this.send();
  }

  /** Marks the end of one analysis run. */
  end(): void {
    this.running = Math.max(0, this.running - 1);
    this.send();
  }

  /** Sends the counts again, after diagnostics changed without a run (a closed document). */
  refresh(): void {
    this.send();
  }

  private send(): void {
    const states = this.session.all();
    const params: StatusParams = {
      state: this.running > 0 ? 'analysing' : 'idle',
      findings: states.reduce((sum, s) => sum + s.findings.filter((f) => !f.suppressed).length, 0),
      files: states.length,
    };
    const key = JSON.stringify(params);
    if (key === this.last) return;
    this.last = key;
    void this.connection.sendNotification(STATUS_NOTIFICATION, params);
  }
}
