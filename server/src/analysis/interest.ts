/**
 * Which functions of a file are judged by their callers, so that a whole-tree run can look for
 * those callers in files that never mention RCU (nft_osf.c calls nf_osf_find() from an nft
 * `->eval` callback, which runs in a reader, and has no `rcu` in it).
 */
import { needsReader } from '../catalogue/primitives';
import { readerProtection } from '../context/protection';
import { callEvents } from '../context/realmode';
import type { FileAnalysis } from './file-analysis';

/** How many in-file call levels above a walk are followed, as ProjectIndex does for callers. */
const CALLER_DEPTH = 3;

/**
 * Names of the non-static functions whose callers decide a finding: those that walk an RCU
 * list without protection on some path, or lead to one through in-file calls.
 */
export function namesJudgedByCallers(analysis: FileAnalysis): string[] {
  let frontier = new Set<string>();
  for (const site of analysis.sites) {
    if (!needsReader(site.primitive) || site.hasCond) continue;
    if (site.states.some((s) => !readerProtection(s, site.primitive, false)))
      frontier.add(site.fn.fact.name);
  }
  for (const fn of analysis.functions) if (fn.duty?.reader) frontier.add(fn.fact.name);

  const callersOf = new Map<string, string[]>();
  for (const fn of analysis.functions) {
    for (const ev of callEvents(fn.fact)) {
      const list = callersOf.get(ev.callee) ?? [];
      list.push(fn.fact.name);
      callersOf.set(ev.callee, list);
    }
  }
  const reached = new Set(frontier);
  for (let depth = 0; depth < CALLER_DEPTH && frontier.size > 0; depth++) {
    const next = new Set<string>();
    for (const name of frontier) {
      for (const caller of callersOf.get(name) ?? []) if (!reached.has(caller)) next.add(caller);
    }
    for (const name of next) reached.add(name);
    frontier = next;
  }
  return [...reached].filter((name) => analysis.byName.get(name)?.fact.isStatic === false);
}

/** Whether C text mentions one of `names` as an identifier. */
export function mentionsAny(text: string, names: ReadonlySet<string>): boolean {
  const identifier = /[A-Za-z_]\w*/g;
  for (let m = identifier.exec(text); m; m = identifier.exec(text)) {
    if (names.has(m[0])) return true;
  }
  return false;
}
