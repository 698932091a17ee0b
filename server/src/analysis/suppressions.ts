/**
 * Suppression comments.
 *
 *   foo(); // rcu-lens: ignore sleep-in-rcu-reader
 *   /* rcu-lens: ignore rcu-traverse-outside-reader *\/   (on the line above)
 *   /* rcu-lens: ignore-function rcu-unlock-imbalance *\/ (above or inside a function)
 *
 * Several ids may be given, separated by commas or spaces; `all` matches every rule.
 */
import type { FileFacts } from '../facts/ir';
import type { LineIndex, Span } from '../parsing/text';

const DIRECTIVE = /rcu-lens:\s*(ignore|ignore-function)\s+([\w-]+(?:\s*,\s*[\w-]+|\s+[\w-]+)*)/g;

interface Suppression {
  readonly rules: ReadonlySet<string>;
  /** Lines (0-based) the suppression covers, or a span for function-level ones. */
  readonly lines?: ReadonlySet<number>;
  readonly span?: Span;
}

export class Suppressions {
  private readonly entries: Suppression[] = [];

  constructor(facts: FileFacts, lines: LineIndex) {
    for (const comment of facts.comments) {
      for (const m of comment.text.matchAll(DIRECTIVE)) {
        const rules = new Set(m[2].split(/[\s,]+/).filter(Boolean));
        if (m[1] === 'ignore-function') {
          const fn = facts.functions.find(
            (f) =>
              f.leadingComment?.span.start === comment.span.start ||
              (comment.span.start >= f.span.start && comment.span.end <= f.span.end),
          );
          if (fn) this.entries.push({ rules, span: fn.span });
          continue;
        }
        const line = lines.lineOf(comment.span.start);
        const endLine = lines.lineOf(comment.span.end);
        const ownLine = /^\s*$/.test(
          lines.lineText(line).slice(0, comment.span.start - lines.lineStart(line)),
        );
        const covered = new Set([line, endLine]);
        if (ownLine) covered.add(endLine + 1);
        this.entries.push({ rules, lines: covered });
      }
    }
  }

  /** Whether a finding of `rule` starting at `offset` (on `line`) is suppressed. */
  isSuppressed(rule: string, offset: number, line: number): boolean {
    return this.entries.some(
      (s) =>
        (s.rules.has(rule) || s.rules.has('all')) &&
        (s.lines
          ? s.lines.has(line)
          : s.span !== undefined && offset >= s.span.start && offset < s.span.end),
    );
  }
}
