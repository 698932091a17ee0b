/**
 * The status bar item: whether the server is analysing and how many findings the open files
 * have. Clicking it opens the Problems view, where the findings are.
 */
import {
  StatusBarAlignment,
  ThemeColor,
  window,
  type Disposable,
  type StatusBarItem,
} from 'vscode';

import type { StatusParams } from '../../server/src/lsp/protocol';

const PROBLEMS_VIEW_COMMAND = 'workbench.actions.view.problems';

export class StatusBar implements Disposable {
  private readonly item: StatusBarItem;

  constructor() {
    this.item = window.createStatusBarItem('rcuLens.status', StatusBarAlignment.Left, 0);
    this.item.name = 'rcu-lens';
    this.item.command = PROBLEMS_VIEW_COMMAND;
    this.showStarting();
    this.item.show();
  }

  showStarting(): void {
    this.item.text = '$(sync~spin) rcu-lens';
    this.item.tooltip = 'rcu-lens: starting the language server';
    this.item.backgroundColor = undefined;
  }

  /** Shows the state the server reported with `rcuLens/status`. */
  update(status: StatusParams): void {
    const files = `${status.files} file${status.files === 1 ? '' : 's'}`;
    const findings = `${status.findings} finding${status.findings === 1 ? '' : 's'}`;
    if (status.state === 'analysing') {
      this.item.text = `$(sync~spin) rcu-lens: ${status.findings}`;
      this.item.tooltip = `rcu-lens: analysing; ${findings} in ${files} so far`;
    } else {
      this.item.text =
        status.findings === 0 ? '$(check) rcu-lens' : `$(warning) rcu-lens: ${status.findings}`;
      this.item.tooltip = `rcu-lens: ${findings} in ${files}. Click to open the Problems view.`;
    }
    this.item.backgroundColor = undefined;
  }

  /** Shows that the server could not start; the output channel has the details. */
  showFailed(): void {
    this.item.text = '$(error) rcu-lens';
    this.item.tooltip =
      'rcu-lens: the language server failed to start. Run "rcu-lens: Show Output" for details.';
    this.item.backgroundColor = new ThemeColor('statusBarItem.errorBackground');
    this.item.command = 'rcuLens.showOutput';
  }

  dispose(): void {
    this.item.dispose();
  }
}
