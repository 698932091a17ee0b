/**
 * plain-add-on-rcu-list: list_add()/list_add_tail()/hlist_add_head() onto a list that readers
 * in this file walk with `_rcu` iterators. Without rcu_assign_pointer()'s release ordering a
 * reader can see the new entry before its fields are initialised.
 */
import { renameCallee } from './fixes';
import { isPrivateHead } from './list-identity';
import type { Rule, RuleContext } from './rule';

export const rule: Rule = {
  id: 'plain-add-on-rcu-list',
  check(ctx: RuleContext): void {
    for (const site of ctx.analysis.sites) {
      const p = site.primitive;
      if (p.flavor !== 'plain' || p.kind !== 'update' || p.op !== 'add' || !site.headKey) continue;
      if (
        !ctx.analysis.readHeads.has(site.headKey) ||
        site.fn.fact.attributes.some((a) => a.name === '__init')
      )
        continue;
      if (isPrivateHead(site, ctx.analysis.text)) continue;
      const target = p.rcuCounterpart;
      ctx.report({
        at: site.event.calleeSpan,
        message: `\`${p.name}()\` publishes onto \`${site.headKey}\`, which readers walk with \`_rcu\` iterators: use \`${target ?? 'the _rcu variant'}()\`.`,
        explanation: [
          `**${p.name}()** links the entry with plain stores. Readers of \`${site.headKey}\` walk it concurrently with \`_rcu\` iterators, and may see the new entry before its fields are written.`,
          `\`${target ?? 'The _rcu variant'}()\` publishes with \`rcu_assign_pointer()\`, whose release ordering makes the initialised entry visible as a whole.`,
        ].join('\n\n'),
        fixes: target
          ? [
              {
                title: `Use ${target}()`,
                edits: [renameCallee(site.event, target)],
                preferred: true,
              },
            ]
          : [],
      });
    }
  },
};
