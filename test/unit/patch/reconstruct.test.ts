import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { functionHeaderOf, scanBraceShape } from '../../../server/src/patch/c-shape';
import { indexHunkLines } from '../../../server/src/patch/model';
import { parsePatch } from '../../../server/src/patch/parse';
import {
  reconstructFile,
  reconstructPatch,
  type Reconstruction,
} from '../../../server/src/patch/reconstruct';
import { patchCaseNames, readCase, readFixture } from './fixtures';

function reconstructOnly(text: string): Reconstruction {
  const all = reconstructPatch(parsePatch(text));
  assert.equal(all.length, 1);
  return all[0];
}

function textLines(reconstruction: Reconstruction): string[] {
  return reconstruction.text.split('\n').slice(0, -1);
}

describe('reconstructFile', () => {
  it("wraps PATCH-02's hunk in the function its heading names and keeps braces balanced", () => {
    const rebuilt = reconstructOnly(readCase('PATCH-02.patch'));
    const lines = textLines(rebuilt);
    assert.equal(lines[0], 'void flowtab_add(struct flow_ent *f) {');
    assert.deepEqual([...rebuilt.syntheticLines], [1]);
    assert.equal(rebuilt.toPatchLine.get(1), 18);
    assert.equal(lines.at(-1), '}');
    assert.equal(rebuilt.toPatchLine.get(lines.length), 40);
    assert.equal(rebuilt.fromPatchLine.get(28), 11);
    assert.equal(lines[10], '\thlist_for_each_entry_rcu(f, &flow_hash[key & 63], hnode)');
    assert.equal(rebuilt.fragments[0].wrappedIn, 'void flowtab_add(struct flow_ent *f)');
  });

  it('leaves PATCH-01 alone: its heading is a prototype and the hunk shows the function', () => {
    const rebuilt = reconstructOnly(readCase('PATCH-01.patch'));
    assert.equal(rebuilt.syntheticLines.size, 0);
    assert.equal(
      textLines(rebuilt)[0],
      'long dmawin_rm_h_map(struct vm_dmastate *st, u64 bus_id, u64 ioba)',
    );
    assert.equal(rebuilt.fromPatchLine.get(31), 6);
    assert.equal(rebuilt.fragments[0].wrappedIn, undefined);
  });

  it("fences the seed mail's stray comment lines so they are not read as code", () => {
    const rebuilt = reconstructOnly(readCase('PATCH-00-seed.patch'));
    const lines = textLines(rebuilt);
    const define = rebuilt.fromPatchLine.get(65)!;
    assert.equal(lines[define - 1], '#define list_entry_lockless(ptr, type, member) \\');
    const opener = rebuilt.fromPatchLine.get(58)! - 1;
    assert.equal(lines[opener - 1], '/*');
    assert.ok(rebuilt.syntheticLines.has(opener));
    assert.equal(rebuilt.toPatchLine.get(opener), 55);
    assert.equal(lines.at(-1), ' */');
  });

  it("closes a truncated heading's parameter list and the blocks a hunk leaves open", () => {
    const text = [
      'diff --git a/drivers/demo/scan.c b/drivers/demo/scan.c',
      '--- a/drivers/demo/scan.c',
      '+++ b/drivers/demo/scan.c',
      '@@ -20,3 +20,5 @@ static int demo_scan(struct demo_ctx *ctx,',
      ' \trcu_read_lock();',
      '+\tlist_for_each_entry_rcu(it, &ctx->items, node) {',
      '+\t\tif (it->id == id) {',
      ' \t\t\tfound = it;',
      ' \t\t\tbreak;',
      '',
    ].join('\n');
    const rebuilt = reconstructOnly(text);
    const lines = textLines(rebuilt);
    assert.equal(lines[0], 'static int demo_scan(struct demo_ctx *ctx) {');
    assert.deepEqual(lines.slice(-3), ['}', '}', '}']);
    assert.deepEqual([...rebuilt.syntheticLines], [1, 7, 8, 9]);
    assert.ok([...rebuilt.syntheticLines].every((line) => rebuilt.toPatchLine.get(line) === 4));
    assert.equal(rebuilt.fromPatchLine.get(6), 3);
  });

  it("does not wrap a hunk that starts at file scope after the heading's function", () => {
    const rebuilt = reconstructOnly(
      readCase('PATCH-02.patch').replace(/^ \thlist_add_head_rcu.*\n \tspin_unlock.*\n \}\n/m, ''),
    );
    assert.equal(rebuilt.syntheticLines.size, 0);
  });

  it('rebuilds the old side from context and removed lines, wrapped the same way', () => {
    const file = parsePatch(readFixture('offset.diff')).files[0];
    const old = reconstructFile(file, 'old');
    const lines = textLines(old);
    assert.equal(old.side, 'old');
    assert.equal(lines[0], 'int demo_find(int id) {');
    assert.equal(lines[old.fromPatchLine.get(9)! - 1], '\trcu_read_lock();');
    assert.equal(old.fromPatchLine.get(10), undefined);
    assert.ok(lines.includes('\tkfree_rcu(it, rcu);') && !lines.includes('\tkfree(it);'));
  });

  it('wraps a hunk inside a function that its heading does not name in a made-up header', () => {
    const text = readFixture('offset.diff').replace(/^(@@ [^@]+ @@).*$/gm, '$1');
    const rebuilt = reconstructOnly(text);
    const lines = textLines(rebuilt);
    assert.equal(lines[0], 'void hunk_at_patch_line_5(void) {');
    assert.equal(
      reconstructFile(parsePatch(text).files[0], 'old').fragments[0].wrappedIn,
      'void hunk_at_patch_line_5(void)',
    );
  });

  it('rebuilds an added file whole and skips deleted and binary files', () => {
    const rebuilt = reconstructOnly(readFixture('new-file.diff'));
    assert.equal(textLines(rebuilt).length, 9);
    assert.equal(rebuilt.path, 'drivers/demo/demo_new.c');
    assert.deepEqual(reconstructPatch(parsePatch(readFixture('delete-file.diff'))), []);
    assert.deepEqual(
      reconstructPatch(parsePatch(readFixture('binary.diff'))).map((r) => r.path),
      ['drivers/demo/demo_fw.c'],
    );
  });

  for (const name of patchCaseNames()) {
    it(`${name}: the two line maps agree and cover every added line`, () => {
      const set = parsePatch(readCase(name));
      const lines = indexHunkLines(set);
      for (const file of set.files.filter((f) => f.status !== 'deleted' && !f.binary)) {
        const rebuilt = reconstructFile(file);
        const texts = textLines(rebuilt);
        for (const [patchLine, line] of lines) {
          if (line.kind === '-' || !file.hunks.some((h) => h.lines.includes(line))) continue;
          const at = rebuilt.fromPatchLine.get(patchLine);
          assert.ok(at !== undefined, `patch line ${patchLine}`);
          assert.equal(rebuilt.toPatchLine.get(at), patchLine);
          assert.equal(texts[at - 1], line.text);
        }
        assert.equal(rebuilt.toPatchLine.size, texts.length);
      }
    });
  }
});

describe('c-shape helpers', () => {
  it('recognises function headers and rejects other headings', () => {
    assert.equal(
      functionHeaderOf('long vmdma_rm_h_map(struct x *st, u64 a)'),
      'long vmdma_rm_h_map(struct x *st, u64 a)',
    );
    assert.equal(functionHeaderOf('static int foo(void)'), 'static int foo(void)');
    assert.equal(
      functionHeaderOf('struct demo *demo_get(int id) {'),
      'struct demo *demo_get(int id)',
    );
    for (const heading of [
      'long f(int a);',
      'struct demo {',
      'if (x)',
      'SYSCALL_DEFINE1(demo, int, a)',
      '#define X(a)',
      'static struct ops o = INIT(a)',
      '',
    ]) {
      assert.equal(functionHeaderOf(heading), undefined, heading);
    }
  });

  it('counts braces outside strings, comments and macros', () => {
    const shape = scanBraceShape([
      '\tif (a) { /* { */',
      '\t\tputs("}");',
      '#define OPEN {',
      "\tc = '{';",
    ]);
    assert.deepEqual([shape.finalDepth, shape.minDepth, shape.endsInComment], [1, 0, false]);
    assert.deepEqual(scanBraceShape(['\t}', '}', 'int x;']).minDepth, -2);
  });
});
