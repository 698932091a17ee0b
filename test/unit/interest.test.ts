/**
 * Which files a whole-tree check also indexes for callers: those that use a function judged by
 * its callers, not those that only declare it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { namesJudgedByCallers, usesAny } from '../../server/src/analysis/interest';
import { Analyzer } from '../../server/src/analysis/analyzer';

const NAMES = new Set(['demo_find']);

describe('usesAny', () => {
  for (const [shape, text] of [
    ['a call statement', 'void f(void)\n{\n\tdemo_find(1);\n}\n'],
    ['a returned call', 'int f(void)\n{\n\treturn demo_find(1);\n}\n'],
    [
      'a call in a condition',
      'int f(void)\n{\n\tif (!demo_find(1))\n\t\treturn 0;\n\treturn 1;\n}\n',
    ],
    ['an ops member', 'static const struct ops o = {\n\t.find = demo_find,\n};\n'],
  ]) {
    test(`finds ${shape}`, () => assert.equal(usesAny(text, NAMES), true));
  }

  for (const [shape, text] of [
    ['a prototype', 'struct demo *demo_find(u32 key);\n'],
    ['a plain prototype', 'extern int demo_find(u32 key);\n'],
    ['another name that contains it', 'int f(void)\n{\n\treturn demo_find_all(1);\n}\n'],
  ]) {
    test(`ignores ${shape}`, () => assert.equal(usesAny(text, NAMES), false));
  }
});

describe('namesJudgedByCallers', () => {
  test('names the exported walker and the non-static functions above it, not static ones', async () => {
    const analyzer = await Analyzer.create();
    const analysis = analyzer.prepare(
      'drivers/demo/find.c',
      `static struct demo *demo_bucket(u32 key)
{
	struct demo *d;

	list_for_each_entry_rcu(d, &demo_list, node)
		if (d->key == key)
			return d;
	return NULL;
}

struct demo *demo_find(u32 key)
{
	return demo_bucket(key);
}

int demo_count(void)
{
	struct demo *d;
	int n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(d, &demo_list, node)
		n++;
	rcu_read_unlock();
	return n;
}
`,
    );
    assert.deepEqual(namesJudgedByCallers(analysis), ['demo_find']);
  });
});
