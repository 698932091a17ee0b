/**
 * The VS Code side of rcu-lens: starts the language server over node IPC, shows its log in a
 * log-level output channel and its state in the status bar, and implements the commands.
 */
import * as path from 'node:path';

import { commands, LogLevel, window, type ExtensionContext, type LogOutputChannel } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

import {
  STATUS_NOTIFICATION,
  type ShowContextArgs,
  type StatusParams,
} from '../../server/src/lsp/protocol';
import { showContext } from './show-context';
import { StatusBar } from './status-bar';

const CLIENT_ID = 'rcuLens';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const output = window.createOutputChannel('rcu-lens', { log: true });
  const status = new StatusBar();
  context.subscriptions.push(
    output,
    status,
    commands.registerCommand('rcuLens.showOutput', () => output.show(true)),
    commands.registerCommand('rcuLens.showContext', (args?: ShowContextArgs) =>
      showContext(client, args),
    ),
    commands.registerCommand('rcuLens.restartServer', () => restart(output, status)),
  );
  try {
    client = createClient(context, output);
    client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => status.update(params));
    await client.start();
  } catch (error) {
    reportStartFailure(output, status, error);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

function createClient(context: ExtensionContext, output: LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6012'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'c' },
      { language: 'diff' },
      { scheme: 'file', pattern: '**/*.{patch,diff,mbox,eml}' },
    ],
    outputChannel: output,
    initializationOptions: { logLevel: serverLogLevel(output.logLevel) },
  };
  return new LanguageClient(CLIENT_ID, 'rcu-lens', serverOptions, clientOptions);
}

async function restart(output: LogOutputChannel, status: StatusBar): Promise<void> {
  status.showStarting();
  try {
    if (client?.isRunning()) await client.restart();
    else await client?.start();
  } catch (error) {
    reportStartFailure(output, status, error);
  }
}

/** A server that does not start is the one error the user has to see and act on. */
function reportStartFailure(output: LogOutputChannel, status: StatusBar, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  output.error(`The rcu-lens language server failed to start: ${message}`);
  status.showFailed();
  void window
    .showErrorMessage(`rcu-lens: the language server failed to start (${message}).`, 'Show Output')
    .then((choice) => {
      if (choice) output.show(true);
    });
}

/** The server logs at the level the user chose for the output channel. */
function serverLogLevel(level: LogLevel): string {
  switch (level) {
    case LogLevel.Trace:
    case LogLevel.Debug:
      return 'debug';
    case LogLevel.Warning:
      return 'warn';
    case LogLevel.Error:
    case LogLevel.Off:
      return 'error';
    default:
      return 'info';
  }
}
