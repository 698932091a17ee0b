/**
 * free-without-grace-period: kfree()/kmem_cache_free()/vfree() of an object that was just
 * unlinked with *_del_rcu() or *_replace_rcu(), with no grace period in between on some path.
 * Readers that found the object before the unlink may still be using it.
 * SLAB_TYPESAFE_BY_RCU caches are exempt: their readers revalidate the object.
 */
import { BLOCKING_GRACE_PERIODS, freedArgument } from '../catalogue/calls';
import { callEvents } from '../context/realmode';
import { atomicReason } from '../context/protection';
import type { FunctionAnalysis } from '../analysis/file-analysis';
import type { CallEvent } from '../facts/ir';
import { insertLineBefore } from './fixes';
import type { FixDraft, Rule, RuleContext } from './rule';

export const rule: Rule = {
  id: 'free-without-grace-period',
  check(ctx: RuleContext): void {
    for (const fn of ctx.analysis.functions) {
      for (const ev of callEvents(fn.fact)) {
        const index = freedArgument(ev.callee);
        if (index === undefined) continue;
        if (ev.callee === 'kmem_cache_free' && ctx.analysis.facts.typesafeByRcu) continue;
        // kfree(x) frees x; kfree(x->stats) frees another object that x points to.
        const variable = /^\s*\(?\s*(\w+)\s*\)?\s*$/.exec(ev.args[index]?.text ?? '')?.[1];
        if (!variable) continue;
        const states = fn.flow.visits.get(ev) ?? [];
        const deleted = states
          .flatMap((s) => [...s.keys()])
          .find((t) => t.startsWith(`del:${variable}@`));
        if (!deleted) continue;
        const at = Number(deleted.slice(deleted.indexOf('@') + 1));
        const unlink = callEvents(fn.fact).find((e) => e.span.start === at);
        if (unlink && isTeardown(fn, unlink)) continue;
        ctx.report({
          at: ev.calleeSpan,
          message: `\`${variable}\` is freed right after ${unlink ? `\`${unlink.callee}()\`` : 'its RCU unlink'} with no grace period: readers may still hold it; use ${fixName(ctx, fn, variable)}.`,
          explanation: [
            `**${ev.callee}(${variable})** follows ${unlink ? `\`${unlink.callee}()\`` : 'an RCU unlink'} on a path with no grace period in between.`,
            'An RCU reader that found the entry before it was unlinked may still be walking through it; freeing it now is a use-after-free that only shows under load. Wait for a grace period first (`synchronize_rcu()`), or defer the free (`kfree_rcu()`, `call_rcu()`).',
          ].join('\n\n'),
          related: unlink
            ? [{ span: unlink.calleeSpan, message: `${variable} unlinked here` }]
            : [],
          causes: unlink ? [unlink.span] : [],
          fixes: fixesFor(
            ctx,
            fn,
            ev,
            variable,
            states.some((s) => atomicReason(s) !== undefined),
          ),
        });
      }
    }
  },
};

/**
 * `synchronize_rcu()` and then unlink and free every entry: the table was made unreachable
 * before the grace period (devmap, netns exit), so no reader can find what is unlinked.
 */
function isTeardown(fn: FunctionAnalysis, unlink: CallEvent): boolean {
  return callEvents(fn.fact).some(
    (e) => e.span.start < unlink.span.start && BLOCKING_GRACE_PERIODS.has(e.callee),
  );
}

function rcuHeadField(
  ctx: RuleContext,
  fn: FunctionAnalysis,
  variable: string,
): string | undefined {
  const type = fn.fact.variables.get(variable);
  const struct = type ? /\bstruct\s+(\w+)/.exec(type)?.[1] : undefined;
  return struct ? ctx.analysis.facts.rcuHeadFields.get(struct) : undefined;
}

function fixName(ctx: RuleContext, fn: FunctionAnalysis, variable: string): string {
  const field = rcuHeadField(ctx, fn, variable);
  return field
    ? `kfree_rcu(${variable}, ${field})`
    : 'synchronize_rcu() before the free, or call_rcu()';
}

function fixesFor(
  ctx: RuleContext,
  fn: FunctionAnalysis,
  ev: CallEvent,
  variable: string,
  atomic: boolean,
): FixDraft[] {
  const field = rcuHeadField(ctx, fn, variable);
  if (field && (ev.callee === 'kfree' || ev.callee === 'kvfree')) {
    const name = ev.callee === 'kfree' ? 'kfree_rcu' : 'kvfree_rcu';
    return [
      {
        title: `Free with ${name}(${variable}, ${field})`,
        edits: [{ span: ev.span, newText: `${name}(${variable}, ${field})` }],
        preferred: true,
      },
    ];
  }
  if (atomic) return [];
  return [
    {
      title: 'Wait for a grace period with synchronize_rcu() before the free',
      edits: [insertLineBefore(ctx.analysis, ev.span.start, 'synchronize_rcu();')],
      preferred: true,
    },
  ];
}
