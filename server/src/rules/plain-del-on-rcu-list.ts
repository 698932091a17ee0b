/**
 * plain-del-on-rcu-list: list_del()/list_del_init()/hlist_del() of an entry whose list readers
 * walk with `_rcu` iterators. list_del() poisons ->next (a reader crashes on LIST_POISON1);
 * list_del_init() points the entry at itself (a reader may loop forever).
 */
import type { Site } from '../analysis/file-analysis';
import { renameCallee } from './fixes';
import { sameList } from './list-identity';
import type { Rule, RuleContext } from './rule';

export const rule: Rule = {
  id: 'plain-del-on-rcu-list',
  check(ctx: RuleContext): void {
    const { readMembers, rcuMembers } = ctx.analysis;
    for (const site of ctx.analysis.sites) {
      const p = site.primitive;
      if (
        p.flavor !== 'plain' ||
        p.kind !== 'update' ||
        (p.op !== 'del' && p.op !== 'replace') ||
        !site.memberKey
      )
        continue;
      if (!readMembers.has(site.memberKey) || !rcuMembers.has(site.memberKey)) continue;
      // __init code unwinds its own error paths before anything is published to readers.
      if (site.fn.fact.attributes.some((a) => a.name === '__init')) continue;
      if (!readWithRcu(ctx, site) || !updatedWithRcu(ctx, site)) continue;
      const target = p.name === 'hlist_del_init' ? 'hlist_del_init_rcu' : p.rcuCounterpart;
      const reinit = p.name === 'list_del_init' || p.name === 'list_replace_init';
      ctx.report({
        at: site.event.calleeSpan,
        message: `\`${p.name}()\` unlinks \`${site.memberKey}\` from a list that readers walk with \`_rcu\` iterators: use \`${target ?? 'the _rcu variant'}()\` once, and free or reuse the entry only after a grace period.`,
        explanation: [
          `**${p.name}()** on a reader-visible list: ${reinit ? 'the entry now points at itself, so a reader standing on it may loop forever or stop early; and after a list_del_rcu() elsewhere, list_empty() is false and this re-deletes a poisoned node.' : '->next is poisoned, so a reader standing on the entry follows LIST_POISON1 and crashes.'}`,
          `\`${target ?? 'The _rcu variant'}()\` keeps ->next valid for readers; reuse or free the entry after \`synchronize_rcu()\` or through \`call_rcu()\`/\`kfree_rcu()\`.`,
        ].join('\n\n'),
        fixes: target
          ? [
              {
                title: `Use ${target}()`,
                edits: [renameCallee(site.event, target)],
                preferred: !reinit,
              },
            ]
          : [],
      });
    }
  },
};

/** An `_rcu` mutator on the same list: same member name and, where known, the same struct. */
function updatedWithRcu(ctx: RuleContext, site: Site): boolean {
  return ctx.analysis.sites.some(
    (s) => s.primitive.kind === 'update' && s.primitive.flavor === 'rcu' && sameList(s, site),
  );
}

/** An `_rcu` reader of the same list; `list` members of unrelated structs do not count. */
function readWithRcu(ctx: RuleContext, site: Site): boolean {
  return ctx.analysis.sites.some(
    (s) =>
      (s.primitive.kind === 'iterator' || s.primitive.kind === 'accessor') &&
      s.primitive.flavor !== 'plain' &&
      sameList(s, site),
  );
}
