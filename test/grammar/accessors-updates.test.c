// SYNTAX TEST "source.c" "rcu-lens: accessors and update-side primitives"

/* Synthetic kernel-style snippets; nothing here is taken from a kernel file. */

static struct demo_cfg __rcu *demo_cfg_ptr;

static int demo_read_cfg(struct list_head *head, struct demo_item *cur)
{
	struct demo_item *first, *next, *e;
	struct demo_cfg *c;

	first = list_first_or_null_rcu(head, struct demo_item, node);
//       ^^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
	next = list_next_or_null_rcu(head, &cur->node, struct demo_item, node);
//      ^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
	e = list_entry_rcu(list_next_rcu(&cur->node), struct demo_item, node);
//   ^^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
//                  ^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
	c = rcu_dereference(demo_cfg_ptr);
//   ^^^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
	c = rcu_dereference_check(demo_cfg_ptr, lockdep_is_held(&demo_lock));
//   ^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
	c = rcu_dereference_bh(demo_cfg_ptr);
//   ^^^^^^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
	c = rcu_dereference_sched_check(demo_cfg_ptr, 1);
//   ^^^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
	c = rcu_dereference_protected(demo_cfg_ptr, lockdep_is_held(&demo_lock));
//   ^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
	c = rcu_dereference_raw(demo_cfg_ptr);
//   ^^^^^^^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
	if (!rcu_access_pointer(demo_cfg_ptr))
//    ^^^^^^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
		return -ENOENT;
	if (hlist_unhashed_lockless(&cur->hnode))
//   ^^^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
		return -EAGAIN;
	c = rtnl_dereference(demo_cfg_ptr);
//   ^^^^^^^^^^^^^^^^ support.function.rcu.accessor.rcu-lens
	return c->value;
}

/* SRCU accessors carry the srcu segment. */
static int demo_read_srcu(void)
{
	struct demo_cfg *c;

	c = srcu_dereference(demo_cfg_ptr, &demo_srcu);
//   ^^^^^^^^^^^^^^^^ support.function.rcu.accessor.srcu.rcu-lens
	c = srcu_dereference_check(demo_cfg_ptr, &demo_srcu, lockdep_is_held(&demo_lock));
//   ^^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.accessor.srcu.rcu-lens
	return c->value;
}

static void demo_update(struct demo_item *old, struct demo_item *new,
			struct list_head *head, struct hlist_head *h)
{
	spin_lock(&demo_lock);
	list_add_rcu(&new->node, head);
// <~------------ support.function.rcu.update.rcu-lens
	list_add_tail_rcu(&new->node, head);
// <~----------------- support.function.rcu.update.rcu-lens
	list_del_rcu(&old->node);
// <~------------ support.function.rcu.update.rcu-lens
	list_replace_rcu(&old->node, &new->node);
// <~---------------- support.function.rcu.update.rcu-lens
	list_splice_init_rcu(&demo_staging, head, synchronize_rcu);
// <~-------------------- support.function.rcu.update.rcu-lens
//                                         ^^^^^^^^^^^^^^^ - support.function.rcu.grace-period.rcu-lens
	INIT_LIST_HEAD_RCU(&demo_staging);
// <~------------------ support.function.rcu.update.rcu-lens
	hlist_add_head_rcu(&new->hnode, h);
// <~------------------ support.function.rcu.update.rcu-lens
	hlist_del_init_rcu(&old->hnode);
// <~------------------ support.function.rcu.update.rcu-lens
	hlist_replace_rcu(&old->hnode, &new->hnode);
// <~----------------- support.function.rcu.update.rcu-lens
	hlist_nulls_del_rcu(&old->nnode);
// <~------------------- support.function.rcu.update.rcu-lens
	hlist_nulls_replace_init_rcu(&old->nnode, &new->nnode);
// <~---------------------------- support.function.rcu.update.rcu-lens
	hlist_bl_add_head_rcu(&new->blnode, &demo_bl);
// <~--------------------- support.function.rcu.update.rcu-lens
	rcu_assign_pointer(demo_cfg_ptr, new->cfg);
// <~------------------ support.function.rcu.update.rcu-lens
	RCU_INIT_POINTER(demo_cfg_ptr, NULL);
// <~---------------- support.function.rcu.update.rcu-lens
	spin_unlock(&demo_lock);
}
