/**
 * Who is at fault for an `_rcu` walk without a reader: the walking function, or its callers.
 * Shared by rcu-traverse-outside-reader and rcu-callee-needs-reader so the two never report
 * the same walk twice.
 */
import type { FileAnalysis, FunctionAnalysis, Site } from '../analysis/file-analysis';
import type { CallSite, ProjectIndex } from '../analysis/project';
import { needsReader } from '../catalogue/primitives';
import { holdsSrcu, readerProtection } from '../context/protection';
import { returnsRcuEntry } from '../context/returns';
import type { State } from '../context/state';

/** States a site is checked in: noinstr code inside an instrumentation window is ordinary. */
function checkedStates(site: Site): readonly State[] {
  const kind = site.fn.restricted?.kind;
  if (kind === 'real-mode') return [];
  if (kind === 'noinstr' || kind === 'idle') return site.states.filter((s) => s.has('instr'));
  return site.states;
}

/** The states in which an `_rcu` walk has no protection; empty when it is protected. */
export function unprotectedStates(site: Site): State[] {
  if (!needsReader(site.primitive)) return [];
  return checkedStates(site).filter((s) => !readerProtection(s, site.primitive, site.hasCond));
}

export type WalkVerdict =
  | { readonly kind: 'protected' }
  /** The function itself should take the reader. */
  | { readonly kind: 'walker' }
  /** The function relies on its callers; these callers do not provide a reader. */
  | { readonly kind: 'callers'; readonly unprotected: readonly CallSite[] };

/** Judges a function whose body walks without its own reader. */
export function judgeWalker(
  fn: FunctionAnalysis,
  analysis: FileAnalysis,
  project: ProjectIndex,
): WalkVerdict {
  const file = analysis.facts.file;
  const callers = project.callersOf(fn.fact.name, file, fn.fact.isStatic);
  // A static helper in a header is called from the files that include it, which hold the
  // protection (or not) there; blaming the header would report one walk per includer's bug.
  if (callers.length === 0 && fn.fact.isStatic && /\.h$/.test(file))
    return { kind: 'callers', unprotected: [] };
  // A lookup that returns what it found keeps its entry valid only inside its callers'
  // reader: with none of them seen there is no one to blame.
  const returnsEntry = returnsRcuEntry(fn.fact, analysis.text);
  if (callers.length === 0)
    return returnsEntry ? { kind: 'callers', unprotected: [] } : { kind: 'walker' };
  // A walk inside the function's own SRCU reader only lacks its srcu_read_lock_held() cond:
  // that is the walker's to add, and no reader the callers take would be the right fix.
  const bare = analysis.sites.filter((s) => s.fn === fn).flatMap(unprotectedStates);
  if (bare.length > 0 && bare.every(holdsSrcu)) return { kind: 'walker' };
  const unknown = project.hasUnknownCallers(fn.fact.name, file);
  const srcuEnough = uncheckedOnly(analysis, fn);
  const unprotected = callers.filter(
    (c) => !project.isCallSiteProtected(c, 3, new Set(), srcuEnough),
  );
  if (unprotected.length === 0)
    return unknown && !returnsEntry ? { kind: 'walker' } : { kind: 'protected' };
  // A call followed through a pointer may be someone else's ops member of the same name: it
  // can vouch for a reader, but a walker reached that way without one keeps the blame.
  if (unprotected.some((c) => c.via)) return { kind: 'walker' };
  if (unprotected.length === callers.filter((c) => !c.via).length) return { kind: 'walker' };
  return { kind: 'callers', unprotected };
}

/** Functions whose callers must provide the reader: by their own duty, or by the verdict above. */
export function readerDependents(
  analysis: FileAnalysis,
  project: ProjectIndex,
): { fn: FunctionAnalysis; walk: Site; unprotected: CallSite[] }[] {
  const out: { fn: FunctionAnalysis; walk: Site; unprotected: CallSite[] }[] = [];
  const file = analysis.facts.file;
  for (const fn of analysis.functions) {
    if (fn.restricted?.kind === 'real-mode') continue;
    const walks = analysis.sites.filter(
      (s) => s.fn === fn && needsReader(s.primitive) && !s.hasCond,
    );
    if (walks.length === 0) continue;
    if (fn.duty?.reader) {
      const ownReader = walks.every((w) =>
        w.states.every((s) => readerProtection(withoutAssertions(s), w.primitive, false)),
      );
      if (ownReader) continue;
      const unprotected = project
        .callersOf(fn.fact.name, file, fn.fact.isStatic)
        .filter(
          (c) =>
            !c.via && !project.isCallSiteProtected(c, 3, new Set(), uncheckedOnly(analysis, fn)),
        );
      if (unprotected.length > 0) out.push({ fn, walk: walks[0], unprotected });
      continue;
    }
    const walk = walks.find((w) => unprotectedStates(w).length > 0);
    if (!walk) continue;
    const verdict = judgeWalker(fn, analysis, project);
    if (verdict.kind === 'callers') out.push({ fn, walk, unprotected: [...verdict.unprotected] });
  }
  return out;
}

/**
 * Whether every reader-needing site of the function is one PROVE_RCU_LIST does not check
 * (list_next_or_null_rcu() and the other accessors): callers' SRCU readers then protect it
 * as much as the updaters' synchronize_srcu() makes them.
 */
function uncheckedOnly(analysis: FileAnalysis, fn: FunctionAnalysis): boolean {
  const walks = analysis.sites.filter((s) => s.fn === fn && needsReader(s.primitive));
  return walks.length > 0 && walks.every((s) => s.primitive.runtimeCheck === 'none');
}

function withoutAssertions(state: State): State {
  return new Map([...state].filter(([t]) => !t.endsWith('#a')));
}
