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

/**
 * Whether C text uses one of `names` other than in a declaration: called, or taken as a
 * pointer. A name right after a type (`int foo(`, `struct bar *foo(`) is a prototype, which
 * headers are full of and which holds no caller.
 */
export function usesAny(text: string, names: ReadonlySet<string>): boolean {
  const identifier = /[A-Za-z_]\w*/g;
  let previous = '';
  for (let m = identifier.exec(text); m; m = identifier.exec(text)) {
    const name = m[0];
    if (names.has(name) && !followsType(text, m.index, previous)) return true;
    previous = name;
  }
  return false;
}

const STATEMENT_WORDS = new Set(['return', 'else', 'case', 'do', 'sizeof']);

/** Whether the identifier at `at` comes straight after a type name or a `*` of one. */
function followsType(text: string, at: number, previous: string): boolean {
  let k = at - 1;
  while (k >= 0 && (text[k] === ' ' || text[k] === '\t' || text[k] === '\n')) k--;
  const c = text[k];
  if (c === '*') return true;
  if (!c || !/\w/.test(c)) return false;
  return !STATEMENT_WORDS.has(previous);
}
