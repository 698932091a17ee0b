/**
 * rcu-callee-needs-reader: a call, from a path with no reader, to a function that walks an
 * RCU list relying on its callers for the reader (its comment says so, or its other callers
 * provide one).
 */
import { readerDependents } from './reader-policy';
import { insertLineAfter, insertLineBefore, indentAt } from './fixes';
import type { Rule, RuleContext } from './rule';

export const rule: Rule = {
  id: 'rcu-callee-needs-reader',
  check(ctx: RuleContext): void {
    const file = ctx.analysis.facts.file;
    for (const { fn, walk, unprotected } of readerDependents(ctx.analysis, ctx.project)) {
      for (const call of unprotected) {
        if (call.file !== file) continue;
        const why = fn.duty?.reader ? fn.duty.because : 'its other callers hold rcu_read_lock()';
        const statementStart = ctx.analysis.text.lastIndexOf('\n', call.span.start) + 1;
        const indent = indentAt(ctx.analysis, call.span.start);
        ctx.report({
          at: call.span,
          message: `\`${fn.fact.name}()\` walks an RCU list with \`${walk.primitive.name}\` and relies on its caller for the reader (${why}), but this call holds none: take rcu_read_lock() around it.`,
          explanation: [
            `**${fn.fact.name}()** walks with \`${walk.primitive.name}\` and does not take a reader itself: ${why}.`,
            `This call from \`${call.caller}()\` reaches it with no RCU reader, spinlock or disabled preemption on at least one path.`,
            'Take `rcu_read_lock()` around the call and keep it until the result is no longer used, or take a reference to the entry inside the reader.',
          ].join('\n\n'),
          related: [
            {
              span: walk.event.calleeSpan,
              message: `the walk in ${fn.fact.name}() that needs the reader`,
            },
            ...(fn.duty?.span ? [{ span: fn.duty.span, message: fn.duty.because }] : []),
          ],
          fixes: [
            {
              title: 'Take rcu_read_lock() around the call',
              edits: [
                {
                  span: { start: statementStart, end: statementStart },
                  newText: insertLineBefore(ctx.analysis, call.span.start, 'rcu_read_lock();')
                    .newText,
                },
                insertLineAfter(ctx.analysis, call.span.end, 'rcu_read_unlock();', indent),
              ],
              preferred: false,
            },
          ],
        });
      }
    }
  },
};
