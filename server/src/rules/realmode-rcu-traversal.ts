/**
 * realmode-rcu-traversal: an `_rcu` iterator or accessor in real mode or noinstr code.
 * With CONFIG_PROVE_RCU_LIST its loop header calls into lockdep, which real mode cannot reach
 * and noinstr code must not call before RCU is watching.
 */
import type { Site } from '../analysis/file-analysis';
import type { RestrictedContext } from '../context/realmode';
import type { FixDraft, Rule, RuleContext } from './rule';
import { contextPhrase, evidenceRelated, evidenceMarkdown } from './evidence';

export const rule: Rule = {
  id: 'realmode-rcu-traversal',
  check(ctx: RuleContext): void {
    for (const site of ctx.analysis.sites) {
      const restricted = site.fn.restricted;
      if (!restricted || !isChecked(site)) continue;
      if (
        restricted.kind !== 'real-mode' &&
        site.states.length > 0 &&
        site.states.every((s) => s.has('instr'))
      )
        continue;
      const name = site.wrapper ?? site.primitive.name;
      const counterpart = site.wrapper ? undefined : site.primitive.lockless;
      const todo = counterpart
        ? `use \`${counterpart}\``
        : 'no lockless counterpart exists: move the walk out of this context or restructure the lookup';
      ctx.report({
        at: site.event.calleeSpan,
        message: `\`${name}\` runs ${contextPhrase(restricted)}, where its lockdep checks must not run: ${todo}.`,
        explanation: explain(name, counterpart, restricted),
        related: evidenceRelated(restricted),
        fixes: counterpart ? [lockless(site, counterpart)] : [],
      });
    }
  },
};

function isChecked(site: Site): boolean {
  const p = site.primitive;
  // The _notrace walkers load with rcu_dereference_raw_check(): no lockdep, no tracing, so
  // the tracer and lockdep themselves may use them where RCU may not be watching.
  if (/_notrace$/.test(site.wrapper ?? p.name)) return false;
  return (
    (p.flavor === 'rcu' || p.flavor === 'srcu') && (p.kind === 'iterator' || p.kind === 'accessor')
  );
}

function lockless(site: Site, counterpart: string): FixDraft {
  const edits = [{ span: site.event.calleeSpan, newText: counterpart }];
  const { args } = site.event;
  if (site.hasCond && args.length > site.primitive.arity) {
    edits.push({
      span: { start: args[site.primitive.arity - 1].span.end, end: args[args.length - 1].span.end },
      newText: '',
    });
  }
  return {
    title: `Use ${counterpart}${site.hasCond ? ' (drops the lockdep cond)' : ''}`,
    edits,
    preferred: true,
  };
}

function explain(
  name: string,
  counterpart: string | undefined,
  restricted: RestrictedContext,
): string {
  const what = counterpart
    ? `Use \`${counterpart}\`: it loads each pointer once with READ_ONCE() and runs no lockdep or tracing code. It is correct here when updaters use the \`_rcu\` mutators and reclaim with \`call_rcu()\`/\`synchronize_rcu()\`/\`kfree_rcu()\`, since a grace period also waits for this non-preemptible region.`
    : `No \`_lockless\` counterpart exists for \`${name}\`; restructure the lookup or defer it to a context where RCU readers are allowed.`;
  return [
    `**${name}** runs ${contextPhrase(restricted)}.`,
    'With CONFIG_PROVE_RCU_LIST the loop header calls `rcu_read_lock_any_held()` and lockdep; in real mode (MMU off) those touch memory that is not addressable, and in noinstr code RCU may not be watching.',
    what,
    evidenceMarkdown(restricted),
  ].join('\n\n');
}
