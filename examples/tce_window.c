// SPDX-License-Identifier: MIT
/*
 * An example for rcu-lens: a PowerPC-KVM-style hypercall that maps a guest
 * page into a DMA window, handled twice, as the kernel does it: first in
 * real mode (guest exit with the MMU off), then, if that gives up, in
 * virtual mode.
 *
 *   npm start        # runs `rcu-lens check examples/`
 *
 * rcu-lens flags the real-mode handler's rcu_read_lock() and its _rcu walk,
 * and leaves the virtual-mode twin alone.
 */
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/slab.h>
#include <asm/hvcall.h>

struct tce_window {
	struct list_head	node;		/* on tce_guest.windows */
	unsigned long		liobn;
	unsigned long		size;
	u64			*table;
	struct rcu_head		rcu;
};

struct tce_guest {
	struct list_head	windows;	/* RCU list; writers hold lock */
	spinlock_t		lock;
};

long tce_window_put(struct tce_window *win, unsigned long ioba, u64 tce);

/*
 * H_PUT_TCE in real mode: runs with the MMU off and interrupts disabled,
 * straight from the guest exit path.  Returns H_TOO_HARD to retry in
 * virtual mode.
 */
long kvmppc_rm_h_put_tce_example(struct tce_guest *g, unsigned long liobn,
				 unsigned long ioba, u64 tce)
{
	struct tce_window *win;
	long ret = H_TOO_HARD;

	rcu_read_lock();
	list_for_each_entry_rcu(win, &g->windows, node) {
		if (win->liobn == liobn) {
			ret = tce_window_put(win, ioba, tce);
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}

/* The same hypercall in virtual mode: ordinary process context. */
long kvmppc_h_put_tce_example(struct tce_guest *g, unsigned long liobn,
			      unsigned long ioba, u64 tce)
{
	struct tce_window *win;
	long ret = H_PARAMETER;

	rcu_read_lock();
	list_for_each_entry_rcu(win, &g->windows, node) {
		if (win->liobn == liobn) {
			ret = tce_window_put(win, ioba, tce);
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}

void tce_window_add(struct tce_guest *g, struct tce_window *win)
{
	spin_lock(&g->lock);
	list_add_rcu(&win->node, &g->windows);
	spin_unlock(&g->lock);
}

void tce_window_remove(struct tce_guest *g, struct tce_window *win)
{
	spin_lock(&g->lock);
	list_del_rcu(&win->node);
	spin_unlock(&g->lock);
	kfree_rcu(win, rcu);
}
