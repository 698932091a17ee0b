// SYNTAX TEST "source.c" "rcu-lens: list iterators"

/* Synthetic kernel-style snippets; nothing here is taken from a kernel file. */

struct demo_item {
	struct list_head node;
	struct hlist_node hnode;
	struct hlist_nulls_node nnode;
	struct hlist_bl_node blnode;
	int key;
};

static int demo_count_rcu(struct list_head *head)
{
	struct demo_item *it;
	struct list_head *lh;
	int n = 0;

	list_for_each_entry_rcu(it, head, node)
// <~----------------------- support.function.rcu.iterator.checked.rcu-lens
		n++;
	list_for_each_entry_rcu(it, head, node, lockdep_is_held(&demo_lock))
// <~----------------------- meta.block.c support.function.rcu.iterator.checked.rcu-lens
		n++;
	list_for_each_entry_continue_rcu(it, head, node)
// <~-------------------------------- support.function.rcu.iterator.checked.rcu-lens
		n++;
	list_for_each_entry_from_rcu(it, head, node)
// <~---------------------------- support.function.rcu.iterator.checked.rcu-lens
		n++;
	list_for_each_rcu(lh, head)
// <~----------------- support.function.rcu.iterator.checked.rcu-lens
		n++;
	return n;
}

static void demo_walk_hashes(struct hlist_head *h, struct hlist_nulls_head *nh,
			     struct hlist_bl_head *bh)
{
	struct demo_item *it;
	struct hlist_node *hn;
	struct hlist_nulls_node *nn;
	struct hlist_bl_node *bn;

	hlist_for_each_entry_rcu(it, h, hnode)
// <~------------------------ support.function.rcu.iterator.checked.rcu-lens
		demo_touch(it);
	hlist_for_each_entry_rcu_notrace(it, h, hnode)
// <~-------------------------------- support.function.rcu.iterator.checked.rcu-lens
		demo_touch(it);
	hlist_for_each_entry_rcu_bh(it, h, hnode)
// <~--------------------------- support.function.rcu.iterator.checked.rcu-lens
		demo_touch(it);
	hlist_for_each_entry_continue_rcu(it, hnode)
// <~--------------------------------- support.function.rcu.iterator.checked.rcu-lens
		demo_touch(it);
	hlist_for_each_entry_continue_rcu_bh(it, hnode)
// <~------------------------------------ support.function.rcu.iterator.checked.rcu-lens
		demo_touch(it);
	hlist_for_each_entry_from_rcu(it, hnode)
// <~----------------------------- support.function.rcu.iterator.checked.rcu-lens
		demo_touch(it);
	__hlist_for_each_rcu(hn, h)
// <~-------------------- support.function.rcu.iterator.checked.rcu-lens
		demo_touch_node(hn);
	hlist_nulls_for_each_entry_rcu(it, nn, nh, nnode)
// <~------------------------------ support.function.rcu.iterator.checked.rcu-lens
		demo_touch(it);
	hlist_nulls_for_each_entry_safe(it, nn, nh, nnode)
// <~------------------------------- support.function.rcu.iterator.checked.rcu-lens
		demo_touch(it);
	hlist_bl_for_each_entry_rcu(it, bn, bh, blnode)
// <~--------------------------- support.function.rcu.iterator.checked.rcu-lens
		demo_touch(it);
}

/* SRCU iterators keep the iterator.checked prefix and add a srcu segment. */
static void demo_walk_srcu(struct list_head *head, struct hlist_head *h)
{
	struct demo_item *it;

	list_for_each_entry_srcu(it, head, node, srcu_read_lock_held(&demo_srcu))
// <~------------------------ support.function.rcu.iterator.checked.srcu.rcu-lens
		demo_touch(it);
	hlist_for_each_entry_srcu(it, h, hnode, srcu_read_lock_held(&demo_srcu))
// <~------------------------- support.function.rcu.iterator.checked.srcu.rcu-lens
		demo_touch(it);
}

static void demo_walk_lockless(struct list_head *head, struct list_head *p)
{
	struct demo_item *it;

	list_for_each_entry_lockless(it, head, node)
// <~---------------------------- support.function.rcu.iterator.lockless.rcu-lens
		demo_touch(it);
	it = list_entry_lockless(p, struct demo_item, node);
//    ^^^^^^^^^^^^^^^^^^^ support.function.rcu.iterator.lockless.rcu-lens
}

/* Whitespace between the name and its argument list is allowed. */
static void demo_spaced(struct list_head *head)
{
	struct demo_item *it;

	if (head)
		list_for_each_entry_rcu (it, head, node)
//^^^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.iterator.checked.rcu-lens
//                       ^ - support.function.rcu.iterator.checked.rcu-lens
			demo_touch(it);
}

/* A wrapper macro body is C too. */
#define demo_for_each(it, head) list_for_each_entry_rcu(it, head, node)
//                              ^^^^^^^^^^^^^^^^^^^^^^^ meta.preprocessor.macro.c support.function.rcu.iterator.checked.rcu-lens
