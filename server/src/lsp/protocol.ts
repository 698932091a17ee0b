/**
 * The parts of the protocol rcu-lens adds to LSP, shared by the server and the VS Code client.
 * Only plain data and method names live here, so the client bundle pulls in nothing else.
 */

/** Server -> client: analysis state for the status bar. */
export const STATUS_NOTIFICATION = 'rcuLens/status';

export interface StatusParams {
  readonly state: 'idle' | 'analysing';
  /** Unsuppressed findings over all open documents. */
  readonly findings: number;
  /** Open documents that have been analysed. */
  readonly files: number;
}

/** The command a code lens runs; the client shows the evidence in a quick pick. */
export const SHOW_CONTEXT_COMMAND = 'rcuLens.showContext';

/** One step of a function's evidence chain, with where it is. */
export interface EvidenceStep {
  readonly message: string;
  readonly uri?: string;
  readonly range?: {
    readonly start: { readonly line: number; readonly character: number };
    readonly end: { readonly line: number; readonly character: number };
  };
}

/** The argument of `rcuLens.showContext`. */
export interface ShowContextArgs {
  readonly uri: string;
  readonly function: string;
  readonly label: string;
  readonly evidence: readonly EvidenceStep[];
}

/** Client -> server: the context of the function at a position, for the command palette. */
export const CONTEXT_AT_REQUEST = 'rcuLens/contextAt';

export interface ContextAtParams {
  readonly textDocument: { readonly uri: string };
  readonly position: { readonly line: number; readonly character: number };
}

/** What a diagnostic's `data` holds: the fixes computed with it, for its document version. */
export interface DiagnosticData {
  readonly version: number;
  readonly rule: string;
  /** Index of the finding in the document's report, to find it again cheaply. */
  readonly index: number;
}
