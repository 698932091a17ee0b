/**
 * The rule catalogue: every rule id rcu-lens can report, with its default severity, a summary,
 * the fix it offers and the kernel documentation it rests on. Front ends, the README table and
 * SARIF rule metadata are all generated from this one list.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Severity } from './types';

export const RULE_IDS = [
  'realmode-rcu-traversal',
  'realmode-lockdep-call',
  'rcu-traverse-outside-reader',
  'rcu-callee-needs-reader',
  'rcu-unlock-imbalance',
  'sleep-in-rcu-reader',
  'sync-rcu-in-atomic',
  'free-without-grace-period',
  'lockless-traverse-unsafe',
  'plain-traverse-on-rcu-list',
  'plain-add-on-rcu-list',
  'plain-del-on-rcu-list',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export interface RuleInfo {
  readonly id: RuleId;
  readonly severity: Severity;
  /** One line for listings. */
  readonly summary: string;
  /** What the quick fix does, or why there is none. */
  readonly fix: string;
  /** Paths under the kernel's Documentation/ that the rule rests on. */
  readonly kernelDocs: readonly string[];
}

const RCU_LIST_DOCS = ['Documentation/RCU/listRCU.rst', 'Documentation/RCU/whatisRCU.rst'];
const LOCKDEP_DOCS = ['Documentation/RCU/lockdep.rst', 'Documentation/RCU/checklist.rst'];

export const RULES: readonly RuleInfo[] = [
  {
    id: 'realmode-rcu-traversal',
    severity: 'error',
    summary:
      'An _rcu iterator or accessor runs in real mode or noinstr code, where its lockdep checks must not run.',
    fix: 'Rewrite list_for_each_entry_rcu to list_for_each_entry_lockless and list_entry_rcu to list_entry_lockless; none exists for hlist, nulls or bl lists.',
    kernelDocs: ['Documentation/RCU/lockdep.rst', 'Documentation/core-api/entry.rst'],
  },
  {
    id: 'realmode-lockdep-call',
    severity: 'error',
    summary:
      'rcu_read_lock(), srcu_read_lock() or a lockdep assertion is called in real mode or noinstr code.',
    fix: 'Remove the rcu_read_lock()/rcu_read_unlock() pair; the context is already non-preemptible.',
    kernelDocs: ['Documentation/RCU/lockdep.rst', 'Documentation/core-api/entry.rst'],
  },
  {
    id: 'rcu-traverse-outside-reader',
    severity: 'warning',
    summary: 'An _rcu walk runs with no RCU reader, no update-side lock and no lockdep cond.',
    fix: 'Wrap the walk in rcu_read_lock()/rcu_read_unlock() (or guard(rcu)()), or pass lockdep_is_held(&lock) as cond when the lock is held.',
    kernelDocs: [...RCU_LIST_DOCS, ...LOCKDEP_DOCS],
  },
  {
    id: 'rcu-callee-needs-reader',
    severity: 'warning',
    summary:
      'A function that walks an RCU list without its own reader is called from a path with no reader.',
    fix: 'Take rcu_read_lock() around the call.',
    kernelDocs: [...RCU_LIST_DOCS, ...LOCKDEP_DOCS],
  },
  {
    id: 'rcu-unlock-imbalance',
    severity: 'error',
    summary: 'A path leaves the function with the RCU reader still held, or unlocks it twice.',
    fix: 'Add the missing rcu_read_unlock() before the return, or jump to the exit label that drops it.',
    kernelDocs: ['Documentation/RCU/whatisRCU.rst', 'Documentation/RCU/checklist.rst'],
  },
  {
    id: 'sleep-in-rcu-reader',
    severity: 'error',
    summary: 'A call that may sleep runs inside an RCU read-side critical section.',
    fix: 'No automatic fix: move the call out of the reader, take a reference first, or use SRCU.',
    kernelDocs: ['Documentation/RCU/whatisRCU.rst', 'Documentation/RCU/checklist.rst'],
  },
  {
    id: 'sync-rcu-in-atomic',
    severity: 'error',
    summary:
      'synchronize_rcu() or kin blocks in atomic context: under a spinlock, in a timer or interrupt, or inside a reader.',
    fix: 'Defer the free with kfree_rcu() or call_rcu() instead of waiting.',
    kernelDocs: ['Documentation/RCU/whatisRCU.rst', 'Documentation/RCU/checklist.rst'],
  },
  {
    id: 'free-without-grace-period',
    severity: 'error',
    summary:
      'An object is freed right after *_del_rcu() or *_replace_rcu(), while readers may still see it.',
    fix: 'kfree(x) becomes kfree_rcu(x, field) when the struct has an rcu_head; otherwise synchronize_rcu() goes before the free.',
    kernelDocs: ['Documentation/RCU/listRCU.rst', 'Documentation/RCU/checklist.rst'],
  },
  {
    id: 'lockless-traverse-unsafe',
    severity: 'warning',
    summary:
      'A _lockless walk outside real mode, with no reader, over a list whose entries are removed with *_del_rcu().',
    fix: 'Use the _rcu iterator under rcu_read_lock(), or pin the entries another way.',
    kernelDocs: ['Documentation/RCU/listRCU.rst'],
  },
  {
    id: 'plain-traverse-on-rcu-list',
    severity: 'warning',
    summary:
      'A plain list iterator walks a list that is updated with _rcu mutators, outside the update lock.',
    fix: 'Use the _rcu iterator (under a reader).',
    kernelDocs: ['Documentation/RCU/listRCU.rst'],
  },
  {
    id: 'plain-add-on-rcu-list',
    severity: 'warning',
    summary:
      'A plain list_add*/hlist_add* publishes onto a list that readers walk with _rcu iterators.',
    fix: 'Use the _rcu counterpart (list_add_rcu, list_add_tail_rcu, hlist_add_head_rcu, ...).',
    kernelDocs: ['Documentation/RCU/listRCU.rst'],
  },
  {
    id: 'plain-del-on-rcu-list',
    severity: 'warning',
    summary:
      'A plain list_del*/hlist_del* unlinks from a list that readers walk with _rcu iterators.',
    fix: 'Use list_del_rcu() (or hlist_del_init_rcu()) and free after a grace period.',
    kernelDocs: ['Documentation/RCU/listRCU.rst'],
  },
];

const BY_ID = new Map<string, RuleInfo>(RULES.map((rule) => [rule.id, rule]));

/** Looks up a rule; undefined for an unknown id. */
export function findRule(id: string): RuleInfo | undefined {
  return BY_ID.get(id);
}

/** True when a string is a known rule id. */
export function isRuleId(id: string): id is RuleId {
  return BY_ID.has(id);
}

/**
 * The documentation link of a rule. The rules page ships with rcu-lens, so the link works
 * offline; `docsBase` overrides it (a web copy of docs/rules.md, for SARIF viewers).
 */
export function ruleDocUrl(id: RuleId, docsBase?: string): string {
  const base = docsBase ?? pathToFileURL(path.join(packageRoot(), 'docs', 'rules.md')).href;
  return `${base}#${id}`;
}

/** The kernel.org rendering of a Documentation/ path. */
export function kernelDocUrl(docPath: string): string {
  const page = docPath.replace(/^Documentation\//, '').replace(/\.rst$/, '.html');
  return `https://docs.kernel.org/${page}`;
}

/**
 * The folder holding package.json. Bundles live in dist/, sources in server/src/<dir>/;
 * walk up until a package.json named rcu-lens appears.
 */
function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (existsSync(path.join(dir, 'docs', 'rules.md'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..');
}
