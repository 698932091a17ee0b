/**
 * Whether two list operations in a file are about the same list, and whether a list is still
 * private to the function that builds it. Lists are keyed by their member name (`list`), which
 * many unrelated structs share; the element type and where the head comes from tell them apart.
 */
import type { Site } from '../analysis/file-analysis';
import { nodeVariable } from '../context/flow';

/** The struct an operation's elements are, when the code says: `struct foo *pos`, `struct foo`. */
export function elementType(site: Site): string | undefined {
  const p = site.primitive;
  const args = site.event.args;
  if (p.kind === 'accessor') return /\bstruct\s+(\w+)/.exec(args[1]?.text ?? '')?.[1];
  const arg = p.kind === 'update' ? args[p.nodeArg ?? 0]?.text : args[0]?.text;
  const variable = arg ? nodeVariable(arg) : undefined;
  const type = variable ? site.fn.fact.variables.get(variable) : undefined;
  return type ? /\bstruct\s+(\w+)/.exec(type)?.[1] : undefined;
}

/** Same member name, and no known element types that differ. */
export function sameList(a: Site, b: Site): boolean {
  if (!a.memberKey || a.memberKey !== b.memberKey) return false;
  const ta = elementType(a);
  const tb = elementType(b);
  return ta === undefined || tb === undefined || ta === tb;
}

/**
 * A head nobody else can see yet: a local or parameter list (`LIST_HEAD(tmp)`, `struct
 * list_head *list`), a head initialised earlier in this function, or one inside an object
 * this function allocated. Lists built like this are published later, as a whole.
 */
export function isPrivateHead(site: Site, text: string): boolean {
  const p = site.primitive;
  const arg = p.headArg !== undefined ? site.event.args[p.headArg]?.text : undefined;
  if (!arg) return false;
  const bare = /^\s*&?\s*(\w+)\s*$/.exec(arg)?.[1];
  if (bare && site.fn.fact.variables.has(bare)) return true;
  const body = text.slice(site.fn.fact.span.start, site.event.span.start);
  const head = normalise(arg);
  for (const m of body.matchAll(/\bINIT_LIST_HEAD(?:_RCU)?\s*\(([^;]*)\)\s*;/g))
    if (normalise(m[1]) === head) return true;
  const owner = /^&?\(?\s*(\w+)\s*\)?\s*(->|\.)/.exec(head)?.[1];
  return (
    owner !== undefined &&
    new RegExp(`\\b${owner}\\s*=\\s*\\w*(alloc|zalloc|new|create|dup)\\w*\\s*\\(`).test(body)
  );
}

/** `&(x)->list` and `& x->list` both become `x->list`. */
function normalise(expression: string): string {
  return expression
    .replace(/\s+/g, '')
    .replace(/^&/, '')
    .replace(/^\((\w+)\)/, '$1');
}
