/**
 * What calls other than the list primitives do to the protection state: readers, locks,
 * contexts, assertions, grace periods, frees and calls that may sleep.
 * Sources: include/linux/rcupdate.h, srcu.h, spinlock.h, mutex.h, lockdep.h, cleanup.h and the
 * reference catalogue, sections 8-10.
 */

/** A change to the protection state made by one call. */
export type Effect =
  | { readonly kind: 'acquire'; readonly token: string }
  | { readonly kind: 'release'; readonly token: string }
  /** An assertion: the token holds from here on, but nothing here took it. */
  | { readonly kind: 'assert'; readonly token: string }
  | { readonly kind: 'trylock'; readonly token: string }
  | { readonly kind: 'grace-period' }
  | { readonly kind: 'deferred-free'; readonly argument: number }
  | { readonly kind: 'free'; readonly argument: number }
  | { readonly kind: 'instrumentation'; readonly on: boolean };

/** Strips `&`, casts, parentheses and spaces: `&(s->lock)` and `&s->lock` both become `s->lock`. */
export function lockKey(text: string): string {
  let key = text.replace(/\s+/g, '');
  for (;;) {
    const next = key.replace(/^&/, '').replace(/^\((.*)\)$/, '$1');
    if (next === key) return key;
    key = next;
  }
}

const READERS: Record<string, [string, 'acquire' | 'release']> = {
  rcu_read_lock: ['rcu', 'acquire'],
  rcu_read_unlock: ['rcu', 'release'],
  rcu_read_lock_bh: ['rcu_bh', 'acquire'],
  rcu_read_unlock_bh: ['rcu_bh', 'release'],
  rcu_read_lock_sched: ['rcu_sched', 'acquire'],
  rcu_read_unlock_sched: ['rcu_sched', 'release'],
  rcu_read_lock_sched_notrace: ['rcu_sched', 'acquire'],
  rcu_read_unlock_sched_notrace: ['rcu_sched', 'release'],
  rcu_read_lock_trace: ['rcu_trace', 'acquire'],
  rcu_read_unlock_trace: ['rcu_trace', 'release'],
  preempt_disable: ['preempt', 'acquire'],
  preempt_enable: ['preempt', 'release'],
  preempt_disable_notrace: ['preempt', 'acquire'],
  preempt_enable_notrace: ['preempt', 'release'],
  preempt_enable_no_resched: ['preempt', 'release'],
  get_cpu: ['preempt', 'acquire'],
  put_cpu: ['preempt', 'release'],
  get_cpu_var: ['preempt', 'acquire'],
  put_cpu_var: ['preempt', 'release'],
  get_cpu_ptr: ['preempt', 'acquire'],
  put_cpu_ptr: ['preempt', 'release'],
  local_irq_disable: ['irq', 'acquire'],
  local_irq_enable: ['irq', 'release'],
  local_irq_save: ['irq', 'acquire'],
  local_irq_restore: ['irq', 'release'],
  hard_irq_disable: ['irq', 'acquire'],
  // The ftrace recursion guard disables preemption on success (include/linux/trace_recursion.h).
  ftrace_test_recursion_trylock: ['preempt', 'acquire'],
  ftrace_test_recursion_unlock: ['preempt', 'release'],
  raw_local_irq_save: ['irq', 'acquire'],
  raw_local_irq_restore: ['irq', 'release'],
  raw_local_irq_disable: ['irq', 'acquire'],
  raw_local_irq_enable: ['irq', 'release'],
  local_bh_disable: ['bh', 'acquire'],
  local_bh_enable: ['bh', 'release'],
  rtnl_lock: ['mutex:rtnl', 'acquire'],
  rtnl_lock_killable: ['mutex:rtnl', 'acquire'],
  rtnl_unlock: ['mutex:rtnl', 'release'],
};

/** Explicit RCU reader tokens: these must be balanced on every path. */
export const READER_TOKENS = new Set(['rcu', 'rcu_bh', 'rcu_sched', 'rcu_trace']);

/** Calls that real-mode and noinstr code must not make: they run lockdep or tracing. */
export const LOCKDEP_CALLS = new Set([
  'rcu_read_lock',
  'rcu_read_lock_bh',
  'rcu_read_lock_sched',
  'rcu_read_lock_trace',
  'srcu_read_lock',
  'RCU_LOCKDEP_WARN',
  'rcu_lockdep_assert',
  'lockdep_assert',
]);

/**
 * Assertions that only read per-CPU irq/preemption state (include/linux/lockdep.h): no lock
 * tracking and no rcu_is_watching(), so entry code uses them in noinstr functions.
 */
export const STATE_ASSERTIONS = new Set([
  'lockdep_assert_irqs_disabled',
  'lockdep_assert_irqs_enabled',
  'lockdep_assert_preemption_disabled',
  'lockdep_assert_preemption_enabled',
  'lockdep_assert_in_softirq',
  'lockdep_assert_in_irq',
  'lockdep_assert_no_hardirq',
]);

/** The unlock that pairs with each lockdep-instrumented reader. */
export const READER_UNLOCK: Readonly<Record<string, string>> = {
  rcu_read_lock: 'rcu_read_unlock',
  rcu_read_lock_bh: 'rcu_read_unlock_bh',
  rcu_read_lock_sched: 'rcu_read_unlock_sched',
  rcu_read_lock_trace: 'rcu_read_unlock_trace',
  srcu_read_lock: 'srcu_read_unlock',
};

const SPIN_LOCK =
  /^(raw_)?(spin|read|write)_lock(_bh|_irq|_irqsave|_nested|_irqsave_nested|_bh_nested)?$/;
const SPIN_UNLOCK = /^(raw_)?(spin|read|write)_unlock(_bh|_irq|_irqrestore)?$/;
const SPIN_TRYLOCK = /^(raw_)?(spin|read|write)_trylock(_bh|_irq|_irqsave)?$/;
const SLEEP_LOCK =
  /^(mutex_lock(_nested|_interruptible|_killable|_io|_interruptible_nested|_killable_nested)?|down_(read|write)(_nested|_killable|_interruptible)?|down(_interruptible|_killable)?|lock_sock|lock_sock_nested)$/;
const SLEEP_UNLOCK = /^(mutex_unlock|up_(read|write)|up|release_sock)$/;
const SLEEP_TRYLOCK = /^(mutex_trylock|down_(read|write)_trylock|down_trylock)$/;

const GRACE_PERIODS = new Set([
  'synchronize_rcu',
  'synchronize_rcu_expedited',
  'synchronize_net',
  'synchronize_srcu',
  'synchronize_srcu_expedited',
  'synchronize_rcu_tasks',
  'synchronize_rcu_tasks_trace',
  'synchronize_rcu_mult',
  'cond_synchronize_rcu',
  'synchronize_sched',
  'synchronize_rcu_bh',
]);

/** Calls that block for a grace period or for callbacks. */
export const BLOCKING_GRACE_PERIODS = new Set([
  ...GRACE_PERIODS,
  'rcu_barrier',
  'srcu_barrier',
  'rcu_barrier_tasks',
  'list_splice_init_rcu',
  'list_splice_tail_init_rcu',
]);

const DEFERRED_FREES: Record<string, number> = {
  kfree_rcu: 0,
  kvfree_rcu: 0,
  kfree_rcu_mightsleep: 0,
  call_rcu: 0,
  call_srcu: 1,
  call_rcu_hurry: 0,
};

const FREES: Record<string, number> = {
  kfree: 0,
  kvfree: 0,
  vfree: 0,
  kfree_sensitive: 0,
  kzfree: 0,
  kmem_cache_free: 1,
};

/** The free calls, with the index of the freed argument. */
export function freedArgument(callee: string): number | undefined {
  return FREES[callee];
}

const ASSERT_HELD = /^lockdep_assert_held(_once|_read|_write|_exclusive)?$/;

/** The effects of one call on the protection state, given its name and argument texts. */
export function effectsOf(callee: string, args: readonly string[]): Effect[] {
  const reader = READERS[callee];
  if (reader) return [{ kind: reader[1], token: reader[0] }];
  if (
    callee === 'srcu_read_lock' ||
    callee === 'srcu_read_lock_notrace' ||
    callee === 'srcu_read_lock_nmisafe'
  ) {
    return [{ kind: 'acquire', token: `srcu:${lockKey(args[0] ?? '')}` }];
  }
  if (
    callee === 'srcu_read_unlock' ||
    callee === 'srcu_read_unlock_notrace' ||
    callee === 'srcu_read_unlock_nmisafe'
  ) {
    return [{ kind: 'release', token: `srcu:${lockKey(args[0] ?? '')}` }];
  }
  if (SPIN_LOCK.test(callee)) return [{ kind: 'acquire', token: `spin:${lockKey(args[0] ?? '')}` }];
  if (SPIN_UNLOCK.test(callee))
    return [{ kind: 'release', token: `spin:${lockKey(args[0] ?? '')}` }];
  if (SPIN_TRYLOCK.test(callee))
    return [{ kind: 'trylock', token: `spin:${lockKey(args[0] ?? '')}` }];
  if (SLEEP_LOCK.test(callee))
    return [{ kind: 'acquire', token: `mutex:${lockKey(args[0] ?? '')}` }];
  if (SLEEP_UNLOCK.test(callee))
    return [{ kind: 'release', token: `mutex:${lockKey(args[0] ?? '')}` }];
  if (SLEEP_TRYLOCK.test(callee))
    return [{ kind: 'trylock', token: `mutex:${lockKey(args[0] ?? '')}` }];
  if (callee === 'rtnl_trylock') return [{ kind: 'trylock', token: 'mutex:rtnl' }];
  // Sparse's __release(x) marks a lock dropped by code the checker cannot follow (binder's
  // thread release loop); the lock kind is unknown, and releasing a token not held is a no-op.
  if (callee === '__release')
    return [
      { kind: 'release', token: `spin:${lockKey(args[0] ?? '')}` },
      { kind: 'release', token: `mutex:${lockKey(args[0] ?? '')}` },
    ];
  if (callee === 'hlist_bl_lock')
    return [{ kind: 'acquire', token: `spin:${lockKey(args[0] ?? '')}` }];
  if (callee === 'hlist_bl_unlock')
    return [{ kind: 'release', token: `spin:${lockKey(args[0] ?? '')}` }];
  if (ASSERT_HELD.test(callee))
    return [{ kind: 'assert', token: `held:${lockKey(args[0] ?? '')}` }];
  if (callee === 'ASSERT_RTNL') return [{ kind: 'assert', token: 'held:rtnl' }];
  // An update-side dereference says the lock is held (CONFIG_PROVE_RCU checks it), which makes
  // plain list walks there the updater's; `implied:` does not stand in for an RCU-list cond.
  if (callee === 'rtnl_dereference') return [{ kind: 'assert', token: 'implied:rtnl' }];
  if (callee === 'rcu_dereference_protected') {
    const held = /lockdep_is_held\(([^)]*)\)/.exec(args[1] ?? '');
    if (held) return [{ kind: 'assert', token: `implied:${lockKey(held[1])}` }];
    if (/lockdep_rtnl_is_held\(\)/.test(args[1] ?? ''))
      return [{ kind: 'assert', token: 'implied:rtnl' }];
  }
  if (callee === 'lockdep_assert_irqs_disabled') return [{ kind: 'assert', token: 'irq' }];
  if (callee === 'lockdep_assert_preemption_disabled')
    return [{ kind: 'assert', token: 'preempt' }];
  if (callee === 'lockdep_assert_in_softirq') return [{ kind: 'assert', token: 'bh' }];
  if (/^lockdep_assert_in_rcu_read/.test(callee)) return [{ kind: 'assert', token: 'rcu' }];
  if (/^(WARN_ON(_ONCE)?|BUG_ON|RCU_LOCKDEP_WARN|lockdep_assert|WARN|WARN_ONCE)$/.test(callee)) {
    return assertionIn(args[0] ?? '');
  }
  if (GRACE_PERIODS.has(callee)) return [{ kind: 'grace-period' }];
  if (callee in DEFERRED_FREES)
    return [{ kind: 'deferred-free', argument: DEFERRED_FREES[callee] }];
  if (callee in FREES) return [{ kind: 'free', argument: FREES[callee] }];
  if (callee === 'instrumentation_begin') return [{ kind: 'instrumentation', on: true }];
  if (callee === 'instrumentation_end') return [{ kind: 'instrumentation', on: false }];
  return [];
}

/** `WARN_ON(!rcu_read_lock_held())` and kin: what the assertion guarantees afterwards. */
function assertionIn(condition: string): Effect[] {
  const c = condition.replace(/\s+/g, '');
  if (/!rcu_read_lock(_bh|_sched|_any)?_held\(\)/.test(c))
    return [{ kind: 'assert', token: 'rcu' }];
  if (/^rcu_read_lock(_bh|_sched|_any)?_held\(\)$/.test(c))
    return [{ kind: 'assert', token: 'rcu' }];
  const held = /!lockdep_is_held\(([^)]*)\)/.exec(c) ?? /^lockdep_is_held\(([^)]*)\)$/.exec(c);
  if (held) return [{ kind: 'assert', token: `held:${lockKey(held[1])}` }];
  if (/!lockdep_rtnl_is_held\(\)/.test(c)) return [{ kind: 'assert', token: 'held:rtnl' }];
  return [];
}

/** What a `guard(x)(...)` or `scoped_guard(x, ...)` takes. */
export function guardToken(guardClass: string, argument: string): string | undefined {
  switch (guardClass) {
    case 'rcu':
      return 'rcu';
    case 'srcu':
      return `srcu:${lockKey(argument)}`;
    case 'preempt':
    case 'preempt_notrace':
    case 'migrate':
      return guardClass === 'migrate' ? undefined : 'preempt';
    case 'irq':
    case 'irqsave':
      return 'irq';
    case 'mutex':
    case 'rwsem_read':
    case 'rwsem_write':
      return `mutex:${lockKey(argument)}`;
    default:
      return /spinlock|rwlock|raw_spinlock/.test(guardClass)
        ? `spin:${lockKey(argument)}`
        : undefined;
  }
}

/** Default list of calls that may sleep (the `rcuLens.sleepingCalls` setting extends it). */
export const DEFAULT_SLEEPING_CALLS: readonly string[] = [
  'msleep',
  'msleep_interruptible',
  'ssleep',
  'usleep_range',
  'fsleep',
  'schedule',
  'schedule_timeout',
  'schedule_timeout_interruptible',
  'schedule_timeout_uninterruptible',
  'cond_resched',
  'might_sleep',
  'wait_for_completion',
  'wait_for_completion_interruptible',
  'wait_for_completion_timeout',
  'wait_for_completion_killable',
  'wait_event',
  'wait_event_interruptible',
  'wait_event_timeout',
  'wait_event_interruptible_timeout',
  'wait_event_killable',
  'mutex_lock',
  'mutex_lock_interruptible',
  'mutex_lock_killable',
  'mutex_lock_nested',
  'down',
  'down_interruptible',
  'down_killable',
  'down_read',
  'down_write',
  'rtnl_lock',
  'lock_sock',
  'copy_from_user',
  'copy_to_user',
  'get_user',
  'put_user',
  'clear_user',
  'strncpy_from_user',
  'memdup_user',
  'memdup_user_nul',
  'strndup_user',
  'vmemdup_user',
  'vmalloc',
  'vzalloc',
  'flush_work',
  'flush_workqueue',
  'cancel_work_sync',
  'cancel_delayed_work_sync',
  'kthread_stop',
  'request_firmware',
  'synchronize_rcu',
  'synchronize_rcu_expedited',
  'synchronize_srcu',
  'synchronize_net',
  'rcu_barrier',
];

/** Allocators that sleep when given a sleeping GFP mask. */
const ALLOCATORS =
  /^(kmalloc|kzalloc|kcalloc|kmalloc_array|kvmalloc|kvzalloc|kvcalloc|kvmalloc_array|kmem_cache_alloc|kmem_cache_zalloc|krealloc|kstrdup|kstrndup|kmemdup|kasprintf|alloc_pages|__get_free_pages|get_zeroed_page|kmalloc_node|kzalloc_node|kvmalloc_node|kmem_cache_alloc_node|alloc_skb|idr_alloc|xa_store|xa_alloc)$/;
const SLEEPING_GFP = /\bGFP_(KERNEL|USER|NOFS|NOIO|HIGHUSER|HIGHUSER_MOVABLE|KERNEL_ACCOUNT)\b/;

/** Why a call may sleep, or undefined when it does not. */
export function sleepReason(
  callee: string,
  args: readonly string[],
  sleeping: ReadonlySet<string>,
): string | undefined {
  if (sleeping.has(callee)) return `${callee}() may sleep`;
  if (ALLOCATORS.test(callee)) {
    const gfp = args.find((a) => SLEEPING_GFP.test(a));
    if (gfp) return `${callee}() with ${SLEEPING_GFP.exec(gfp)?.[0]} may sleep to reclaim memory`;
  }
  return undefined;
}
