/**
 * rcu-traverse-outside-reader: an `_rcu` walk with no reader, no spinning context, no lockdep
 * cond and no caller that provides one. This is what CONFIG_PROVE_RCU_LIST reports at run time
 * ("RCU-list traversed in non-reader section!"), found without running the path.
 */
import type { Site } from '../analysis/file-analysis';
import { sleepingLocksHeld } from '../context/protection';
import { baseToken, type State } from '../context/state';
import { statementOf, usesGuards, wrapInReader, wrapInScopedGuard } from './fixes';
import { judgeWalker, unprotectedStates } from './reader-policy';
import type { FixDraft, Rule, RuleContext } from './rule';

export const rule: Rule = {
  id: 'rcu-traverse-outside-reader',
  check(ctx: RuleContext): void {
    const judged = new Map<string, ReturnType<typeof judgeWalker>>();
    for (const site of ctx.analysis.sites) {
      const bare = unprotectedStates(site);
      if (bare.length === 0 || site.fn.duty?.reader || isEmptinessTest(ctx, site)) continue;
      const name = site.fn.fact.name;
      if (!judged.has(name)) judged.set(name, judgeWalker(site.fn, ctx.analysis, ctx.project));
      if (judged.get(name)?.kind !== 'walker') continue;
      const locks = sleepingLocksHeld(bare);
      const srcu = srcuDomain(bare);
      ctx.report({
        at: site.event.calleeSpan,
        message: messageFor(site, locks, srcu),
        explanation: explain(site, locks, srcu),
        fixes: srcu ? srcuFixes(site, srcu) : fixesFor(ctx, site, locks),
      });
    }
  },
};

/**
 * `!list_first_or_null_rcu(...)` only asks whether the list is empty: one READ_ONCE() of the
 * head, no entry dereferenced, so no reader is needed.
 */
function isEmptinessTest(ctx: RuleContext, site: Site): boolean {
  if (site.primitive.kind !== 'accessor') return false;
  const before = ctx.analysis.text.slice(
    Math.max(0, site.event.span.start - 8),
    site.event.span.start,
  );
  const after = ctx.analysis.text.slice(site.event.span.end, site.event.span.end + 12);
  return /!\s*$/.test(before) || /^\s*[!=]=\s*NULL\b/.test(after);
}

function messageFor(site: Site, locks: string[], srcu: string | undefined): string {
  const primitive = site.wrapper ?? site.primitive.name;
  if (srcu) {
    const how =
      site.primitive.cond === 'optional' && !site.wrapper
        ? `pass \`srcu_read_lock_held(&${srcu})\` as cond`
        : site.primitive.kind === 'accessor'
          ? `take rcu_read_lock() around it, or read the pointer with \`srcu_dereference()\``
          : `walk ${site.wrapper?.startsWith('hash_') ? 'each bucket' : 'it'} with \`${srcuIterator(site)}\` and \`srcu_read_lock_held(&${srcu})\` as cond`;
    return `\`${primitive}\` runs inside srcu_read_lock(&${srcu}) only, which does not satisfy the RCU-list check: ${how}.`;
  }
  if (locks.length > 0 && site.primitive.cond === 'optional') {
    return `\`${primitive}\` runs under ${locks[0]} but names no lockdep cond, so CONFIG_PROVE_RCU_LIST reports it: pass \`lockdep_is_held(&${locks[0]})\`.`;
  }
  const needs =
    site.primitive.flavor === 'srcu'
      ? 'srcu_read_lock() and a cond of srcu_read_lock_held()'
      : 'rcu_read_lock()';
  return `\`${primitive}\` runs with no RCU reader, no update-side lock and no lockdep cond: wrap it in ${needs}, or pass \`lockdep_is_held(&lock)\` when the update lock is held.`;
}

/** The SRCU domain held on every unprotected path, when there is one. */
/** The `_srcu` iterator for the list kind the site walks (hash tables are hlists). */
function srcuIterator(site: Site): string {
  return site.primitive.name.startsWith('hlist_')
    ? 'hlist_for_each_entry_srcu()'
    : 'list_for_each_entry_srcu()';
}

function srcuDomain(states: readonly State[]): string | undefined {
  const domains = states.map((s) =>
    [...s.keys()]
      .map(baseToken)
      .find((t) => t.startsWith('srcu:'))
      ?.slice(5),
  );
  return domains.every((d) => d !== undefined && d === domains[0]) ? domains[0] : undefined;
}

function srcuFixes(site: Site, srcu: string): FixDraft[] {
  if (site.primitive.cond !== 'optional' || site.wrapper) return [];
  const last = site.event.args[site.event.args.length - 1];
  return [
    {
      title: `Pass srcu_read_lock_held(&${srcu}) as cond`,
      edits: [
        {
          span: { start: last.span.end, end: last.span.end },
          newText: `, srcu_read_lock_held(&${srcu})`,
        },
      ],
      preferred: true,
    },
  ];
}

function fixesFor(ctx: RuleContext, site: Site, locks: string[]): FixDraft[] {
  const fixes: FixDraft[] = [];
  if (locks.length > 0 && site.primitive.cond === 'optional' && !site.wrapper) {
    const last = site.event.args[site.event.args.length - 1];
    fixes.push({
      title: `Pass lockdep_is_held(&${locks[0]}) as cond`,
      edits: [
        {
          span: { start: last.span.end, end: last.span.end },
          newText: `, lockdep_is_held(&${locks[0]})`,
        },
      ],
      preferred: true,
    });
  }
  if (site.primitive.flavor === 'rcu') {
    const statement = statementOf(ctx.analysis, site.event, site.loopSpan);
    const guards = usesGuards(ctx.analysis);
    const pair: FixDraft = {
      title: 'Wrap the walk in rcu_read_lock()/rcu_read_unlock()',
      edits: wrapInReader(ctx.analysis, site.fn, statement),
      preferred: fixes.length === 0 && !guards,
    };
    const scoped: FixDraft = {
      title: 'Wrap the walk in scoped_guard(rcu)',
      edits: wrapInScopedGuard(ctx.analysis, statement),
      preferred: fixes.length === 0 && guards,
    };
    fixes.push(...(guards ? [scoped, pair] : [pair, scoped]));
  }
  return fixes;
}

function explain(site: Site, locks: string[], srcu: string | undefined): string {
  const lines = [
    `**${site.wrapper ?? site.primitive.name}** in \`${site.fn.fact.name}()\` has no protection on at least one path.`,
    'An `_rcu` walk is safe only inside an RCU read-side critical section (`rcu_read_lock()`, `guard(rcu)()`, disabled preemption, interrupts or bottom halves, or a held spinlock), or by the updater holding the lock it names in the optional `cond` argument. With CONFIG_PROVE_RCU_LIST=y lockdep reports "RCU-list traversed in non-reader section!" on this path; without it, a concurrent `list_del_rcu()` plus free can leave the walker on freed memory.',
  ];
  if (srcu)
    lines.push(
      `Only \`srcu_read_lock(&${srcu})\` is held here. The list check of \`${site.primitive.name}\` accepts any RCU reader or the cond, and an SRCU reader is neither: name it in the cond with \`srcu_read_lock_held()\`.`,
    );
  if (locks.length > 0)
    lines.push(
      `\`${locks[0]}\` is held here: if it excludes the updaters, say so with \`lockdep_is_held(&${locks[0]})\` as the cond argument.`,
    );
  lines.push('No caller seen by rcu-lens provides a reader either.');
  return lines.join('\n\n');
}
