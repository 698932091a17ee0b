/**
 * Protection along paths: each snippet marks the findings it must produce, and nothing else.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeSnippet, markedFindings, reportedFindings } from '../support/snippets';

async function check(source: string): Promise<void> {
  assert.deepEqual(reportedFindings(await analyzeSnippet(source)), markedFindings(source));
}

test('a reader taken on one branch only leaves the other path unprotected', () =>
  check(`
static LIST_HEAD(items);
int count(bool locked)
{
	struct item *it;
	int n = 0;

	if (locked)
		rcu_read_lock();
	list_for_each_entry_rcu(it, &items, node)	// <- rcu-traverse-outside-reader
		n++;
	if (locked)
		rcu_read_unlock();
	return n;
}
`));

test('goto to an exit label that unlocks is balanced; a bare return is not', () =>
  check(`
int lookup(u32 key)
{
	struct item *it;
	int ret = -ENOENT;

	rcu_read_lock();
	list_for_each_entry_rcu(it, &items, node) {
		if (it->key == key) {
			ret = 0;
			goto out;
		}
		if (it->key > key)
			return -EINVAL;	// <- rcu-unlock-imbalance
	}
out:
	rcu_read_unlock();
	return ret;
}
`));

test('switch cases, breaks and fallthrough carry the reader', () =>
  check(`
int pick(int mode)
{
	struct item *it;

	switch (mode) {
	case 0:
		rcu_read_lock();
		/* fallthrough */
	case 1:
		list_for_each_entry_rcu(it, &items, node)	// <- rcu-traverse-outside-reader
			use(it);
		break;
	default:
		rcu_read_lock_bh();
		list_for_each_entry_rcu(it, &items, node)
			use(it);
		rcu_read_unlock_bh();
	}
	return 0;	// <- rcu-unlock-imbalance
}
`));

test('trylock protects only its success branch', () =>
  check(`
static DEFINE_SPINLOCK(items_lock);
void scan(void)
{
	struct item *it;

	if (spin_trylock(&items_lock)) {
		list_for_each_entry_rcu(it, &items, node)
			use(it);
		spin_unlock(&items_lock);
		return;
	}
	list_for_each_entry_rcu(it, &items, node)	// <- rcu-traverse-outside-reader
		use(it);
}
`));

test('guard(rcu)() lasts until the end of its block', () =>
  check(`
void walk_twice(void)
{
	struct item *it;

	{
		guard(rcu)();
		list_for_each_entry_rcu(it, &items, node)
			use(it);
	}
	list_for_each_entry_rcu(it, &items, node)	// <- rcu-traverse-outside-reader
		use(it);
}
`));

test('an unlock on a path that never locked is reported', () =>
  check(`
void drop(bool held)
{
	if (held)
		rcu_read_lock();
	use(0);
	rcu_read_unlock();	// <- rcu-unlock-imbalance
}
`));

test('SRCU walks need their SRCU domain in the cond, and it satisfies them', () =>
  check(`
DEFINE_STATIC_SRCU(items_srcu);
void srcu_walk(void)
{
	struct item *it;
	int idx;

	idx = srcu_read_lock(&items_srcu);
	list_for_each_entry_srcu(it, &items, node, srcu_read_lock_held(&items_srcu))
		use(it);
	srcu_read_unlock(&items_srcu, idx);
}
`));

test('a mutex is not a reader: the walk needs a lockdep cond', async () => {
  const source = `
static DEFINE_MUTEX(items_mutex);
void update_all(void)
{
	struct item *it;

	mutex_lock(&items_mutex);
	list_for_each_entry_rcu(it, &items, node)	// <- rcu-traverse-outside-reader
		it->gen++;
	mutex_unlock(&items_mutex);
}
`;
  const report = await analyzeSnippet(source);
  assert.deepEqual(reportedFindings(report), markedFindings(source));
  const fix = report.findings[0].fixes.find((f) => f.preferred);
  assert.equal(fix?.title, 'Pass lockdep_is_held(&items_mutex) as cond');
  assert.equal(fix?.edits[0].newText, ', lockdep_is_held(&items_mutex)');
});

test('the body of default: runs, so a switch whose arms all unlock is balanced', () =>
  check(`
int dispatch(struct knob *k)
{
	struct item *it;
	int err = 0;

	rcu_read_lock();
	switch (k->mode) {
	case KNOB_FAST:
		err = knob_fast(k);
		rcu_read_unlock();
		break;
	default:
		list_for_each_entry_rcu(it, &k->items, node)
			err += it->weight;
		rcu_read_unlock();
		break;
	}
	return err;
}
`));

test('two #ifdef blocks on the same option are compiled together', () =>
  check(`
int build(struct frame *f)
{
	struct key *k = NULL;

#ifdef CONFIG_FRAME_SIG
	rcu_read_lock();
	k = frame_key_lookup(f);
#endif
	f->len = 0;
#ifdef CONFIG_FRAME_SIG
	if (k)
		frame_sign(f, k);
	rcu_read_unlock();
#endif
#ifdef CONFIG_FRAME_TRACE
	rcu_read_unlock();	// <- rcu-unlock-imbalance
#endif
	return 0;
}
`));

test("a helper that drops its caller's reader to sleep and takes it again is balanced", () =>
  check(`
static size_t seek_in_folio(struct demo_state *xas, struct folio *folio)
{
	size_t ret;

	xas_pause(xas);
	rcu_read_unlock();
	folio_lock(folio);
	ret = demo_scan(folio);
	folio_unlock(folio);
	rcu_read_lock();
	return ret;
}

int demo_unlock_twice(struct demo *d)
{
	rcu_read_lock();
	demo_use(d);
	rcu_read_unlock();
	rcu_read_unlock();	// <- rcu-unlock-imbalance
	return 0;
}
`));

test('a forgotten rcu_read_unlock() is a leak; a helper that takes the reader for its caller is not', () =>
  check(`
int demo_count(struct demo_tbl *t)
{
	struct demo_ent *e;
	int n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &t->list, node)
		n++;
	return n;	// <- rcu-unlock-imbalance
}

void demo_tbl_lock(struct demo_tbl *t)
{
	rcu_read_lock();
	demo_note(t);
}

struct demo_ent *demo_first(struct demo_tbl *t)
{
	rcu_read_lock();
	return list_first_or_null_rcu(&t->list, struct demo_ent, node);
}
`));
