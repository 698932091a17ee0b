/**
 * Every rule, in catalogue order. Adding a rule means adding its module here and its entry to
 * the catalogue; no front end changes.
 */
import { rule as freeWithoutGracePeriod } from './free-without-grace-period';
import { rule as locklessTraverseUnsafe } from './lockless-traverse-unsafe';
import { rule as plainAddOnRcuList } from './plain-add-on-rcu-list';
import { rule as plainDelOnRcuList } from './plain-del-on-rcu-list';
import { rule as plainTraverseOnRcuList } from './plain-traverse-on-rcu-list';
import { rule as rcuCalleeNeedsReader } from './rcu-callee-needs-reader';
import { rule as rcuTraverseOutsideReader } from './rcu-traverse-outside-reader';
import { rule as rcuUnlockImbalance } from './rcu-unlock-imbalance';
import { rule as realmodeLockdepCall } from './realmode-lockdep-call';
import { rule as realmodeRcuTraversal } from './realmode-rcu-traversal';
import type { Rule } from './rule';
import { rule as sleepInRcuReader } from './sleep-in-rcu-reader';
import { rule as syncRcuInAtomic } from './sync-rcu-in-atomic';

export const ALL_RULES: readonly Rule[] = [
  realmodeRcuTraversal,
  realmodeLockdepCall,
  rcuTraverseOutsideReader,
  rcuCalleeNeedsReader,
  rcuUnlockImbalance,
  sleepInRcuReader,
  syncRcuInAtomic,
  freeWithoutGracePeriod,
  locklessTraverseUnsafe,
  plainTraverseOnRcuList,
  plainAddOnRcuList,
  plainDelOnRcuList,
];
