/**
 * A small LSP client for the integration tests: spawns the bundled server with `--stdio`,
 * answers the requests a real client answers (configuration, progress, registrations), and
 * records what the server sends so tests can wait for events instead of sleeping.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  CodeActionRequest,
  CodeLensRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  SemanticTokensRequest,
  ShowMessageNotification,
  ShowMessageRequest,
  ShutdownRequest,
  WorkDoneProgressCreateRequest,
  type CodeAction,
  type CodeLens,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type SemanticTokens,
  type ShowMessageParams,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const WAIT_MS = 15_000;

/** Builds the bundles when dist/server.js is missing or older than a source file. */
export function ensureBuilt(): void {
  const built = safeMtime(SERVER);
  const newest = Math.max(
    ...['server/src', 'client/src'].map((dir) => newestMtime(path.join(ROOT, dir))),
  );
  if (built >= newest) return;
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : safeMtime(full));
  }
  return newest;
}

function safeMtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

interface Waiter<T> {
  readonly accept: (value: T) => boolean;
  readonly resolve: (value: T) => void;
}

/** Records notifications of one kind and lets tests wait for one that matches. */
class Recorder<T> {
  readonly seen: T[] = [];
  private waiters: Waiter<T>[] = [];

  push(value: T): void {
    this.seen.push(value);
    const ready = this.waiters.filter((w) => w.accept(value));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(value);
  }

  /** Resolves with the first recorded value after `from` that `accept`s, past or future. */
  wait(accept: (value: T) => boolean, what: string, from = 0): Promise<T> {
    const past = this.seen.slice(from).find(accept);
    if (past !== undefined) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
      this.waiters.push({ accept, resolve: (value) => (clearTimeout(timer), resolve(value)) });
    });
  }
}

export interface StartOptions {
  readonly workspace: string;
  /** What workspace/configuration answers for the `rcuLens` section. */
  readonly settings?: unknown;
  /**
   * False for a client that does not announce workspace/configuration (Neovim 0.7): settings
   * then only arrive in didChangeConfiguration notifications.
   */
  readonly pull?: boolean;
}

export class LspHarness {
  readonly diagnostics = new Recorder<PublishDiagnosticsParams>();
  readonly messages = new Recorder<ShowMessageParams>();
  readonly statuses = new Recorder<{ state: string; findings: number; files: number }>();
  readonly logs: string[] = [];
  settings: unknown;
  private readonly versions = new Map<string, number>();

  private constructor(
    private readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    settings: unknown,
    private readonly pull: boolean,
  ) {
    this.settings = settings;
  }

  static async start(options: StartOptions): Promise<LspHarness> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const connection = createProtocolConnection(child.stdout!, child.stdin!);
    const harness = new LspHarness(child, connection, options.settings ?? {}, options.pull ?? true);
    child.stderr!.on('data', (chunk: Buffer) => harness.logs.push(`stderr: ${chunk.toString()}`));
    harness.listen();
    connection.listen();
    await harness.initialize(options.workspace);
    return harness;
  }

  private listen(): void {
    const c = this.connection;
    c.onNotification(PublishDiagnosticsNotification.type, (p) => this.diagnostics.push(p));
    c.onNotification(ShowMessageNotification.type, (p) => this.messages.push(p));
    c.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
    });
    c.onNotification('rcuLens/status', (p: { state: string; findings: number; files: number }) =>
      this.statuses.push(p),
    );
    c.onNotification('$/progress', () => undefined);
    c.onRequest(ConfigurationRequest.type, (p) =>
      p.items.map((item) => (item.section === 'rcuLens' ? this.settings : null)),
    );
    c.onRequest(RegistrationRequest.type, () => undefined);
    c.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    c.onRequest(ShowMessageRequest.type, (p) => (this.messages.push(p), null));
  }

  private async initialize(workspace: string): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: fileUri(workspace),
      workspaceFolders: [{ uri: fileUri(workspace), name: path.basename(workspace) }],
      initializationOptions: { logLevel: 'debug' },
      capabilities: {
        workspace: {
          configuration: this.pull,
          didChangeConfiguration: { dynamicRegistration: true },
          workspaceFolders: true,
        },
        window: { workDoneProgress: true },
        textDocument: {
          publishDiagnostics: {
            relatedInformation: true,
            codeDescriptionSupport: true,
            dataSupport: true,
            versionSupport: true,
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { isPreferredSupport: true, dataSupport: true },
        },
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  async open(uri: string, text: string, languageId = 'c'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  /** Replaces the whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, {
      textDocument: { uri },
    });
  }

  async changeSettings(settings: unknown): Promise<void> {
    this.settings = settings;
    const pushed = this.pull ? null : { rcuLens: settings };
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: pushed,
    });
  }

  /** Waits for the diagnostics of a document at a version (the current one by default). */
  diagnosticsFor(uri: string, version = this.versions.get(uri) ?? 1): Promise<Diagnostic[]> {
    return this.diagnostics
      .wait((p) => p.uri === uri && p.version === version, `diagnostics for ${uri} v${version}`)
      .then((p) => p.diagnostics);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics },
    });
    return (result ?? []) as CodeAction[];
  }

  async codeLenses(uri: string): Promise<CodeLens[]> {
    return (
      (await this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? []
    );
  }

  async semanticTokens(uri: string): Promise<SemanticTokens> {
    return (
      (await this.connection.sendRequest(SemanticTokensRequest.type, {
        textDocument: { uri },
      })) ?? { data: [] }
    );
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // The server may already be gone; the kill below settles it.
    }
    this.connection.dispose();
    this.child.kill();
  }
}

/** Applies LSP edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const offset = (p: Position) =>
    Math.min(text.length, (starts[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const edit of sorted)
    out = out.slice(0, offset(edit.range.start)) + edit.newText + out.slice(offset(edit.range.end));
  return out;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** The edits of a code action for one document. */
export function editsOf(action: CodeAction, uri: string): TextEdit[] {
  return action.edit?.changes?.[uri] ?? [];
}

export interface DecodedToken {
  readonly line: number;
  readonly character: number;
  readonly length: number;
  readonly type: string;
  readonly modifiers: string[];
}

/** Decodes the relative encoding of semantic tokens with a legend. */
export function decodeTokens(
  tokens: SemanticTokens,
  legend: { tokenTypes: string[]; tokenModifiers: string[] },
): DecodedToken[] {
  const out: DecodedToken[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [deltaLine, deltaStart, length, type, bits] = tokens.data.slice(i, i + 5);
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaStart : deltaStart;
    const modifiers = legend.tokenModifiers.filter((_, bit) => bits & (1 << bit));
    out.push({ line, character, length, type: legend.tokenTypes[type], modifiers });
  }
  return out;
}
