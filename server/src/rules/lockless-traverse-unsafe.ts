/**
 * lockless-traverse-unsafe: a `_lockless` walk outside real mode with no reader, over a list
 * whose entries this file removes with *_del_rcu(). `_lockless` promises nothing about
 * lifetime; a preemptible walker can outlive the grace period that frees its entry.
 */
import { findPrimitive } from '../catalogue/primitives';
import { readerProtection } from '../context/protection';
import { renameCallee, statementOf, wrapInReader } from './fixes';
import type { Rule, RuleContext } from './rule';

const CHECKED = findPrimitive('list_for_each_entry_rcu');

export const rule: Rule = {
  id: 'lockless-traverse-unsafe',
  check(ctx: RuleContext): void {
    for (const site of ctx.analysis.sites) {
      const p = site.primitive;
      if (p.flavor !== 'lockless' || p.kind !== 'iterator' || !CHECKED) continue;
      if (site.fn.restricted || !site.memberKey || !ctx.analysis.deletedMembers.has(site.memberKey))
        continue;
      const bare = site.states.filter((s) => !readerProtection(s, CHECKED, false));
      if (bare.length === 0) continue;
      const checked = p.checked ?? 'list_for_each_entry_rcu';
      ctx.report({
        at: site.event.calleeSpan,
        message: `\`${p.name}\` walks, with no RCU reader and outside real mode, a list whose entries are removed with \`*_del_rcu()\` in this file: use \`${checked}\` under rcu_read_lock(), or pin the entries.`,
        explanation: [
          `**${p.name}** runs no lockdep code and promises nothing about lifetime.`,
          'It is right where the walker cannot be preempted (real mode, interrupts disabled) and entries are reclaimed after a grace period, or where the list is append-only. Here the walker is preemptible and the same file removes entries with `*_del_rcu()`, so a grace period can end mid-walk and free the entry under it.',
          `Use \`${checked}\` inside \`rcu_read_lock()\`, or hold a reference or the update lock across the walk. If the walker must sleep, SRCU is the reader that allows it.`,
        ].join('\n\n'),
        fixes: [
          {
            title: `Use ${checked} under rcu_read_lock()`,
            edits: [
              renameCallee(site.event, checked),
              ...wrapInReader(
                ctx.analysis,
                site.fn,
                statementOf(ctx.analysis, site.event, site.loopSpan),
              ),
            ],
            preferred: false,
          },
        ],
      });
    }
  },
};
