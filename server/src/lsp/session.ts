/**
 * The analysis state of the open documents: one Analyzer with the current settings, the
 * project index, and the latest report of each document. Features read reports from here and
 * never run the engine themselves.
 */
import * as path from 'node:path';

import type { TextDocument } from 'vscode-languageserver-textdocument';

import { Analyzer, type FileReport } from '../analysis/analyzer';
import type { FileAnalysis } from '../analysis/file-analysis';
import type { AnalysisSettings } from '../analysis/settings';
import { reviewPatch } from '../patch/review';
import type { Finding } from '../rules/types';
import { classifyDocument, fileKeyOf, skipReason } from './documents';
import type { Logger } from './logger';
import type { WorkspaceProject } from './project';
import { yieldToEvents } from './yield';

export interface DocumentState {
  readonly uri: string;
  readonly version: number;
  readonly kind: 'c' | 'patch';
  /** Every finding, suppressed ones included (front ends hide those, counts keep them). */
  readonly findings: readonly Finding[];
  /** C documents only: what hovers, tokens and lenses read. */
  readonly analysis?: FileAnalysis;
  readonly report?: FileReport;
  /** Set when the document was too big or binary and was not analysed. */
  readonly skipped?: 'huge' | 'binary';
}

/** Tells a run whether its document is still at the version it started with. */
export type StillCurrent = () => boolean;

/** How long a request waits for the analysis of the version it was asked about. */
export const ANALYSIS_WAIT_MS = 3000;

interface Waiter {
  readonly version: number;
  readonly resolve: (state: DocumentState | undefined) => void;
}

export class AnalysisSession {
  private analyzer?: Analyzer;
  private loading?: Promise<Analyzer>;
  private readonly states = new Map<string, DocumentState>();
  private readonly waiters = new Map<string, Waiter[]>();
  private workspaceFolders: string[] = [];

  constructor(
    readonly project: WorkspaceProject,
    private readonly logger: Logger,
    private settings: AnalysisSettings,
  ) {}

  /** The analyzer, when it has loaded; siblings are only indexed after that. */
  get loadedAnalyzer(): Analyzer | undefined {
    return this.analyzer;
  }

  get workspaceFolderPaths(): readonly string[] {
    return this.workspaceFolders;
  }

  /** Workspace folder paths; a patch under one of them is applied to that tree. */
  setWorkspaceFolders(folders: readonly string[]): void {
    this.workspaceFolders = [...folders].sort((a, b) => b.length - a.length);
  }

  /** Switches settings; callers then analyse the open documents again. */
  setSettings(settings: AnalysisSettings): void {
    this.settings = settings;
    if (this.analyzer) this.analyzer = this.analyzer.withSettings(settings);
    this.project.reindexSiblings();
  }

  /** The latest state of a document, if it has been analysed. */
  get(uri: string): DocumentState | undefined {
    return this.states.get(uri);
  }

  /** Every analysed document. */
  all(): DocumentState[] {
    return [...this.states.values()];
  }

  /**
   * The state of a document at `version` or newer. Requests that arrive while their version is
   * still being analysed wait for it, so hovers and tokens never describe another text.
   * Resolves with whatever is known (maybe older) after `timeoutMs`.
   */
  whenAnalysed(
    uri: string,
    version: number,
    timeoutMs = ANALYSIS_WAIT_MS,
  ): Promise<DocumentState | undefined> {
    const state = this.states.get(uri);
    if (state && state.version >= version) return Promise.resolve(state);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        version,
        resolve: (result) => {
          clearTimeout(timer);
          this.waiters.set(
            uri,
            (this.waiters.get(uri) ?? []).filter((w) => w !== waiter),
          );
          resolve(result);
        },
      };
      const timer = setTimeout(() => waiter.resolve(this.states.get(uri)), timeoutMs);
      this.waiters.set(uri, [...(this.waiters.get(uri) ?? []), waiter]);
    });
  }

  /** The analysis of exactly the document's current text, waiting for it if it is running. */
  async current(document: TextDocument): Promise<DocumentState | undefined> {
    if (classifyDocument(document) === 'other') return undefined;
    const state = await this.whenAnalysed(document.uri, document.version);
    return state?.version === document.version ? state : undefined;
  }

  /** Releases requests waiting on a document whose analysis failed or was closed. */
  settle(uri: string): void {
    for (const waiter of this.waiters.get(uri) ?? []) waiter.resolve(this.states.get(uri));
    this.waiters.delete(uri);
  }

  /** Drops a closed document. */
  forget(uri: string): void {
    const state = this.states.get(uri);
    this.states.delete(uri);
    this.settle(uri);
    if (state?.kind === 'c') this.project.closeOpen(fileKeyOf(uri));
  }

  /**
   * Analyses a document. Returns undefined when the document is of no interest or a newer
   * version arrived meanwhile (the stale result is dropped, not stored).
   */
  async analyse(
    document: TextDocument,
    stillCurrent: StillCurrent,
  ): Promise<DocumentState | undefined> {
    const kind = classifyDocument(document);
    if (kind === 'other') return undefined;
    const text = document.getText();
    const skipped = skipReason(text);
    if (skipped)
      return this.store({
        uri: document.uri,
        version: document.version,
        kind,
        findings: [],
        skipped,
      });
    const analyzer = await this.load();
    if (!stillCurrent()) return undefined;
    const state =
      kind === 'c'
        ? await this.analyseC(analyzer, document, text, stillCurrent)
        : await this.analysePatch(analyzer, document, text);
    return state && stillCurrent() ? this.store(state) : undefined;
  }

  /**
   * Runs the rules again over open C documents other than `except`, since callers in one file
   * change findings in another. Returns the states whose findings changed.
   */
  reportOthers(except?: string): DocumentState[] {
    const changed: DocumentState[] = [];
    if (!this.analyzer) return changed;
    for (const state of this.states.values()) {
      if (state.uri === except || !state.analysis) continue;
      const report = this.analyzer.report(state.analysis, this.project.index);
      if (sameFindings(report.findings, state.findings)) continue;
      changed.push(this.store({ ...state, report, findings: report.findings }));
    }
    return changed;
  }

  private async analyseC(
    analyzer: Analyzer,
    document: TextDocument,
    text: string,
    stillCurrent: StillCurrent,
  ): Promise<DocumentState | undefined> {
    const file = fileKeyOf(document.uri);
    const analysis = analyzer.prepare(file, text);
    // Parsing is the long part; let a newer change or another request in before the rules run.
    await yieldToEvents();
    if (!stillCurrent()) return undefined;
    this.project.addOpen(analysis);
    this.project.scanSiblingsOf(file);
    const report = analyzer.report(analysis, this.project.index);
    return {
      uri: document.uri,
      version: document.version,
      kind: 'c',
      findings: report.findings,
      analysis,
      report,
    };
  }

  private async analysePatch(
    analyzer: Analyzer,
    document: TextDocument,
    text: string,
  ): Promise<DocumentState> {
    const file = fileKeyOf(document.uri);
    const tree = this.workspaceFolders.find(
      (folder) => path.isAbsolute(file) && file.startsWith(folder + path.sep),
    );
    const review = await reviewPatch(text, { analyzer, patchFile: file, tree });
    for (const problem of review.problems)
      this.logger.debug(`${file}:${problem.line}: ${problem.message}`);
    return {
      uri: document.uri,
      version: document.version,
      kind: 'patch',
      findings: review.findings.map((f) => f.finding),
    };
  }

  private load(): Promise<Analyzer> {
    this.loading ??= Analyzer.create(this.settings)
      .then((analyzer) => {
        // Settings may have changed while the parser loaded.
        this.analyzer = analyzer.withSettings(this.settings);
        return this.analyzer;
      })
      .catch((error: unknown) => {
        // Let the next document try again rather than failing forever.
        this.loading = undefined;
        throw error;
      });
    return this.loading.then(() => this.analyzer!);
  }

  private store(state: DocumentState): DocumentState {
    this.states.set(state.uri, state);
    for (const waiter of this.waiters.get(state.uri) ?? []) {
      if (waiter.version <= state.version) waiter.resolve(state);
    }
    return state;
  }
}

function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a.length !== b.length) return false;
  return a.every(
    (f, i) =>
      f.rule === b[i].rule &&
      f.span.start === b[i].span.start &&
      f.message === b[i].message &&
      f.suppressed === b[i].suppressed &&
      f.related.length === b[i].related.length,
  );
}
