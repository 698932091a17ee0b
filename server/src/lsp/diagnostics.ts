/**
 * Diagnostics: documents are analysed when opened and, after a short pause in typing, when
 * changed. A run whose document changed meanwhile is dropped. Every analysed document gets a
 * publish, an empty one when it is clean, and closing a document clears it.
 */
import {
  DiagnosticSeverity,
  type Connection,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';

import { ruleDocUrl } from '../rules/catalogue';
import type { Finding, Severity } from '../rules/types';
import { displayName, MAX_ANALYSED_CHARS, uriOfFileKey } from './documents';
import type { FailureReporter } from './failures';
import type { Logger } from './logger';
import { showInfo } from './messages';
import type { DiagnosticData } from './protocol';
import type { AnalysisSession, DocumentState } from './session';
import type { StatusReporter } from './status';

/** Long enough to skip the states between keystrokes, short enough to feel immediate. */
export const CHANGE_DEBOUNCE_MS = 200;

export const DIAGNOSTIC_SOURCE = 'rcu-lens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Converts one finding of a document into an LSP diagnostic. */
export function toDiagnostic(finding: Finding, index: number, state: DocumentState): Diagnostic {
  const relatedInformation: DiagnosticRelatedInformation[] = finding.related.map((related) => ({
    location: {
      uri: related.file === finding.file ? state.uri : uriOfFileKey(related.file),
      range: related.range,
    },
    message: related.message,
  }));
  const data: DiagnosticData = { version: state.version, rule: finding.rule, index };
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.rule,
    codeDescription: { href: ruleDocUrl(finding.rule) },
    message: finding.message,
    relatedInformation: relatedInformation.length > 0 ? relatedInformation : undefined,
    data,
  };
}

/** The diagnostics a document shows: its unsuppressed findings. */
export function diagnosticsOf(state: DocumentState): Diagnostic[] {
  return state.findings.flatMap((finding, index) =>
    finding.suppressed ? [] : [toDiagnostic(finding, index, state)],
  );
}

export class DiagnosticsFeature {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Bumped by every change and close; a run only publishes for its own generation. */
  private readonly generations = new Map<string, number>();
  private readonly notifiedSkips = new Set<string>();
  /** The version each document was last scheduled at, so an open is not analysed twice. */
  private readonly scheduledVersions = new Map<string, number>();
  /** Documents opened before the settings arrived wait for `start`. */
  private started = false;

  constructor(
    private readonly connection: Pick<Connection, 'sendDiagnostics' | 'sendNotification'>,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly session: AnalysisSession,
    private readonly status: StatusReporter,
    private readonly failures: FailureReporter,
    private readonly logger: Logger,
  ) {}

  onDidOpen(document: TextDocument): void {
    this.schedule(document, 0);
  }

  /** TextDocuments also reports an open as a change: that version is already scheduled. */
  onDidChangeContent(document: TextDocument): void {
    if (this.scheduledVersions.get(document.uri) === document.version) return;
    this.schedule(document, CHANGE_DEBOUNCE_MS);
  }

  onDidClose(document: TextDocument): void {
    const uri = document.uri;
    this.cancel(uri);
    const known = this.session.get(uri) !== undefined;
    this.session.forget(uri);
    this.failures.forget(uri);
    this.notifiedSkips.delete(uri);
    this.scheduledVersions.delete(uri);
    if (known) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.status.refresh();
    this.publishAll(this.session.reportOthers());
  }

  /** Starts analysing, once the settings are known; documents opened before are analysed now. */
  start(): void {
    this.started = true;
    this.analyseAll();
  }

  /** Analyses every open document again, after a settings change. */
  analyseAll(): void {
    for (const document of this.documents.all()) this.schedule(document, 0);
  }

  /** Reports open documents again after the project index grew. */
  onProjectChanged(): void {
    this.publishAll(this.session.reportOthers());
  }

  private schedule(document: TextDocument, delay: number): void {
    const uri = document.uri;
    this.cancel(uri);
    this.scheduledVersions.set(uri, document.version);
    if (!this.started) return;
    const generation = this.generations.get(uri) ?? 0;
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.run(uri, generation);
      }, delay),
    );
  }

  private cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.generations.set(uri, (this.generations.get(uri) ?? 0) + 1);
  }

  private async run(uri: string, generation: number): Promise<void> {
    const document = this.documents.get(uri);
    if (!document) return;
    const version = document.version;
    const stillCurrent = () =>
      this.generations.get(uri) === generation && this.documents.get(uri)?.version === version;
    this.status.begin();
    try {
      const started = Date.now();
      const state = await this.session.analyse(document, stillCurrent);
      if (!state) return;
      this.logger.debug(
        () =>
          `Analysed ${displayName(uri)} v${version} in ${Date.now() - started} ms: ${state.findings.length} findings.`,
      );
      this.noteSkip(state);
      this.publish(state);
      if (state.kind === 'c') this.publishAll(this.session.reportOthers(uri));
    } catch (error) {
      this.failures.report('Analysis', uri, error);
      this.session.settle(uri);
    } finally {
      this.status.end();
    }
  }

  private noteSkip(state: DocumentState): void {
    if (!state.skipped || this.notifiedSkips.has(state.uri)) return;
    this.notifiedSkips.add(state.uri);
    const why =
      state.skipped === 'huge'
        ? `it is larger than ${MAX_ANALYSED_CHARS / (1024 * 1024)} MB`
        : 'it looks like a binary file';
    this.logger.info(`Not analysing ${state.uri}: ${why}.`);
    showInfo(this.connection, `rcu-lens does not analyse ${displayName(state.uri)}: ${why}.`);
  }

  private publishAll(states: readonly DocumentState[]): void {
    for (const state of states) this.publish(state);
    if (states.length > 0) this.status.refresh();
  }

  private publish(state: DocumentState): void {
    void this.connection.sendDiagnostics({
      uri: state.uri,
      version: state.version,
      diagnostics: diagnosticsOf(state),
    });
  }
}
