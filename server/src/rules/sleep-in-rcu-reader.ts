/**
 * sleep-in-rcu-reader: a call that may sleep inside an rcu_read_lock() section. Sleeping in a
 * reader is a bug in non-preemptible kernels and stalls grace periods in preemptible ones.
 * The list of sleeping calls is documented and extended by the rcuLens.sleepingCalls setting.
 */
import { BLOCKING_GRACE_PERIODS, sleepReason } from '../catalogue/calls';
import { callEvents } from '../context/realmode';
import { holdsRcuReader } from '../context/protection';
import type { Rule, RuleContext } from './rule';

export const rule: Rule = {
  id: 'sleep-in-rcu-reader',
  check(ctx: RuleContext): void {
    for (const fn of ctx.analysis.functions) {
      for (const ev of callEvents(fn.fact)) {
        if (BLOCKING_GRACE_PERIODS.has(ev.callee)) continue;
        const reason = sleepReason(
          ev.callee,
          ev.args.map((a) => a.text),
          ctx.options.sleepingCalls,
        );
        if (!reason) continue;
        const states = fn.flow.visits.get(ev) ?? [];
        if (!states.some((s) => holdsRcuReaderExplicitly(s))) continue;
        ctx.report({
          at: ev.calleeSpan,
          message: `${reason} inside an RCU read-side critical section: move it before rcu_read_lock() or after rcu_read_unlock(), or take a reference to the entry and drop the reader first.`,
          explanation: [
            `**${ev.callee}()** may sleep, and this path holds an RCU reader.`,
            'Sleeping inside `rcu_read_lock()` is illegal: with CONFIG_PREEMPT_NONE it is a "scheduling while atomic" bug, and in preemptible kernels it blocks grace periods for as long as the sleep lasts.',
            'The choices: do the sleeping work before taking the reader (copy from user space or allocate first); take a reference (`refcount_inc_not_zero()`, `kref_get_unless_zero()`) inside the reader, drop the reader, then sleep; use a non-sleeping variant (`GFP_ATOMIC`, `GFP_NOWAIT`); or protect the list with SRCU, whose readers may sleep.',
          ].join('\n\n'),
        });
      }
    }
  },
};

function holdsRcuReaderExplicitly(state: ReadonlyMap<string, number>): boolean {
  for (const token of state.keys())
    if (!token.endsWith('#a') && holdsRcuReader(new Map([[token, 1]]))) return true;
  return false;
}
