/**
 * plain-traverse-on-rcu-list: a plain iterator over a list that this file updates with the
 * `_rcu` mutators or walks with `_rcu` readers, on a path that holds no update-side lock.
 * Plain loads may be torn or reordered against list_add_rcu()'s publication.
 */
import { readerProtection } from '../context/protection';
import { holdsUpdateLock } from '../context/protection';
import { renameCallee, statementOf, wrapInReader } from './fixes';
import type { FixDraft, Rule, RuleContext } from './rule';
import type { Site } from '../analysis/file-analysis';
import { findPrimitive } from '../catalogue/primitives';
import { elementType, isPrivateHead } from './list-identity';

export const rule: Rule = {
  id: 'plain-traverse-on-rcu-list',
  check(ctx: RuleContext): void {
    for (const site of ctx.analysis.sites) {
      const p = site.primitive;
      if (
        p.flavor !== 'plain' ||
        p.kind !== 'iterator' ||
        !site.headKey ||
        !ctx.analysis.rcuHeads.has(site.headKey)
      )
        continue;
      if (site.fn.duty?.lock || isInit(site)) continue;
      if (isPrivateHead(site, ctx.analysis.text) || !sharesElementType(ctx, site)) continue;
      const unlocked = site.states.filter((s) => !holdsUpdateLock(s));
      if (unlocked.length === 0) continue;
      const target = p.rcuCounterpart;
      ctx.report({
        at: site.event.calleeSpan,
        message: `\`${p.name}\` walks \`${site.headKey}\`, which is updated with the \`_rcu\` mutators, without the update lock: use ${target ? `\`${target}\`` : 'an `_rcu` iterator'} under rcu_read_lock() (or \`_lockless\` in real mode).`,
        explanation: [
          `**${p.name}** reads the list with plain loads, but \`${site.headKey}\` is published with \`list_add_rcu()\`-style mutators, so other CPUs change it under this walk.`,
          'Only the updater holding the update lock may use the plain iterator. A reader needs the `_rcu` iterator, which loads each pointer with the ordering `list_add_rcu()` relies on, inside an RCU reader so entries are not freed under it.',
        ].join('\n\n'),
        fixes: target ? [fixFor(ctx, site, target)] : [],
      });
    }
  },
};

/**
 * Heads are keyed by their last field name (`list`), which unrelated structs share: when the
 * element types of the `_rcu` operations on that head are known and none is this walk's, the
 * walk is over another list.
 */
function sharesElementType(ctx: RuleContext, site: Site): boolean {
  const own = elementType(site);
  if (!own) return true;
  const others = ctx.analysis.sites
    .filter((s) => s.headKey === site.headKey && s.primitive.flavor !== 'plain')
    .map(elementType);
  return others.length === 0 || others.some((t) => t === undefined || t === own);
}

function isInit(site: Site): boolean {
  return site.fn.fact.attributes.some((a) => a.name === '__init');
}

function fixFor(ctx: RuleContext, site: Site, target: string): FixDraft {
  const rcu = findPrimitive(target);
  const inReader = rcu ? site.states.every((s) => readerProtection(s, rcu, false)) : true;
  const edits = [renameCallee(site.event, target)];
  if (!inReader)
    edits.push(
      ...wrapInReader(ctx.analysis, site.fn, statementOf(ctx.analysis, site.event, site.loopSpan)),
    );
  return {
    title: inReader ? `Use ${target}` : `Use ${target} under rcu_read_lock()`,
    edits,
    preferred: true,
  };
}
