/**
 * Which states protect which list operation, and how to say so.
 */
import type { Primitive } from '../catalogue/primitives';
import { baseToken, type State } from './state';

/** Tokens that make code an RCU reader for the lockdep-checked `_rcu` iterators. */
function isReaderLike(base: string): boolean {
  return (
    base === 'rcu' ||
    base === 'rcu_bh' ||
    base === 'rcu_sched' ||
    base === 'preempt' ||
    base === 'irq' ||
    base === 'bh' ||
    base === 'ctx:atomic' ||
    base.startsWith('spin:')
  );
}

/** How a state protects an `_rcu` walk, or undefined when it does not. */
export function readerProtection(
  state: State,
  primitive: Primitive,
  hasCond: boolean,
): string | undefined {
  if (hasCond) return 'its lockdep cond';
  for (const token of state.keys()) {
    const base = baseToken(token);
    if (primitive.flavor === 'srcu') {
      if (base.startsWith('srcu:')) return `srcu_read_lock(${base.slice(5)})`;
      continue;
    }
    if (isReaderLike(base)) return describeToken(base);
    if (base.startsWith('held:')) return `the asserted ${base.slice(5)}`;
    // Iterators without a lockdep check are as safe under SRCU as the updaters make them;
    // only the checked ones (CONFIG_PROVE_RCU_LIST, rcu_dereference) insist on an RCU reader.
    if (base.startsWith('srcu:') && primitive.flavor === 'rcu' && primitive.runtimeCheck === 'none')
      return `srcu_read_lock(${base.slice(5)})`;
  }
  return undefined;
}

/** True when an update-side lock (any kind) is held or asserted. */
export function holdsUpdateLock(state: State): boolean {
  for (const token of state.keys()) {
    const base = baseToken(token);
    if (
      base.startsWith('spin:') ||
      base.startsWith('mutex:') ||
      base.startsWith('held:') ||
      base.startsWith('implied:')
    )
      return true;
  }
  return false;
}

/** True when an explicit RCU reader (not a spinlock or context) is held. */
export function holdsRcuReader(state: State): boolean {
  for (const token of state.keys()) {
    const base = baseToken(token);
    if (base === 'rcu' || base === 'rcu_bh' || base === 'rcu_sched') return true;
  }
  return false;
}

/** Why the state is atomic (may not sleep), or undefined. */
export function atomicReason(state: State): string | undefined {
  for (const token of state.keys()) {
    const base = baseToken(token);
    if (base.startsWith('spin:')) return `spinlock \`${base.slice(5)}\` is held`;
    if (base === 'rcu' || base === 'rcu_bh' || base === 'rcu_sched')
      return `inside \`${describeToken(base)}\``;
    if (base === 'preempt') return 'preemption is disabled';
    if (base === 'irq') return 'interrupts are disabled';
    if (base === 'bh') return 'bottom halves are disabled';
    if (base === 'ctx:atomic') return 'the function runs in atomic context';
  }
  return undefined;
}

/** Sleeping locks held in every one of the states, by key. */
export function sleepingLocksHeld(states: readonly State[]): string[] {
  if (states.length === 0) return [];
  const keys = (s: State) =>
    [...s.keys()]
      .map(baseToken)
      .filter((t) => t.startsWith('mutex:'))
      .map((t) => t.slice(6));
  return keys(states[0]).filter((k) => states.every((s) => keys(s).includes(k)));
}

export function describeToken(base: string): string {
  if (base === 'rcu') return 'rcu_read_lock()';
  if (base === 'rcu_bh') return 'rcu_read_lock_bh()';
  if (base === 'rcu_sched') return 'rcu_read_lock_sched()';
  if (base === 'preempt') return 'disabled preemption';
  if (base === 'irq') return 'disabled interrupts';
  if (base === 'bh') return 'disabled bottom halves';
  if (base === 'ctx:atomic') return 'the atomic context';
  if (base.startsWith('spin:')) return `spinlock ${base.slice(5)}`;
  if (base.startsWith('mutex:')) return `lock ${base.slice(6)}`;
  return base;
}

/** The SRCU domain held on every one of the states, when there is one. */
export function commonSrcuDomain(states: readonly State[]): string | undefined {
  const domains = states.map((st) =>
    [...st.keys()]
      .map(baseToken)
      .find((t) => t.startsWith('srcu:'))
      ?.slice(5),
  );
  return domains.length > 0 && domains.every((d) => d !== undefined && d === domains[0])
    ? domains[0]
    : undefined;
}

/** Whether the state holds an SRCU reader of any domain. */
export function holdsSrcu(state: State): boolean {
  return [...state.keys()].some((t) => baseToken(t).startsWith('srcu:'));
}
