/**
 * What a rule sees and how it reports. A rule is one small module exporting a `Rule`; the
 * engine runs every rule over every file and turns drafts into findings.
 */
import type { FileAnalysis } from '../analysis/file-analysis';
import type { ProjectIndex } from '../analysis/project';
import type { Span } from '../parsing/text';
import type { RuleId } from './catalogue';

export interface EditDraft {
  readonly span: Span;
  readonly newText: string;
}

export interface FixDraft {
  readonly title: string;
  readonly edits: readonly EditDraft[];
  readonly preferred?: boolean;
}

export interface RelatedDraft {
  readonly span?: Span;
  /** Another file's position, for callers found elsewhere (0-based). */
  readonly elsewhere?: { readonly file: string; readonly line: number; readonly character: number };
  readonly message: string;
}

export interface FindingDraft {
  readonly at: Span;
  readonly message: string;
  readonly explanation: string;
  readonly related?: readonly RelatedDraft[];
  readonly fixes?: readonly FixDraft[];
  readonly causes?: readonly Span[];
}

export interface RuleOptions {
  /** Calls that may sleep: the documented default plus the user's additions. */
  readonly sleepingCalls: ReadonlySet<string>;
}

export interface RuleContext {
  readonly analysis: FileAnalysis;
  readonly project: ProjectIndex;
  readonly options: RuleOptions;
  report(draft: FindingDraft): void;
}

export interface Rule {
  readonly id: RuleId;
  check(context: RuleContext): void;
}
