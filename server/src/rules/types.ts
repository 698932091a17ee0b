/**
 * The shapes every rule produces and every front end consumes.
 *
 * A finding is located by a span into the analysed text (UTF-16 offsets) and by the same
 * place as zero-based LSP positions, so front ends never convert positions themselves.
 */
import type { Position, Span } from '../parsing/text';
import type { RuleId } from './catalogue';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A zero-based LSP-style range. */
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** One replacement in the analysed text. */
export interface TextEdit {
  readonly span: Span;
  readonly range: Range;
  readonly newText: string;
}

/** A quick fix: edits to the analysed file that make the finding go away. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The one safe fix of a finding; editors apply it with "auto fix". */
  readonly preferred: boolean;
}

/** A step of the evidence chain, possibly in another file. */
export interface Related {
  /** Absolute or workspace-relative path; the finding's own file when equal to it. */
  readonly file: string;
  readonly range: Range;
  readonly message: string;
}

/** One report of misuse. */
export interface Finding {
  readonly rule: RuleId;
  readonly severity: Severity;
  /** One sentence: what is wrong and what to do. */
  readonly message: string;
  readonly file: string;
  readonly span: Span;
  readonly range: Range;
  /** Evidence for the finding, root first. */
  readonly related: readonly Related[];
  readonly fixes: readonly Fix[];
  /**
   * Where the cause lies when it is not at `span`: a reader opened on one line and left open
   * on another is caused by the line that opened it. Patch review maps findings by this.
   */
  readonly causes: readonly Span[];
  /** Markdown explanation for hovers: why, with the evidence, and what to do. */
  readonly explanation: string;
  /** Set when a suppression comment silences the finding; front ends hide it, counts keep it. */
  readonly suppressed: boolean;
}
