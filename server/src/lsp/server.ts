/**
 * The rcu-lens language server. One bundle serves VS Code (`--node-ipc`) and other clients
 * such as Neovim (`--stdio`): createConnection picks the transport from the command line.
 * This file only declares capabilities, registers handlers and loads settings; each feature
 * lives in its own module.
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

import { DEFAULT_SETTINGS } from '../analysis/settings';
import { onCodeAction } from './code-actions';
import { onCodeLens, onContextAt } from './code-lens';
import { DiagnosticsFeature } from './diagnostics';
import { fileKeyOf } from './documents';
import { FailureReporter } from './failures';
import { onHover } from './hover';
import { Logger, parseLogLevel } from './logger';
import { WorkspaceProject } from './project';
import { CONTEXT_AT_REQUEST, type ContextAtParams, type ShowContextArgs } from './protocol';
import { LEGEND, onSemanticTokens } from './semantic-tokens';
import { AnalysisSession } from './session';
import { SettingsWatcher } from './settings';
import { StatusReporter } from './status';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const logger = new Logger(connection.console);
const failures = new FailureReporter(connection, logger);
const project: WorkspaceProject = new WorkspaceProject(
  {
    analyzer: () => session.loadedAnalyzer,
    progress: () => connection.window.createWorkDoneProgress(),
    onIndexed: () => diagnostics.onProjectChanged(),
  },
  logger,
);
const session: AnalysisSession = new AnalysisSession(project, logger, DEFAULT_SETTINGS);
const status = new StatusReporter(connection, session);
const diagnostics = new DiagnosticsFeature(
  connection,
  documents,
  session,
  status,
  failures,
  logger,
);
let settings: SettingsWatcher;
let pushConfiguration = false;
let watchFolders = false;

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const options = (params.initializationOptions ?? {}) as { logLevel?: unknown };
  logger.setLevel(parseLogLevel(options.logLevel));
  const client = params.capabilities;
  settings = new SettingsWatcher(connection, logger, Boolean(client.workspace?.configuration));
  pushConfiguration = Boolean(client.workspace?.didChangeConfiguration?.dynamicRegistration);
  watchFolders = Boolean(client.workspace?.workspaceFolders);
  const folders =
    params.workspaceFolders?.map((f) => fileKeyOf(f.uri)) ??
    (params.rootUri ? [fileKeyOf(params.rootUri)] : []);
  session.setWorkspaceFolders(folders);
  logger.info(
    `rcu-lens server on Node ${process.version}, client ${params.clientInfo?.name ?? 'unknown'}.`,
  );
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      codeLensProvider: { resolveProvider: false },
      semanticTokensProvider: { legend: LEGEND, full: true, range: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'rcu-lens' },
  };
});

connection.onInitialized(async () => {
  if (pushConfiguration)
    void connection.client.register(DidChangeConfigurationNotification.type, {
      section: 'rcuLens',
    });
  if (watchFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((change) => {
      const removed = new Set(change.removed.map((f) => fileKeyOf(f.uri)));
      const kept = session.workspaceFolderPaths.filter((folder) => !removed.has(folder));
      session.setWorkspaceFolders([...kept, ...change.added.map((f) => fileKeyOf(f.uri))]);
    });
  }
  await settings.reload();
  session.setSettings(settings.settings);
  diagnostics.start();
});

connection.onDidChangeConfiguration(async (change) => {
  try {
    if (!settings || !(await settings.reload(change.settings))) return;
    session.setSettings(settings.settings);
    diagnostics.analyseAll();
  } catch (error) {
    failures.report('Reading settings', undefined, error);
  }
});

documents.onDidOpen(({ document }) => diagnostics.onDidOpen(document));
documents.onDidChangeContent(({ document }) => diagnostics.onDidChangeContent(document));
documents.onDidClose(({ document }) => diagnostics.onDidClose(document));

connection.onHover(failures.guard('Hover', null, (params) => onHover(session, documents, params)));
connection.onCodeAction(
  failures.guard('Code actions', [], (params) => onCodeAction(session, documents, params)),
);
connection.onCodeLens(
  failures.guard('Code lenses', [], (params) => onCodeLens(session, documents, params)),
);
connection.languages.semanticTokens.on(
  failures.guard('Semantic tokens', { data: [] }, (params) =>
    onSemanticTokens(session, documents, params),
  ),
);
connection.onRequest(
  CONTEXT_AT_REQUEST,
  failures.guard<ContextAtParams, ShowContextArgs | null>('Function context', null, (params) =>
    onContextAt(session, documents, params),
  ),
);

// A bug in a callback must cost one result, not the server.
process.on('unhandledRejection', (reason) =>
  failures.report('A background task', undefined, reason),
);
process.on('uncaughtException', (error) => failures.report('A background task', undefined, error));

documents.listen(connection);
connection.listen();
