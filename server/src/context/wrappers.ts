/**
 * Functions of a file that take or drop protection for their callers: lock wrappers such as
 * htab_lock_bucket(), which returns with the bucket's raw spinlock held, and functions
 * annotated `__releases(RCU)` or `__acquires(RCU)`. A call to one of them changes the
 * caller's state as the lock call inside it would.
 */
import { effectsOf, READER_TOKENS, type Effect } from '../catalogue/calls';
import type { FileFacts, FunctionFact } from '../facts/ir';
import { callEvents } from './realmode';

/** What a call to each wrapper of the file does, by function name. */
export function findLocalEffects(facts: FileFacts): Map<string, Effect[]> {
  const out = new Map<string, Effect[]>();
  for (const fn of facts.functions) {
    const effects = annotatedEffects(fn) ?? wrapperEffects(fn);
    if (effects.length > 0 && !out.has(fn.name)) out.set(fn.name, effects);
  }
  return out;
}

/** `__releases(RCU)` / `__acquires(RCU)`: sparse's word for a reader handed across the call. */
function annotatedEffects(fn: FunctionFact): Effect[] | undefined {
  const effects: Effect[] = [];
  for (const a of fn.attributes) {
    if (!/^rcu$/i.test(a.argument)) continue;
    if (a.name === '__releases') effects.push({ kind: 'release', token: 'rcu' });
    if (a.name === '__acquires') effects.push({ kind: 'acquire', token: 'rcu' });
  }
  return effects.length > 0 ? effects : undefined;
}

/**
 * A function that only takes locks (or only drops them), never both, is a wrapper: its lock
 * outlives the call. Readers are left out: a function that only takes rcu_read_lock() is
 * usually a lookup that returns under it, which its own comment or annotation must say.
 */
function wrapperEffects(fn: FunctionFact): Effect[] {
  const acquired: Effect[] = [];
  const released: Effect[] = [];
  for (const ev of callEvents(fn)) {
    for (const e of effectsOf(
      ev.callee,
      ev.args.map((a) => a.text),
    )) {
      if (e.kind !== 'acquire' && e.kind !== 'release') continue;
      if (!/^(spin|mutex):/.test(e.token)) continue;
      (e.kind === 'acquire' ? acquired : released).push(e);
    }
  }
  if (acquired.length > 0 && released.length === 0) return acquired;
  if (released.length > 0 && acquired.length === 0) return released;
  return [];
}

/**
 * The reader tokens a function takes and drops. `callersHold` has those it drops before it
 * first takes them, in source order: such a function runs inside its caller's reader and
 * leaves it for a while (to sleep in folio_lock(), say), then takes it again before returning.
 */
export function readerTokensUsed(fn: FunctionFact): {
  acquired: Set<string>;
  released: Set<string>;
  callersHold: Set<string>;
} {
  const acquired = new Set<string>();
  const released = new Set<string>();
  const callersHold = new Set<string>();
  for (const ev of callEvents(fn)) {
    for (const effect of effectsOf(
      ev.callee,
      ev.args.map((a) => a.text),
    )) {
      if (!('token' in effect) || !isReaderToken(effect.token)) continue;
      if (effect.kind === 'acquire') acquired.add(effect.token);
      if (effect.kind === 'release') {
        if (!acquired.has(effect.token)) callersHold.add(effect.token);
        released.add(effect.token);
      }
    }
  }
  return { acquired, released, callersHold };
}

/** RCU and SRCU reader tokens (not locks or contexts). */
export function isReaderToken(token: string): boolean {
  return READER_TOKENS.has(token) || token.startsWith('srcu:');
}
