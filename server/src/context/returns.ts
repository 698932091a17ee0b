/**
 * Lookups that return what they found on an RCU list. Their walk's protection is the callers'
 * business by construction, so a run that sees none of their callers has no one to blame.
 */
import { findPrimitive } from '../catalogue/primitives';
import type { FunctionFact, Stmt } from '../facts/ir';
import { callEvents } from './realmode';
import { readerTokensUsed } from './wrappers';

/**
 * A lookup that hands back what its `_rcu` walk found (`return pos;` of the walk's cursor, or
 * `return list_first_or_null_rcu(...)`) and takes no reader: the pointer is only good inside
 * a reader, so that reader is its callers' (wakeup_sources_walk_next(), the ipmr table
 * iterators). A caller that holds none is the one at fault.
 */
export function returnsRcuEntry(fn: FunctionFact, text: string): boolean {
  if (!fn.returnType.includes('*')) return false;
  if (readerTokensUsed(fn).acquired.size > 0) return false;
  const events = callEvents(fn);
  const cursors = new Set<string>();
  const accessors: string[] = [];
  for (const ev of events) {
    const p = findPrimitive(ev.callee);
    if (!p || p.flavor === 'plain' || p.flavor === 'lockless') continue;
    if (p.kind === 'iterator' && ev.args[0]) cursors.add(ev.args[0].text.trim());
    if (p.kind === 'accessor') accessors.push(ev.callee);
  }
  if (cursors.size === 0 && accessors.length === 0) return false;
  return returnTexts(fn, text).some((r) => {
    const value = r
      .replace(/^return\b/, '')
      .replace(/;\s*$/, '')
      .trim();
    return cursors.has(value) || accessors.some((a) => value.startsWith(`${a}(`));
  });
}

function returnTexts(fn: FunctionFact, text: string): string[] {
  const out: string[] = [];
  const visit = (s: Stmt): void => {
    if (s.kind === 'return') out.push(text.slice(s.span.start, s.span.end));
    else if (s.kind === 'block') s.body.forEach(visit);
    else if (s.kind === 'if') {
      visit(s.then);
      if (s.otherwise) visit(s.otherwise);
    } else if (s.kind === 'loop' || s.kind === 'switch') visit(s.body);
  };
  visit(fn.body);
  return out;
}
