/**
 * rcu-unlock-imbalance: a path leaves the function with an RCU reader still held, or releases
 * one it never took. Functions that only lock or only unlock (wrappers annotated __acquires or
 * __releases) hand the reader over on purpose and are left alone.
 */
import type { FunctionAnalysis } from '../analysis/file-analysis';
import { callEvents } from '../context/realmode';
import { describeToken } from '../context/protection';
import { effectsOf } from '../catalogue/calls';
import { isReaderToken, readerTokensUsed } from '../context/wrappers';
import { unlockBeforeExits } from './fixes';
import type { Rule, RuleContext } from './rule';

const UNLOCK_CALL: Record<string, string> = {
  rcu: 'rcu_read_unlock();',
  rcu_bh: 'rcu_read_unlock_bh();',
  rcu_sched: 'rcu_read_unlock_sched();',
  rcu_trace: 'rcu_read_unlock_trace();',
};

export const rule: Rule = {
  id: 'rcu-unlock-imbalance',
  check(ctx: RuleContext): void {
    for (const fn of ctx.analysis.functions) {
      const { acquired, released, callersHold } = readerTokensUsed(fn.fact);
      if (fn.fact.attributes.some((a) => a.name === '__acquires' || a.name === '__releases'))
        continue;
      const handedOver = (token: string): boolean =>
        saysItReturnsHeld(fn) ||
        releasedByPartner(ctx, fn, token) ||
        callEvents(fn.fact).some((ev) => ctx.project.dropsCallersReader(ev.callee, token));
      for (const exit of fn.flow.exits) {
        const leaked = [...new Set(exit.states.flatMap((s) => [...s.keys()]))].filter(
          (t) =>
            isReaderToken(t) &&
            acquired.has(t) &&
            (released.has(t) || !looksLikeLockHelper(fn)) &&
            !callersHold.has(t) &&
            !handedOver(t),
        );
        if (leaked.length === 0) continue;
        const token = leaked[0];
        const lockEvent = callEvents(fn.fact).find((e) =>
          effectsOf(
            e.callee,
            e.args.map((a) => a.text),
          ).some((f) => f.kind === 'acquire' && f.token === token),
        );
        const unlock = UNLOCK_CALL[token];
        const where = exit.implicit ? 'the end of the function' : 'this return';
        ctx.report({
          at: exit.implicit ? exit.span : { start: exit.span.start, end: exit.span.start + 6 },
          message: `A path reaches ${where} with ${describeToken(token)} still held: add ${unlock ? unlock.slice(0, -1) : 'the unlock'} before it, or leave through the exit label that drops it.`,
          explanation: [
            `**${fn.fact.name}()** takes ${describeToken(token)} and releases it on some paths, but not on the one that reaches ${where}.`,
            'A reader left held blocks every later grace period on this CPU: synchronize_rcu() callers hang and memory queued with call_rcu()/kfree_rcu() is never freed. lockdep reports it as "lock held when returning to user space" only if the path runs.',
          ].join('\n\n'),
          related: lockEvent
            ? [{ span: lockEvent.calleeSpan, message: `${describeToken(token)} taken here` }]
            : [],
          causes: lockEvent ? [lockEvent.span] : [],
          fixes:
            unlock && !exit.implicit
              ? [
                  {
                    title: `Add ${unlock.slice(0, -1)} before the return`,
                    edits: unlockBeforeExits(ctx.analysis, fn, exit.span, unlock),
                    preferred: true,
                  },
                ]
              : [],
        });
      }
      const seen = new Set<string>();
      for (const { event, token } of fn.flow.doubleReleases) {
        const key = `${event.span.start}:${token}`;
        if (seen.has(key) || !acquired.has(token) || callersHold.has(token)) continue;
        seen.add(key);
        ctx.report({
          at: event.calleeSpan,
          message: `\`${event.callee}()\` releases ${describeToken(token)} on a path that does not hold it: remove the extra unlock, or make both paths take the reader.`,
          explanation: `**${fn.fact.name}()** reaches this unlock on a path where ${describeToken(token)} was never taken or was already released. An unbalanced rcu_read_unlock() corrupts the reader nesting count; lockdep reports it only when the path runs.`,
        });
      }
    }
  },
};

/** "on success, the function performs a rcu_read_lock()", "returns with the RCU read lock held". */
const RETURNS_HELD =
  /\b(returns?|exits?) with\b[^.]*\b(rcu_read_lock|RCU read[- ]lock|RCU reader)\b|\b(performs|takes|acquires|keeps) (a |the )?(rcu_read_lock|RCU read[- ]lock)\b/i;

function saysItReturnsHeld(fn: FunctionAnalysis): boolean {
  return RETURNS_HELD.test(fn.fact.leadingComment?.text ?? '');
}

/**
 * Another function of the file that drops the reader without taking one: the other half of a
 * get/put or enter/exit pair (page_ext_get()/page_ext_put(), a trap handler and its post
 * handler), which the reader is handed to on purpose.
 */
function releasedByPartner(ctx: RuleContext, fn: FunctionAnalysis, token: string): boolean {
  return ctx.analysis.functions.some((other) => {
    if (other === fn) return false;
    const used = readerTokensUsed(other.fact);
    return used.released.has(token) && used.acquired.size === 0;
  });
}

/**
 * A function that takes a reader and never drops it is either a helper that hands it to its
 * caller (`foo_lock()`, `foo_get()`, a lookup returning the entry it found) or the plain bug
 * of a forgotten rcu_read_unlock().
 */
function looksLikeLockHelper(fn: FunctionAnalysis): boolean {
  return (
    fn.fact.returnType.includes('*') ||
    /(lock|get|begin|start|enter|acquire|hold|grab|find|lookup)/i.test(fn.fact.name)
  );
}
