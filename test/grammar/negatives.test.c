// SYNTAX TEST "source.c" "rcu-lens: names that must stay plain"

/* Synthetic kernel-style snippets; nothing here is taken from a kernel file. */

/*
 * Callers must hold rcu_read_lock() across list_for_each_entry_rcu(), and
//                   ^^^^^^^^^^^^^ comment.block.c - support.function.rcu.reader.rcu-lens
//                                          ^^^^^^^^^^^^^^^^^^^^^^^ comment.block.c - support.function.rcu.iterator.checked.rcu-lens
 * free entries with kfree_rcu() after list_del_rcu().
//                   ^^^^^^^^^ comment.block.c - support.function.rcu.grace-period.rcu-lens
//                                     ^^^^^^^^^^^^ comment.block.c - support.function.rcu.update.rcu-lens
 */
static void demo_plain(struct list_head *head, struct demo_ops *ops)
{
	struct demo_item *it;

	pr_debug("synchronize_rcu() skipped for %s\n", "call_rcu()");
//         ^^^^^^^^^^^^^^^ string.quoted.double.c - support.function.rcu.grace-period.rcu-lens
//                                               ^^^^^^^^ string.quoted.double.c - support.function.rcu.grace-period.rcu-lens
	demo_touch(NULL); // list_add_rcu(&it->node, head) would be wrong here
//                    ^^^^^^^^^^^^ comment.line.double-slash.c - support.function.rcu.update.rcu-lens

	/* Plain list.h iterators are not RCU iterators. */
	list_for_each_entry(it, head, node)
// <~------------------- entity.name.function.c - support.function.rcu.iterator.checked.rcu-lens
		demo_touch(it);
	hlist_nulls_for_each_entry(it, nn, nh, nnode)
// <~-------------------------- entity.name.function.c - support.function.rcu.iterator.checked.rcu-lens
		demo_touch(it);
	llist_for_each_entry(it, demo_llist_first, lnode)
// <~-------------------- entity.name.function.c - support.function.rcu.iterator.lockless.rcu-lens
		demo_touch(it);
	if (list_empty(head))
//   ^^^^^^^^^^ entity.name.function.c - support.function.rcu.accessor.rcu-lens
		return;

	/* Longer identifiers that merely contain a primitive's name. */
	my_list_for_each_entry_rcu_helper(it, head);
// <~--------------------------------- entity.name.function.c - support.function.rcu.iterator.checked.rcu-lens
	list_for_each_entry_rcu_locked(it, head, node)
// <~------------------------------ entity.name.function.c - support.function.rcu.iterator.checked.rcu-lens
		demo_touch(it);
	WARN_ON(!rcu_read_lock_held());
//        ^^^^^^^^^^^^^^^^^^ entity.name.function.c - support.function.rcu.reader.rcu-lens
	demo_call_rcu(&it->rh);
// <~------------- entity.name.function.c - support.function.rcu.grace-period.rcu-lens
	x_synchronize_srcu(&demo_srcu);
// <~------------------ entity.name.function.c - support.function.rcu.grace-period.srcu.rcu-lens

	/* Documented in whatisRCU.rst but deliberately absent from the 6.1 headers. */
	it = list_first_entry_rcu(head, struct demo_item, node);
//    ^^^^^^^^^^^^^^^^^^^^ entity.name.function.c - support.function.rcu.accessor.rcu-lens

	/* A name that is not called: a value, a struct member, a member call. */
	demo_splice(head, synchronize_rcu);
//                 ^^^^^^^^^^^^^^^ - support.function.rcu.grace-period.rcu-lens
	ops->call_rcu(&it->rh, demo_free_cb);
//    ^^^^^^^^ entity.name.function.member.c - support.function.rcu.grace-period.rcu-lens
	demo_ops.call_rcu = demo_call_rcu;
//        ^^^^^^^^ - support.function.rcu.grace-period.rcu-lens
}

/*
 * Known gap, pinned: the grammar sees one line at a time, so a name whose
 * argument list opens on the next line stays plain.
 */
static void demo_split_call(struct demo_item *it)
{
	call_rcu
// <~-------- - support.function.rcu.grace-period.rcu-lens
		(&it->rh, demo_free_cb);
}
