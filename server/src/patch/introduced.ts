/**
 * Which findings a patch introduces. Review analyses both sides of a patch; a finding of the
 * new side that the old side already had is inherited, and review drops it even when a hunk
 * touches its function, so that a patch is judged by what it changes. What is left is what
 * the patch made wrong, whether on a line it adds or on a line it left bare, as when it
 * removes the `rcu_read_lock()` above a walk.
 */
import type { FileAnalysis } from '../analysis/file-analysis';
import type { Finding } from '../rules/types';

/** The findings of one side of a file and the analysis they came from. */
export interface SideFindings {
  readonly analysis: FileAnalysis;
  readonly findings: readonly Finding[];
}

interface Described {
  readonly finding: Finding;
  /** The same rule at the same place: rule, function, callee and line. */
  readonly placeKey?: string;
  /** The same rule saying the same thing in the same function. */
  readonly messageKey: string;
}

/**
 * The findings of `after` that `before` does not have. A finding matches one on the old side
 * when the rule, the function and the primitive or callee it names are the same and its line
 * maps (through `newToOld`) to the old finding's line; failing that, when the rule, function
 * and message are the same. Each old finding matches at most once, so a second walk that a
 * patch leaves bare is not hidden by an old finding on the first.
 */
export function selectIntroduced(
  after: SideFindings,
  before: SideFindings | undefined,
  newToOld: ReadonlyMap<number, number>,
): Finding[] {
  if (!before || before.findings.length === 0) return [...after.findings];
  const olds = before.findings.map((finding) =>
    describe(finding, before.analysis, finding.range.start.line + 1),
  );
  const news = after.findings.map((finding) =>
    describe(finding, after.analysis, newToOld.get(finding.range.start.line + 1)),
  );
  const used = new Set<Described>();
  const matched = new Set<Described>();
  for (const key of ['placeKey', 'messageKey'] as const) {
    for (const item of news) {
      if (matched.has(item) || item[key] === undefined) continue;
      const old = olds.find((candidate) => !used.has(candidate) && candidate[key] === item[key]);
      if (!old) continue;
      used.add(old);
      matched.add(item);
    }
  }
  return news.filter((item) => !matched.has(item)).map((item) => item.finding);
}

/** Keys a finding; `oldLine` is its line in the old text, when it has one there. */
function describe(
  finding: Finding,
  analysis: FileAnalysis,
  oldLine: number | undefined,
): Described {
  const fn = functionNameAt(analysis, finding.span.start);
  const callee = calleeAt(analysis.text, finding.span.start);
  return {
    finding,
    placeKey:
      oldLine === undefined ? undefined : JSON.stringify([finding.rule, fn, callee, oldLine]),
    messageKey: JSON.stringify([finding.rule, fn, finding.message]),
  };
}

/** The name of the innermost function whose definition holds `offset`; '' at file scope. */
function functionNameAt(analysis: FileAnalysis, offset: number): string {
  let best: { name: string; size: number } | undefined;
  for (const fn of analysis.facts.functions) {
    const size = fn.span.end - fn.span.start;
    if (fn.span.start <= offset && offset < fn.span.end && (!best || size < best.size))
      best = { name: fn.name, size };
  }
  return best?.name ?? '';
}

/** The identifier a finding starts with: the primitive or callee it is about. */
function calleeAt(text: string, offset: number): string {
  return /^[A-Za-z_]\w*/.exec(text.slice(offset, offset + 200))?.[0] ?? '';
}
