/**
 * rcu-traverse-outside-reader: an `_rcu` walk with no reader, no spinning context, no lockdep
 * cond and no caller that provides one. This is what CONFIG_PROVE_RCU_LIST reports at run time
 * ("RCU-list traversed in non-reader section!"), found without running the path.
 */
import type { Site } from '../analysis/file-analysis';
import { commonSrcuDomain, sleepingLocksHeld } from '../context/protection';
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
      const srcu = commonSrcuDomain(bare);
      if (locks.length === 0 && !srcu) {
        const callers = heldByCallers(ctx, site);
        if (callers) {
          ctx.report({
            at: site.event.calleeSpan,
            message: callersMessage(site, callers),
            explanation: explain(site, callers.locks, callers.srcu, 'its callers'),
            // The callers' lock or domain is spelled in their terms, not the walker's: no edit.
            fixes: [],
          });
          continue;
        }
      }
      ctx.report({
        at: site.event.calleeSpan,
        message: messageFor(site, locks, srcu),
        explanation: explain(site, locks, srcu, 'this path'),
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

/**
 * What every caller holds instead of a reader, looking up to three calls up: one sleeping lock,
 * or one SRCU domain. Calls through pointers are left out; they may be other functions' calls.
 */
function heldByCallers(
  ctx: RuleContext,
  site: Site,
): { locks: string[]; srcu: string | undefined } | undefined {
  const fn = site.fn.fact;
  const held = heldAbove(ctx, fn.name, ctx.analysis.facts.file, fn.isStatic, 3, new Set());
  if (!held) return undefined;
  if (held.locks.length > 0) return { locks: [held.locks[0]], srcu: undefined };
  return held.srcu ? { locks: [], srcu: held.srcu } : undefined;
}

interface Held {
  readonly locks: readonly string[];
  readonly srcu?: string;
}

function heldAbove(
  ctx: RuleContext,
  name: string,
  file: string,
  isStatic: boolean,
  depth: number,
  seen: Set<string>,
): Held | undefined {
  const key = `${file}:${name}`;
  if (depth === 0 || seen.has(key)) return undefined;
  seen.add(key);
  const callers = ctx.project.callersOf(name, file, isStatic).filter((c) => !c.via);
  const each = callers.map((c): Held | undefined =>
    c.locksHere.length > 0 || c.srcuDomain
      ? { locks: c.locksHere, srcu: c.srcuDomain }
      : heldAbove(ctx, c.caller, c.file, c.callerStatic, depth - 1, seen),
  );
  seen.delete(key);
  if (each.length === 0 || each.some((h) => h === undefined)) return undefined;
  const all = each as Held[];
  const locks = all[0].locks.filter((l) => all.every((h) => h.locks.includes(l)));
  const srcu = all.every((h) => h.srcu === all[0].srcu) ? all[0].srcu : undefined;
  return { locks, srcu };
}

function callersMessage(site: Site, held: { locks: string[]; srcu: string | undefined }): string {
  const primitive = site.wrapper ?? site.primitive.name;
  if (held.srcu)
    return `\`${primitive}\` runs inside its callers' srcu_read_lock(&${held.srcu}) only, which does not satisfy the RCU-list check: walk it with the \`_srcu\` iterator and \`srcu_read_lock_held()\` as cond.`;
  return `\`${primitive}\` runs with its callers holding ${held.locks[0]} but names no lockdep cond, so CONFIG_PROVE_RCU_LIST reports it: pass \`lockdep_is_held()\` of that lock as cond.`;
}

/** The `_srcu` iterator for the list kind the site walks (hash tables are hlists). */
function srcuIterator(site: Site): string {
  return site.primitive.name.startsWith('hlist_')
    ? 'hlist_for_each_entry_srcu()'
    : 'list_for_each_entry_srcu()';
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

function explain(
  site: Site,
  locks: string[],
  srcu: string | undefined,
  where: 'this path' | 'its callers',
): string {
  const lines = [
    `**${site.wrapper ?? site.primitive.name}** in \`${site.fn.fact.name}()\` has no protection on at least one path.`,
    'An `_rcu` walk is safe only inside an RCU read-side critical section (`rcu_read_lock()`, `guard(rcu)()`, disabled preemption, interrupts or bottom halves, or a held spinlock), or by the updater holding the lock it names in the optional `cond` argument. With CONFIG_PROVE_RCU_LIST=y lockdep reports "RCU-list traversed in non-reader section!" on this path; without it, a concurrent `list_del_rcu()` plus free can leave the walker on freed memory.',
  ];
  if (srcu)
    lines.push(
      `Only \`srcu_read_lock(&${srcu})\` is held on ${where}. The list check of \`${site.primitive.name}\` accepts any RCU reader or the cond, and an SRCU reader is neither: name it in the cond with \`srcu_read_lock_held()\`.`,
    );
  if (locks.length > 0)
    lines.push(
      `\`${locks[0]}\` is held on ${where}: if it excludes the updaters, say so with \`lockdep_is_held(&${locks[0]})\` as the cond argument.`,
    );
  if (where === 'this path') lines.push('No caller seen by rcu-lens provides a reader either.');
  return lines.join('\n\n');
}
