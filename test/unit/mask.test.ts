import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { maskKernelMacros } from '../../server/src/parsing/mask';
import { analyzeSnippet } from '../support/snippets';

function masked(source: string): string {
  const result = maskKernelMacros(source);
  assert.equal(result.text.length, source.length, 'masking must keep the length');
  assert.deepEqual(
    result.text.split('\n').map((l) => l.length),
    source.split('\n').map((l) => l.length),
    'masking must keep every line length',
  );
  return result.text;
}

describe('loop macros', () => {
  test('a braced loop macro becomes while, padded to the same length', () => {
    const text = masked(
      'void f(void) {\n\tlist_for_each_entry_rcu(p, &h, node) {\n\t\tg(p);\n\t}\n}\n',
    );
    assert.match(text, /\twhile {18}\(p, &h, node\) \{/);
  });

  for (const [shape, body] of [
    ['a dereference', '*p->cnt += 1;'],
    ['a parenthesis', '(void)g(p);'],
    ['an increment', '++n;'],
    ['a return', 'return p;'],
  ]) {
    test(`an unbraced body starting with ${shape} is still a loop body`, () => {
      const text = masked(
        `int f(void) {\n\thlist_for_each_entry_rcu(p, &h, node)\n\t\t${body}\n}\n`,
      );
      assert.match(text, /\twhile {19}\(p, &h, node\)/);
    });
  }

  test('loops after a label and as an else branch are masked', () => {
    const text = masked(
      'void f(void) {\nagain:\n\tlist_for_each_entry(p, &h, n) g(p);\n\tif (x) g(0); else list_for_each_entry(p, &h, n) g(p);\n}\n',
    );
    assert.equal(text.match(/while/g)?.length, 2);
  });

  test('a macro used as an expression or a declaration is left alone', () => {
    const source =
      'void f(void) {\n\tn = count_for_each(p);\n\tif (check_for_each(p)) g();\n\tfoo_for_each(cb);\n}\n';
    assert.equal(masked(source), source);
  });

  test('macro definitions are not rewritten, but wrappers defined there are recognised', () => {
    const source =
      '#define for_each_widget(w) \\\n\tlist_for_each_entry_rcu(w, &widgets, node)\nvoid f(void) {\n\tmy_walk(w) {\n\t}\n\tfor_each_widget(w) {\n\t}\n}\n';
    const result = maskKernelMacros(source);
    assert.ok(result.text.startsWith('#define for_each_widget(w) \\\n\tlist_for_each_entry_rcu('));
    assert.equal(result.loops.size, 1);
    assert.equal([...result.loops.values()][0].name, 'for_each_widget');
  });

  test('a masked loop records its arguments', () => {
    const source =
      'void f(void) {\n\tlist_for_each_entry_rcu(p, &s->ports, list, lockdep_is_held(&s->lock)) {}\n}\n';
    const loop = [...maskKernelMacros(source).loops.values()][0];
    assert.deepEqual(
      loop.args.map((a) => source.slice(a.start, a.end)),
      ['p', '&s->ports', 'list', 'lockdep_is_held(&s->lock)'],
    );
  });

  test('comments and strings are never rewritten', () => {
    const source =
      '/* list_for_each_entry(p, h, m) { } */\nchar *s = "noinstr list_for_each_entry(p, h, m) {";\n';
    assert.equal(masked(source), source);
  });
});

describe('attribute macros', () => {
  test('attributes are blanked and recorded, arguments included', () => {
    const source = 'static noinstr void f(struct s *s) __must_hold(&s->lock)\n{\n}\n';
    const result = maskKernelMacros(source);
    assert.ok(!result.text.includes('noinstr') && !result.text.includes('__must_hold'));
    assert.deepEqual(
      result.attributes.map((a) => [a.name, a.argument]),
      [
        ['noinstr', ''],
        ['__must_hold', '&s->lock'],
      ],
    );
  });

  test('a struct type passed as a macro argument is unwrapped', () => {
    const text = masked('p = list_entry_rcu(ptr, struct foo, node);\nvoid g(struct foo *f);\n');
    assert.match(text, /list_entry_rcu\(ptr, {8}foo, node\)/);
    assert.match(text, /void g\(struct foo \*f\)/);
  });
});

describe('conditional compilation in a body', () => {
  const ELSE_IF =
    'int f(struct s *s)\n{\n\tif (s->a)\n\t\treturn 1;\n#if IS_ENABLED(CONFIG_X)\n\telse if (s->b)\n\t\treturn 2;\n#endif\n\tlist_for_each_entry_rcu(p, &s->h, node) {\n\t\tg(p);\n\t}\n\treturn 0;\n}\n';

  test('an #if that continues an else chain loses its directive lines', () => {
    const text = masked(ELSE_IF);
    assert.ok(!text.includes('#if') && !text.includes('#endif'));
    assert.match(text, /\telse if \(s->b\)/);
  });

  test('the walk after such a block is still found in its function', async () => {
    const report = await analyzeSnippet(ELSE_IF, 'drivers/net/x.c');
    assert.deepEqual(
      report.sites.map((s) => [s.primitive, s.function]),
      [['list_for_each_entry_rcu', 'f']],
    );
  });

  test('a term of a condition guarded by #ifdef is joined to the condition', () => {
    const text = masked(
      'void f(void)\n{\n\tif (a &&\n#ifdef CONFIG_Y\n\t    b &&\n#endif\n\t    c)\n\t\tg();\n}\n',
    );
    assert.ok(!text.includes('#ifdef'));
  });

  for (const [shape, source] of [
    ['whole statements', 'void f(void)\n{\n#ifdef CONFIG_Y\n\trcu_read_lock();\n#endif\n}\n'],
    [
      'an #else branch',
      'void f(void)\n{\n\tif (a)\n\t\tg();\n#ifdef CONFIG_Y\n\telse if (b)\n\t\th();\n#else\n\telse\n\t\tk();\n#endif\n}\n',
    ],
    [
      'unbalanced braces',
      'void f(void)\n{\n\tif (a) {\n#ifdef CONFIG_Y\n\t} else if (b) {\n#endif\n\t}\n}\n',
    ],
    ['file scope', '#ifdef CONFIG_Y\nint x = (1 +\n#endif\n2);\n'],
  ]) {
    test(`a block of ${shape} keeps its directives`, () => {
      assert.equal(masked(source), source);
    });
  }
});
