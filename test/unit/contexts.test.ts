/**
 * Context inference: which evidence makes a function real-mode, noinstr or atomic, and which
 * does not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseSettings } from '../../server/src/analysis/settings';
import { quoteSentence } from '../../server/src/context/realmode';
import { analyzeSnippet, markedFindings, reportedFindings } from '../support/snippets';

const WALK = `
{
	struct win *w;

	list_for_each_entry_rcu(w, &g->wins, node)
		if (w->id == id)
			return w->val;
	return 0;
}
`;

async function contextOf(
  source: string,
  name: string,
  file = 'drivers/x/y.c',
): Promise<{ context: string; label: string; evidence: string[] }> {
  const report = await analyzeSnippet(source, file);
  const fn = report.functions.find((f) => f.name === name);
  assert.ok(fn, `function ${name} not found`);
  return { context: fn.context, label: fn.label, evidence: fn.evidence.map((e) => e.message) };
}

describe('real-mode evidence', () => {
  test('PowerPC KVM real-mode names are evidence anywhere', async () => {
    const c = await contextOf(
      `long kvmppc_rm_h_stuff(struct g *g, int id)${WALK}`,
      'kvmppc_rm_h_stuff',
    );
    assert.equal(c.context, 'real-mode');
    assert.match(c.evidence[0], /real-mode naming convention/);
  });

  test('functions in the real-mode hcall table are real mode', async () => {
    assert.equal(
      (await contextOf(`long kvmppc_h_enter(struct g *g, int id)${WALK}`, 'kvmppc_h_enter'))
        .context,
      'real-mode',
    );
  });

  test('_rm_ is evidence only under arch/powerpc/kvm/', async () => {
    const source = `int vol_rm_lookup(struct g *g, int id)${WALK}`;
    assert.equal(
      (await contextOf(source, 'vol_rm_lookup', 'fs/btrfs/volumes.c')).context,
      'process',
    );
    assert.equal(
      (await contextOf(source, 'vol_rm_lookup', 'arch/powerpc/kvm/book3s_x.c')).context,
      'real-mode',
    );
  });

  test('real-mode source files make all their functions real mode', async () => {
    assert.equal(
      (
        await contextOf(
          `int helper(struct g *g, int id)${WALK}`,
          'helper',
          'arch/powerpc/kvm/book3s_hv_rm_foo.c',
        )
      ).context,
      'real-mode',
    );
  });

  test('the evidence quotes the sentence of the comment that says so', async () => {
    const comment =
      '/*\n * Look the window up.  Called from the hypercall\n * path in real mode; no locks.\n */';
    const c = await contextOf(`${comment}\nint lookup(struct g *g, int id)${WALK}`, 'lookup');
    assert.deepEqual(c.evidence, [
      'its comment says "Called from the hypercall path in real mode;"',
    ]);
  });

  test('a long sentence is cut around the phrase', () => {
    const long = `/* ${'word '.repeat(30)}then it runs in real mode and ${'more '.repeat(30)}. */`;
    const quote = quoteSentence(long, /\breal mode\b/);
    assert.ok(quote.length <= 92, quote);
    assert.match(quote, /^….*runs in real mode.*…$/);
  });

  for (const [comment, expected] of [
    ['/* Called in real mode, with the MMU off. */', 'real-mode'],
    ['/* Runs with relocation off. */', 'real-mode'],
    ['/* May run in either mode: real mode or virtual mode. */', 'real-mode'],
    ['/* Virtual mode handler; the real-mode one is elsewhere. */', 'process'],
    ['/* Ordinary lookup. */', 'process'],
  ]) {
    test(`a leading comment "${comment}" gives ${expected}`, async () => {
      assert.equal(
        (await contextOf(`${comment}\nint lookup(struct g *g, int id)${WALK}`, 'lookup')).context,
        expected,
      );
    });
  }

  test('an annotation comment and the settings are evidence', async () => {
    assert.equal(
      (await contextOf(`/* rcu-lens: real-mode */\nint a(struct g *g, int id)${WALK}`, 'a'))
        .context,
      'real-mode',
    );
    const { settings } = parseSettings({
      realMode: { functions: ['fast_*'], paths: ['**/rm/*.c'] },
    });
    const byName = await analyzeSnippet(
      `int fast_path(struct g *g, int id)${WALK}`,
      'x.c',
      settings,
    );
    assert.equal(byName.functions[0].context, 'real-mode');
    const byPath = await analyzeSnippet(
      `int other(struct g *g, int id)${WALK}`,
      'drivers/rm/x.c',
      settings,
    );
    assert.match(byPath.functions[0].evidence[0].message, /rcuLens\.realMode\.paths/);
  });

  test('real mode propagates to callees in the file, naming each caller', async () => {
    const source = `
static int leaf(struct g *g, int id)${WALK}
static int middle(struct g *g, int id) { return leaf(g, id); }
long kvmppc_rm_h_top(struct g *g, int id) { return middle(g, id); }
`;
    const c = await contextOf(source, 'leaf');
    assert.equal(c.context, 'real-mode');
    assert.equal(c.label, 'real mode, via middle');
    assert.deepEqual(c.evidence.slice(1), [
      'called from real-mode `kvmppc_rm_h_top`',
      'called from real-mode `middle`',
    ]);
  });

  test('attribute macros keep the function name and are recorded', async () => {
    const source = `static notrace __always_inline int quiet(struct g *g, int id)${WALK}\nvoid notrace loud(void) { }\nnoinstr void entry(void) { }`;
    const report = await analyzeSnippet(source);
    assert.deepEqual(
      report.functions.map((f) => [f.name, f.context]),
      [
        ['quiet', 'process'],
        ['loud', 'process'],
        ['entry', 'noinstr'],
      ],
    );
  });

  test('functions defined through macros are found by their first argument', async () => {
    const report = await analyzeSnippet(
      `SYSCALL_DEFINE2(frob, int, a, int, b)\n{\n\treturn 0;\n}\nDEFINE_INTERRUPT_HANDLER_NMI(nmi_thing)\n{\n\treturn 0;\n}\n`,
      'arch/powerpc/kernel/x.c',
    );
    assert.deepEqual(
      report.functions.map((f) => [f.name, f.context]),
      [
        ['frob', 'process'],
        ['nmi_thing', 'real-mode'],
      ],
    );
  });
});

describe('duties and atomic contexts', () => {
  const check = async (source: string) =>
    assert.deepEqual(reportedFindings(await analyzeSnippet(source)), markedFindings(source));

  test('a documented caller duty moves the finding to a caller without a reader', () =>
    check(`
/* Must be called under rcu_read_lock(). */
static struct win *find(struct g *g, int id)
{
	struct win *w;

	list_for_each_entry_rcu(w, &g->wins, node)
		if (w->id == id)
			return w;
	return NULL;
}

int good(struct g *g) { int r; rcu_read_lock(); r = find(g, 1) != NULL; rcu_read_unlock(); return r; }
int bad(struct g *g) { return find(g, 2) != NULL; }	// <- rcu-callee-needs-reader
`));

  test('callers that all hold a reader make an undocumented walker clean', () =>
    check(`
static struct win *find(struct g *g, int id)
{
	struct win *w;

	list_for_each_entry_rcu(w, &g->wins, node)
		if (w->id == id)
			return w;
	return NULL;
}

int one(struct g *g) { int r; rcu_read_lock(); r = find(g, 1) != NULL; rcu_read_unlock(); return r; }
int two(struct g *g) { int r; spin_lock(&g->lock); r = find(g, 2) != NULL; spin_unlock(&g->lock); return r; }
`));

  test('a function whose address escapes keeps its own finding', () =>
    check(`
static int visit(struct g *g)
{
	struct win *w;
	int n = 0;

	list_for_each_entry_rcu(w, &g->wins, node)	// <- rcu-traverse-outside-reader
		n++;
	return n;
}

static const struct ops g_ops = { .visit = visit };
int one(struct g *g) { int r; rcu_read_lock(); r = visit(g); rcu_read_unlock(); return r; }
`));

  test('timer and RCU callbacks are atomic: they are readers and must not block', () =>
    check(`
static void tick(struct timer_list *t)
{
	struct win *w;

	list_for_each_entry_rcu(w, &wins, node)
		w->age++;
	synchronize_rcu();	// <- sync-rcu-in-atomic
}
`));
});
