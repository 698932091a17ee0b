/**
 * sync-rcu-in-atomic: synchronize_rcu() and kin block for a grace period; under a spinlock, with
 * preemption or interrupts disabled, in a timer or interrupt handler, or inside a reader they
 * either sleep in atomic context or wait for themselves.
 */
import { BLOCKING_GRACE_PERIODS } from '../catalogue/calls';
import { callEvents } from '../context/realmode';
import { atomicReason } from '../context/protection';
import type { Rule, RuleContext } from './rule';

export const rule: Rule = {
  id: 'sync-rcu-in-atomic',
  check(ctx: RuleContext): void {
    for (const fn of ctx.analysis.functions) {
      for (const ev of callEvents(fn.fact)) {
        if (!BLOCKING_GRACE_PERIODS.has(ev.callee)) continue;
        const states = fn.flow.visits.get(ev) ?? [];
        const reasons = states.map(atomicReason).filter((r): r is string => r !== undefined);
        if (reasons.length === 0) continue;
        const why =
          reasons.includes('the function runs in atomic context') && fn.atomic
            ? `${fn.fact.name}() is ${fn.atomic.reason}`
            : reasons[0];
        ctx.report({
          at: ev.calleeSpan,
          message: `\`${ev.callee}()\` blocks, but ${why}: defer the free with kfree_rcu() or call_rcu() instead of waiting.`,
          explanation: [
            `**${ev.callee}()** waits for a grace period (or for callbacks) and may sleep.`,
            `Here ${why}. Sleeping in atomic context is a bug ("scheduling while atomic"); inside an RCU reader the wait can never end.`,
            'Replace the wait by deferred reclamation: `kfree_rcu(obj, rcu_head_field)` or `call_rcu(&obj->rcu_head_field, free_fn)`, or move the wait to process context (a workqueue) after dropping the lock.',
          ].join('\n\n'),
        });
      }
    }
  },
};
