/**
 * realmode-lockdep-call: rcu_read_lock(), srcu_read_lock() or a lockdep assertion in real mode
 * or noinstr code. These call lockdep (rcu_lock_acquire(), lock_is_held()) and check
 * rcu_is_watching(); none of that may run with the MMU off or before RCU is watching.
 */
import { LOCKDEP_CALLS, READER_UNLOCK, STATE_ASSERTIONS } from '../catalogue/calls';
import type { FunctionAnalysis } from '../analysis/file-analysis';
import type { CallEvent } from '../facts/ir';
import { callEvents } from '../context/realmode';
import { removeStatement } from './fixes';
import type { FixDraft, Rule, RuleContext } from './rule';
import { contextPhrase, evidenceMarkdown, evidenceRelated } from './evidence';

export const rule: Rule = {
  id: 'realmode-lockdep-call',
  check(ctx: RuleContext): void {
    for (const fn of ctx.analysis.functions) {
      const restricted = fn.restricted;
      if (!restricted) continue;
      for (const ev of callEvents(fn.fact)) {
        if (!isLockdepCall(ev.callee)) continue;
        if (restricted.kind !== 'real-mode' && STATE_ASSERTIONS.has(ev.callee)) continue;
        const states = fn.flow.visits.get(ev) ?? [];
        if (
          restricted.kind !== 'real-mode' &&
          states.length > 0 &&
          states.every((s) => s.has('instr'))
        )
          continue;
        const unlock = READER_UNLOCK[ev.callee];
        const what =
          restricted.kind !== 'real-mode'
            ? 'move it inside an instrumentation_begin()/instrumentation_end() window, after RCU is watching'
            : unlock
              ? `drop the ${ev.callee}()/${unlock}() pair; the context is already non-preemptible`
              : 'remove it; the context is already non-preemptible';
        ctx.report({
          at: ev.calleeSpan,
          message: `\`${ev.callee}()\` runs ${contextPhrase(restricted)}, where lockdep must not run: ${what}.`,
          explanation: [
            `**${ev.callee}()** runs ${contextPhrase(restricted)}.`,
            `It calls into lockdep and checks \`rcu_is_watching()\`. ${restricted.kind === 'real-mode' ? 'In real mode interrupts are hard-disabled, so the code is already an RCU reader for a grace period; the call only adds instrumentation that cannot run with the MMU off.' : 'Move it after the point where RCU is watching, inside instrumentation_begin()/instrumentation_end(), or drop it.'}`,
            evidenceMarkdown(restricted),
          ].join('\n\n'),
          related: evidenceRelated(restricted),
          fixes: unlock && restricted.kind === 'real-mode' ? [removePair(ctx, fn, ev, unlock)] : [],
        });
      }
    }
  },
};

function isLockdepCall(callee: string): boolean {
  return LOCKDEP_CALLS.has(callee) || /^lockdep_assert/.test(callee);
}

function removePair(
  ctx: RuleContext,
  fn: FunctionAnalysis,
  lock: CallEvent,
  unlock: string,
): FixDraft {
  const unlocks = callEvents(fn.fact).filter((e) => e.callee === unlock);
  return {
    title: `Remove ${lock.callee}()/${unlock}() (real mode is already non-preemptible)`,
    edits: [
      removeStatement(ctx.analysis, lock.span),
      ...unlocks.map((u) => removeStatement(ctx.analysis, u.span)),
    ],
    preferred: true,
  };
}
