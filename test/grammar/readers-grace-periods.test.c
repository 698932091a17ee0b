// SYNTAX TEST "source.c" "rcu-lens: reader markers and grace periods"

/* Synthetic kernel-style snippets; nothing here is taken from a kernel file. */

static void demo_readers(struct demo_item *it)
{
	int idx;

	rcu_read_lock();
// <~------------- support.function.rcu.reader.rcu-lens
	rcu_read_unlock();
// <~--------------- support.function.rcu.reader.rcu-lens
	rcu_read_lock_bh();
// <~---------------- support.function.rcu.reader.rcu-lens
	rcu_read_unlock_bh();
// <~------------------ support.function.rcu.reader.rcu-lens
	rcu_read_lock_sched();
// <~------------------- support.function.rcu.reader.rcu-lens
	rcu_read_unlock_sched();
// <~--------------------- support.function.rcu.reader.rcu-lens
	rcu_read_lock_sched_notrace();
// <~--------------------------- support.function.rcu.reader.rcu-lens
	rcu_read_unlock_sched_notrace();
// <~----------------------------- support.function.rcu.reader.rcu-lens
	rcu_read_lock_trace();
// <~------------------- support.function.rcu.reader.rcu-lens
	rcu_read_unlock_trace();
// <~--------------------- support.function.rcu.reader.rcu-lens
	RCU_NONIDLE(demo_touch(it));
// <~----------- support.function.rcu.reader.rcu-lens

	idx = srcu_read_lock(&demo_srcu);
//     ^^^^^^^^^^^^^^ support.function.rcu.reader.srcu.rcu-lens
	srcu_read_unlock(&demo_srcu, idx);
// <~---------------- support.function.rcu.reader.srcu.rcu-lens
	idx = srcu_read_lock_notrace(&demo_srcu);
//     ^^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.reader.srcu.rcu-lens
	srcu_read_unlock_notrace(&demo_srcu, idx);
// <~------------------------ support.function.rcu.reader.srcu.rcu-lens
}

/* cleanup.h guards: only the guard keyword is scoped, and only for rcu and srcu. */
static int demo_guarded(struct list_head *head)
{
	struct demo_item *it;

	guard(rcu)();
// <~----- support.function.rcu.reader.rcu-lens
	scoped_guard(rcu) {
// <~------------ support.function.rcu.reader.rcu-lens
		list_for_each_entry_rcu(it, head, node)
//^^^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.iterator.checked.rcu-lens
			demo_touch(it);
	}
	guard(srcu)(&demo_srcu);
// <~----- support.function.rcu.reader.srcu.rcu-lens
	scoped_guard(srcu, &demo_srcu)
// <~------------ support.function.rcu.reader.srcu.rcu-lens
		demo_touch(NULL);
	guard(mutex)(&demo_mutex);
// <~----- - support.function.rcu.reader.rcu-lens support.function.rcu.reader.srcu.rcu-lens
	scoped_guard(spinlock_irqsave, &demo_lock)
// <~------------ - support.function.rcu.reader.rcu-lens support.function.rcu.reader.srcu.rcu-lens
		demo_touch(NULL);
	guard(rcu_tasks)();
// <~----- - support.function.rcu.reader.rcu-lens
	return 0;
}

static void demo_free_cb(struct rcu_head *rh)
{
	kfree(container_of(rh, struct demo_item, rh));
}

static void demo_reclaim(struct demo_item *it)
{
	unsigned long cookie;

	synchronize_rcu();
// <~--------------- support.function.rcu.grace-period.rcu-lens
	synchronize_rcu_expedited();
// <~------------------------- support.function.rcu.grace-period.rcu-lens
	synchronize_net();
// <~--------------- support.function.rcu.grace-period.rcu-lens
	call_rcu(&it->rh, demo_free_cb);
// <~-------- support.function.rcu.grace-period.rcu-lens
	kfree_rcu(it, rh);
// <~--------- support.function.rcu.grace-period.rcu-lens
	kvfree_rcu(it, rh);
// <~---------- support.function.rcu.grace-period.rcu-lens
	kfree_rcu_mightsleep(it);
// <~-------------------- support.function.rcu.grace-period.rcu-lens
	cookie = get_state_synchronize_rcu();
//        ^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.grace-period.rcu-lens
	cond_synchronize_rcu(cookie);
// <~-------------------- support.function.rcu.grace-period.rcu-lens
	cookie = start_poll_synchronize_rcu();
//        ^^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.grace-period.rcu-lens
	if (poll_state_synchronize_rcu(cookie))
//   ^^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.rcu.grace-period.rcu-lens
		demo_touch(it);
	call_rcu_tasks(&it->rh, demo_free_cb);
// <~-------------- support.function.rcu.grace-period.rcu-lens
	synchronize_rcu_tasks();
// <~--------------------- support.function.rcu.grace-period.rcu-lens
	call_rcu_tasks_trace(&it->rh, demo_free_cb);
// <~-------------------- support.function.rcu.grace-period.rcu-lens
	rcu_barrier();
// <~----------- support.function.rcu.grace-period.rcu-lens

	synchronize_srcu(&demo_srcu);
// <~---------------- support.function.rcu.grace-period.srcu.rcu-lens
	synchronize_srcu_expedited(&demo_srcu);
// <~-------------------------- support.function.rcu.grace-period.srcu.rcu-lens
	call_srcu(&demo_srcu, &it->rh, demo_free_cb);
// <~--------- support.function.rcu.grace-period.srcu.rcu-lens
	srcu_barrier(&demo_srcu);
// <~------------ support.function.rcu.grace-period.srcu.rcu-lens
}
