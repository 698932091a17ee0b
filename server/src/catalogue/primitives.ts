/**
 * The RCU list primitives of Linux 6.1, as the analysis needs them.
 * Source: include/linux/rculist.h, rculist_nulls.h, rculist_bl.h, list.h, rcupdate.h and the
 * project's reference catalogue (reference/rcu-catalogue.md, sections 1-7 and 13).
 */

/** How a primitive is checked at run time, which decides what protects it. */
export type Flavor =
  /** lockdep-checked RCU: needs a reader, a spinning context, or a `cond`. */
  | 'rcu'
  /** Needs its SRCU domain, named in the mandatory `cond`. */
  | 'srcu'
  /** No checks at all; protection is implicit. */
  | 'lockless'
  /** Not RCU-safe: for updaters under the lock, or private lists. */
  | 'plain';

export type PrimitiveKind = 'iterator' | 'accessor' | 'update' | 'dereference';

export type ListType = 'list' | 'hlist' | 'hlist_nulls' | 'hlist_bl';

export type UpdateOp = 'add' | 'del' | 'replace' | 'splice' | 'init' | 'move';

export interface Primitive {
  readonly name: string;
  readonly kind: PrimitiveKind;
  readonly flavor: Flavor;
  readonly listType: ListType;
  /** Argument count without the optional `cond`. */
  readonly arity: number;
  readonly cond: 'optional' | 'required' | 'none';
  /** Index of the list head argument, when the primitive takes one. */
  readonly headArg?: number;
  /** Index of the `member` argument (the embedded list node's field name). */
  readonly memberArg?: number;
  /** Index of the argument naming the node that is added, removed or replaced. */
  readonly nodeArg?: number;
  readonly op?: UpdateOp;
  /** The lockless counterpart a real-mode walk should use, when one exists. */
  readonly lockless?: string;
  /** The RCU-safe counterpart of a plain primitive, when one exists. */
  readonly rcuCounterpart?: string;
  /** The lockdep-checked counterpart of a lockless primitive. */
  readonly checked?: string;
  /** Whether a debug kernel checks it (CONFIG_PROVE_RCU_LIST or PROVE_RCU). */
  readonly runtimeCheck: 'list' | 'prove' | 'none';
  /** One line for hovers. */
  readonly summary: string;
}

type Spec = Omit<Primitive, 'name' | 'listType'> & { readonly listType?: ListType };

const it = (spec: Partial<Spec> & Pick<Spec, 'flavor' | 'arity' | 'summary'>): Spec => ({
  kind: 'iterator',
  cond: 'none',
  runtimeCheck: 'none',
  ...spec,
});

const SPECS: Record<string, Spec> = {
  list_for_each_entry_rcu: it({
    flavor: 'rcu',
    arity: 3,
    cond: 'optional',
    headArg: 1,
    memberArg: 2,
    lockless: 'list_for_each_entry_lockless',
    runtimeCheck: 'list',
    summary:
      'Walks an RCU-protected list; needs an RCU reader or the update-side lock named in cond.',
  }),
  list_for_each_entry_srcu: it({
    flavor: 'srcu',
    arity: 3,
    cond: 'required',
    headArg: 1,
    memberArg: 2,
    runtimeCheck: 'list',
    summary:
      'Walks an RCU list under SRCU; cond must be srcu_read_lock_held(ssp) or an update lock.',
  }),
  list_for_each_entry_lockless: it({
    flavor: 'lockless',
    arity: 3,
    headArg: 1,
    memberArg: 2,
    checked: 'list_for_each_entry_rcu',
    summary:
      "Walks an RCU-updated list without lockdep or tracing; lifetime is the caller's business.",
  }),
  list_for_each_entry_continue_rcu: it({
    flavor: 'rcu',
    arity: 3,
    headArg: 1,
    memberArg: 2,
    summary: 'Continues an RCU walk after pos; pos must come from the same reader section.',
  }),
  list_for_each_entry_from_rcu: it({
    flavor: 'rcu',
    arity: 3,
    headArg: 1,
    memberArg: 2,
    summary: 'Continues an RCU walk from pos itself, in the same reader section.',
  }),
  list_for_each_rcu: it({
    flavor: 'rcu',
    arity: 2,
    headArg: 1,
    runtimeCheck: 'prove',
    summary:
      'Walks list_head nodes of an RCU list; checked by rcu_dereference(), so only rcu_read_lock() satisfies it.',
  }),
  hlist_for_each_entry_rcu: it({
    listType: 'hlist',
    flavor: 'rcu',
    arity: 3,
    cond: 'optional',
    headArg: 1,
    memberArg: 2,
    runtimeCheck: 'list',
    summary:
      'Walks an RCU-protected hlist; needs an RCU reader or the update-side lock named in cond.',
  }),
  hlist_for_each_entry_srcu: it({
    listType: 'hlist',
    flavor: 'srcu',
    arity: 3,
    cond: 'required',
    headArg: 1,
    memberArg: 2,
    runtimeCheck: 'list',
    summary: 'Walks an RCU hlist under SRCU; cond is mandatory.',
  }),
  hlist_for_each_entry_rcu_notrace: it({
    listType: 'hlist',
    flavor: 'rcu',
    arity: 3,
    headArg: 1,
    memberArg: 2,
    summary:
      'Walks an RCU hlist without tracing, for tracer and lockdep internals; still needs a reader.',
  }),
  hlist_for_each_entry_rcu_bh: it({
    listType: 'hlist',
    flavor: 'rcu',
    arity: 3,
    headArg: 1,
    memberArg: 2,
    runtimeCheck: 'prove',
    summary: 'Walks an RCU hlist with bottom halves disabled.',
  }),
  hlist_for_each_entry_continue_rcu: it({
    listType: 'hlist',
    flavor: 'rcu',
    arity: 2,
    memberArg: 1,
    summary: 'Continues an RCU hlist walk within the same reader section.',
  }),
  hlist_for_each_entry_continue_rcu_bh: it({
    listType: 'hlist',
    flavor: 'rcu',
    arity: 2,
    memberArg: 1,
    runtimeCheck: 'prove',
    summary: 'Continues an RCU-bh hlist walk.',
  }),
  hlist_for_each_entry_from_rcu: it({
    listType: 'hlist',
    flavor: 'rcu',
    arity: 2,
    memberArg: 1,
    summary: 'Continues an RCU hlist walk from pos itself.',
  }),
  __hlist_for_each_rcu: it({
    listType: 'hlist',
    flavor: 'rcu',
    arity: 2,
    headArg: 1,
    runtimeCheck: 'prove',
    summary: 'Walks hlist_node cursors of an RCU hlist; checked by rcu_dereference().',
  }),
  hlist_nulls_for_each_entry_rcu: it({
    listType: 'hlist_nulls',
    flavor: 'rcu',
    arity: 4,
    headArg: 2,
    memberArg: 3,
    summary:
      'Walks an RCU nulls list (SLAB_TYPESAFE_BY_RCU objects); re-check the key and restart on a wrong nulls value.',
  }),
  hlist_bl_for_each_entry_rcu: it({
    listType: 'hlist_bl',
    flavor: 'rcu',
    arity: 4,
    headArg: 2,
    memberArg: 3,
    runtimeCheck: 'prove',
    summary:
      'Walks an RCU bit-locked hlist; the first load accepts rcu_read_lock() or the bit lock.',
  }),

  list_for_each_entry: it({
    flavor: 'plain',
    arity: 3,
    headArg: 1,
    memberArg: 2,
    rcuCounterpart: 'list_for_each_entry_rcu',
    summary:
      'Walks a list with plain loads: safe only for the updater under its lock, or on a private list.',
  }),
  list_for_each_entry_reverse: it({
    flavor: 'plain',
    arity: 3,
    headArg: 1,
    memberArg: 2,
    summary: 'Walks a list backwards with plain loads; RCU readers cannot walk backwards.',
  }),
  list_for_each_entry_continue: it({
    flavor: 'plain',
    arity: 3,
    headArg: 1,
    memberArg: 2,
    rcuCounterpart: 'list_for_each_entry_continue_rcu',
    summary: 'Continues a plain walk.',
  }),
  list_for_each_entry_from: it({
    flavor: 'plain',
    arity: 3,
    headArg: 1,
    memberArg: 2,
    rcuCounterpart: 'list_for_each_entry_from_rcu',
    summary: 'Continues a plain walk from pos.',
  }),
  list_for_each_entry_safe: it({
    flavor: 'plain',
    arity: 4,
    headArg: 2,
    memberArg: 3,
    summary: 'Walks a list while the walker itself removes entries; updaters only.',
  }),
  list_for_each_entry_safe_reverse: it({
    flavor: 'plain',
    arity: 4,
    headArg: 2,
    memberArg: 3,
    summary: 'Walks backwards while removing entries; updaters only.',
  }),
  list_for_each: it({
    flavor: 'plain',
    arity: 2,
    headArg: 1,
    rcuCounterpart: 'list_for_each_rcu',
    summary: 'Walks list_head nodes with plain loads.',
  }),
  list_for_each_safe: it({
    flavor: 'plain',
    arity: 3,
    headArg: 2,
    summary: 'Walks list_head nodes while removing them; updaters only.',
  }),
  hlist_for_each_entry: it({
    listType: 'hlist',
    flavor: 'plain',
    arity: 3,
    headArg: 1,
    memberArg: 2,
    rcuCounterpart: 'hlist_for_each_entry_rcu',
    summary: 'Walks an hlist with plain loads.',
  }),
  hlist_for_each_entry_safe: it({
    listType: 'hlist',
    flavor: 'plain',
    arity: 4,
    headArg: 2,
    memberArg: 3,
    summary: 'Walks an hlist while removing entries; updaters only.',
  }),
  hlist_nulls_for_each_entry: it({
    listType: 'hlist_nulls',
    flavor: 'plain',
    arity: 4,
    headArg: 2,
    memberArg: 3,
    rcuCounterpart: 'hlist_nulls_for_each_entry_rcu',
    summary: 'Walks a nulls list with plain loads.',
  }),
  hlist_bl_for_each_entry: it({
    listType: 'hlist_bl',
    flavor: 'plain',
    arity: 4,
    headArg: 2,
    memberArg: 3,
    rcuCounterpart: 'hlist_bl_for_each_entry_rcu',
    summary: 'Walks a bit-locked hlist with plain loads.',
  }),

  list_entry_rcu: {
    kind: 'accessor',
    flavor: 'rcu',
    arity: 3,
    cond: 'none',
    lockless: 'list_entry_lockless',
    runtimeCheck: 'none',
    summary: 'Turns an RCU-loaded list pointer into its entry; needs an RCU reader.',
  },
  list_entry_lockless: {
    kind: 'accessor',
    flavor: 'lockless',
    arity: 3,
    cond: 'none',
    checked: 'list_entry_rcu',
    runtimeCheck: 'none',
    summary: 'list_entry_rcu without the sparse __rcu check, for lockless walkers.',
  },
  list_first_or_null_rcu: {
    kind: 'accessor',
    flavor: 'rcu',
    arity: 3,
    cond: 'none',
    headArg: 0,
    runtimeCheck: 'none',
    summary: 'Loads the first entry once, or NULL; needs an RCU reader.',
  },
  list_next_or_null_rcu: {
    kind: 'accessor',
    flavor: 'rcu',
    arity: 4,
    cond: 'none',
    headArg: 0,
    runtimeCheck: 'none',
    summary: 'Loads the next entry once, or NULL at the end; needs an RCU reader.',
  },

  rcu_dereference: {
    kind: 'dereference',
    flavor: 'rcu',
    arity: 1,
    cond: 'none',
    runtimeCheck: 'prove',
    summary: 'Loads an RCU pointer; lockdep checks rcu_read_lock_held().',
  },
  rcu_dereference_check: {
    kind: 'dereference',
    flavor: 'rcu',
    arity: 2,
    cond: 'none',
    runtimeCheck: 'prove',
    summary: 'Loads an RCU pointer; lockdep checks the condition or rcu_read_lock_held().',
  },
  rcu_dereference_bh: {
    kind: 'dereference',
    flavor: 'rcu',
    arity: 1,
    cond: 'none',
    runtimeCheck: 'prove',
    summary: 'Loads an RCU pointer in a bh reader.',
  },
  rcu_dereference_sched: {
    kind: 'dereference',
    flavor: 'rcu',
    arity: 1,
    cond: 'none',
    runtimeCheck: 'prove',
    summary: 'Loads an RCU pointer in a sched reader.',
  },
  srcu_dereference: {
    kind: 'dereference',
    flavor: 'srcu',
    arity: 2,
    cond: 'none',
    runtimeCheck: 'prove',
    summary: 'Loads an RCU pointer inside an SRCU reader.',
  },

  INIT_LIST_HEAD_RCU: {
    kind: 'update',
    flavor: 'rcu',
    arity: 1,
    cond: 'none',
    headArg: 0,
    op: 'init',
    runtimeCheck: 'none',
    summary: 'Re-initialises a list head that readers can see.',
  },
  list_add_rcu: upd('add', 2, 0, 1, 'Publishes an entry after head; updaters must be serialised.'),
  list_add_tail_rcu: upd(
    'add',
    2,
    0,
    1,
    'Publishes an entry before head; updaters must be serialised.',
  ),
  list_del_rcu: upd(
    'del',
    1,
    0,
    undefined,
    'Unlinks an entry, keeping ->next valid for readers; free it only after a grace period.',
  ),
  list_replace_rcu: upd(
    'replace',
    2,
    0,
    undefined,
    'Swaps an entry for readers; free the old one after a grace period.',
  ),
  list_splice_rcu: upd('splice', 2, undefined, 1, 'Splices a private list into an RCU list.'),
  list_splice_init_rcu: upd(
    'splice',
    3,
    undefined,
    1,
    'Splices an RCU list into another; blocks for a grace period.',
  ),
  list_splice_tail_init_rcu: upd(
    'splice',
    3,
    undefined,
    1,
    'Splices an RCU list before head; blocks for a grace period.',
  ),
  hlist_add_head_rcu: upd(
    'add',
    2,
    0,
    1,
    'Publishes an entry at the head of an RCU hlist.',
    'hlist',
  ),
  hlist_add_tail_rcu: upd(
    'add',
    2,
    0,
    1,
    'Publishes an entry at the tail of an RCU hlist.',
    'hlist',
  ),
  hlist_add_before_rcu: upd(
    'add',
    2,
    0,
    undefined,
    'Publishes an entry before another on an RCU hlist.',
    'hlist',
  ),
  hlist_add_behind_rcu: upd(
    'add',
    2,
    0,
    undefined,
    'Publishes an entry after another on an RCU hlist.',
    'hlist',
  ),
  hlist_del_rcu: upd(
    'del',
    1,
    0,
    undefined,
    'Unlinks an hlist entry for RCU readers; free it after a grace period.',
    'hlist',
  ),
  hlist_del_init_rcu: upd(
    'del',
    1,
    0,
    undefined,
    'Unlinks an hlist entry and marks it unhashed; free it after a grace period.',
    'hlist',
  ),
  hlist_replace_rcu: upd('replace', 2, 0, undefined, 'Swaps an hlist entry for readers.', 'hlist'),
  hlist_nulls_add_head_rcu: upd(
    'add',
    2,
    0,
    1,
    'Publishes an entry on an RCU nulls list.',
    'hlist_nulls',
  ),
  hlist_nulls_add_tail_rcu: upd(
    'add',
    2,
    0,
    1,
    'Publishes an entry at the tail of an RCU nulls list.',
    'hlist_nulls',
  ),
  hlist_nulls_del_rcu: upd(
    'del',
    1,
    0,
    undefined,
    'Unlinks an entry of an RCU nulls list.',
    'hlist_nulls',
  ),
  hlist_nulls_del_init_rcu: upd(
    'del',
    1,
    0,
    undefined,
    'Unlinks an entry of an RCU nulls list and marks it unhashed.',
    'hlist_nulls',
  ),
  hlist_nulls_replace_rcu: upd(
    'replace',
    2,
    0,
    undefined,
    'Swaps an entry of an RCU nulls list.',
    'hlist_nulls',
  ),
  hlist_bl_add_head_rcu: upd(
    'add',
    2,
    0,
    1,
    'Publishes an entry on an RCU bit-locked hlist.',
    'hlist_bl',
  ),
  hlist_bl_del_rcu: upd(
    'del',
    1,
    0,
    undefined,
    'Unlinks an entry of an RCU bit-locked hlist.',
    'hlist_bl',
  ),

  list_add: plain('add', 2, 0, 1, 'list_add_rcu'),
  list_add_tail: plain('add', 2, 0, 1, 'list_add_tail_rcu'),
  list_del: plain('del', 1, 0, undefined, 'list_del_rcu'),
  list_del_init: plain('del', 1, 0, undefined, 'list_del_rcu'),
  list_replace: plain('replace', 2, 0, undefined, 'list_replace_rcu'),
  list_replace_init: plain('replace', 2, 0, undefined, 'list_replace_rcu'),
  list_move: plain('move', 2, 0, 1, undefined),
  list_move_tail: plain('move', 2, 0, 1, undefined),
  hlist_add_head: plain('add', 2, 0, 1, 'hlist_add_head_rcu', 'hlist'),
  hlist_add_before: plain('add', 2, 0, undefined, 'hlist_add_before_rcu', 'hlist'),
  hlist_add_behind: plain('add', 2, 0, undefined, 'hlist_add_behind_rcu', 'hlist'),
  hlist_del: plain('del', 1, 0, undefined, 'hlist_del_rcu', 'hlist'),
  hlist_del_init: plain('del', 1, 0, undefined, 'hlist_del_init_rcu', 'hlist'),
};

function upd(
  op: UpdateOp,
  arity: number,
  nodeArg: number | undefined,
  headArg: number | undefined,
  summary: string,
  listType: ListType = 'list',
): Spec {
  return {
    kind: 'update',
    flavor: 'rcu',
    arity,
    cond: 'none',
    nodeArg,
    headArg,
    op,
    listType,
    runtimeCheck: 'none',
    summary,
  };
}

function plain(
  op: UpdateOp,
  arity: number,
  nodeArg: number | undefined,
  headArg: number | undefined,
  rcuCounterpart: string | undefined,
  listType: ListType = 'list',
): Spec {
  const summary = rcuCounterpart
    ? `Plain list update without RCU ordering; on a list that readers walk, use ${rcuCounterpart}().`
    : 'Moves an entry between lists; RCU readers may follow it into the wrong list.';
  return {
    kind: 'update',
    flavor: 'plain',
    arity,
    cond: 'none',
    nodeArg,
    headArg,
    op,
    listType,
    rcuCounterpart,
    runtimeCheck: 'none',
    summary,
  };
}

const PRIMITIVES = new Map<string, Primitive>(
  Object.entries(SPECS).map(([name, spec]) => [name, { name, listType: 'list', ...spec }]),
);

/**
 * Wrapper iterators defined in kernel headers (reference catalogue section 13), mapped to the
 * primitive they expand to and whether they pass a lockdep cond of their own.
 */
export const KNOWN_WRAPPERS: ReadonlyMap<
  string,
  { readonly expandsTo: string; readonly passesCond: boolean }
> = new Map(
  Object.entries({
    for_each_netdev_rcu: ['list_for_each_entry_rcu', false],
    for_each_netdev_continue_rcu: ['list_for_each_entry_continue_rcu', false],
    for_each_net_rcu: ['list_for_each_entry_rcu', false],
    for_each_dev_addr: ['list_for_each_entry_rcu', false],
    sk_for_each_rcu: ['hlist_for_each_entry_rcu', false],
    sk_nulls_for_each_rcu: ['hlist_nulls_for_each_entry_rcu', false],
    udp_portaddr_for_each_entry_rcu: ['hlist_for_each_entry_rcu', false],
    hash_for_each_rcu: ['hlist_for_each_entry_rcu', false],
    hash_for_each_possible_rcu: ['hlist_for_each_entry_rcu', false],
    hash_for_each_possible_rcu_notrace: ['hlist_for_each_entry_rcu_notrace', false],
    for_each_drhd_unit: ['list_for_each_entry_rcu', true],
    for_each_active_drhd_unit: ['list_for_each_entry_rcu', true],
    for_each_active_iommu: ['list_for_each_entry_rcu', true],
    for_each_iommu: ['list_for_each_entry_rcu', true],
    for_each_pwq: ['list_for_each_entry_rcu', true],
    for_each_root: ['list_for_each_entry_rcu', true],
    ipmr_for_each_table: ['list_for_each_entry_rcu', true],
    ip6mr_for_each_table: ['list_for_each_entry_rcu', true],
    hsr_for_each_port: ['list_for_each_entry_rcu', false],
    rdev_for_each_rcu: ['list_for_each_entry_rcu', false],
    for_each_signaler: ['list_for_each_entry_rcu', false],
    for_each_waiter: ['list_for_each_entry_lockless', false],
  }).map(([name, [expandsTo, passesCond]]) => [
    name,
    { expandsTo: expandsTo as string, passesCond: passesCond as boolean },
  ]),
);

/** Looks up a primitive by name. */
export function findPrimitive(name: string): Primitive | undefined {
  return PRIMITIVES.get(name);
}

/** Every primitive, for listings and the grammar tests. */
export function allPrimitives(): readonly Primitive[] {
  return [...PRIMITIVES.values()];
}

/** True for an iterator or accessor whose use needs an RCU reader (or the named lock). */
export function needsReader(p: Primitive): boolean {
  return (
    (p.kind === 'iterator' || p.kind === 'accessor') && (p.flavor === 'rcu' || p.flavor === 'srcu')
  );
}
