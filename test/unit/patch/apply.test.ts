import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { applyFilePatch, type ApplyResult } from '../../../server/src/patch/apply';
import { indexHunkLines, type FilePatch } from '../../../server/src/patch/model';
import { parsePatch } from '../../../server/src/patch/parse';
import {
  CASES_TREE,
  FIXTURE_TREE,
  patchCaseNames,
  readCase,
  readFixture,
  readTreeFile,
} from './fixtures';

const DEMO = 'drivers/demo/demo_list.c';

function onlyFile(text: string): FilePatch {
  const set = parsePatch(text);
  assert.equal(set.files.length, 1);
  return set.files[0];
}

/** Every mapped line of the new text holds the text of the patch line it maps to. */
function assertMapsAgree(file: FilePatch, result: ApplyResult): void {
  const newLines = result.text.split(/\r?\n/);
  const byLine = new Map(
    file.hunks.flatMap((hunk) => hunk.lines.map((line) => [line.patchLine, line] as const)),
  );
  for (const hunk of result.applied) {
    for (const line of hunk.lines.filter((l) => l.kind === '+')) {
      const at = result.fromPatchLine.get(line.patchLine);
      assert.ok(at !== undefined, `added line ${line.patchLine} has no place in the new text`);
      assert.equal(newLines[at - 1], line.text, `added line ${line.patchLine}`);
      assert.equal(result.toPatchLine.get(at), line.patchLine);
    }
  }
  for (const [newLine, patchLine] of result.toPatchLine) {
    const line = byLine.get(patchLine);
    assert.ok(line && line.kind !== '-', `new line ${newLine} maps to patch line ${patchLine}`);
    assert.equal(newLines[newLine - 1].trim(), line.text.trim());
  }
}

describe('applyFilePatch on the shared cases', () => {
  it('applies PATCH-01 to patch-tree and maps the added rcu_read_lock() back to line 31', () => {
    const file = onlyFile(readCase('PATCH-01.patch'));
    const result = applyFilePatch(readTreeFile(CASES_TREE, file.oldPath), file);
    assert.deepEqual([result.failed, result.problems], [[], []]);
    const at = result.fromPatchLine.get(31)!;
    assert.equal(result.text.split('\n')[at - 1], '\trcu_read_lock();');
    assert.ok(!result.text.includes('list_for_each_entry_lockless'));
    assertMapsAgree(file, result);
  });

  it('applies PATCH-02 and PATCH-03 after flowtab_add', () => {
    for (const [name, patchLine, text] of [
      ['PATCH-02.patch', 39, '\tkfree(f);'],
      ['PATCH-03.patch', 37, '\thlist_for_each_entry_rcu(f, &flow_hash[key & 63], hnode)'],
    ] as const) {
      const file = onlyFile(readCase(name));
      const original = readTreeFile(CASES_TREE, file.oldPath)!;
      const result = applyFilePatch(original, file);
      assert.deepEqual(result.failed, []);
      const newLines = result.text.split('\n');
      assert.equal(newLines[result.fromPatchLine.get(patchLine)! - 1], text);
      assert.ok(result.text.startsWith(original.slice(0, original.indexOf('void flowtab_add'))));
      assertMapsAgree(file, result);
    }
  });

  for (const name of patchCaseNames()) {
    it(`${name}: applies to patch-tree wherever the tree has the file, with consistent line maps`, () => {
      const set = parsePatch(readCase(name));
      for (const file of set.files) {
        const original = readTreeFile(CASES_TREE, file.oldPath);
        if (original === undefined) continue;
        const result = applyFilePatch(original, file);
        assert.deepEqual(result.problems, []);
        assertMapsAgree(file, result);
      }
    });
  }
});

describe('applyFilePatch', () => {
  it('finds hunks at an offset from their headers', () => {
    const file = onlyFile(readFixture('offset.diff'));
    const result = applyFilePatch(readTreeFile(FIXTURE_TREE, DEMO), file);
    assert.equal(result.applied.length, 2);
    assert.deepEqual(result.problems, []);
    const lines = result.text.split('\n');
    // The headers say 14 and 36; the file has the lines three further down.
    assert.equal(lines[20 - 1], '\t/* the caller holds demo_lock */');
    assert.deepEqual(lines.slice(43 - 1, 45), ['\tsynchronize_rcu();', '\tkfree(it);', '}']);
    assertMapsAgree(file, result);
  });

  it('maps every kept line of the new text to its line in the original', () => {
    const original = readTreeFile(FIXTURE_TREE, DEMO)!.split('\n');
    const result = applyFilePatch(original.join('\n'), onlyFile(readFixture('offset.diff')));
    const lines = result.text.split('\n');
    // The walk stays at 21; the added comment (20) and the two new lines at 43 and 44 have no old line.
    assert.equal(result.newToOld.get(21), 21);
    assert.deepEqual(
      [20, 43, 44].map((line) => result.newToOld.get(line)),
      [undefined, undefined, undefined],
    );
    assert.equal(result.newToOld.get(45), 44);
    assert.equal(result.newToOld.size, lines.length - 1 - 3);
    for (const [line, old] of result.newToOld)
      assert.equal(lines[line - 1], original[old - 1], `new line ${line}`);
  });

  it('keeps CR LF line breaks of the file', () => {
    const crlf = readTreeFile(FIXTURE_TREE, DEMO)!.replace(/\n/g, '\r\n');
    const result = applyFilePatch(crlf, onlyFile(readFixture('offset.diff')));
    assert.equal(result.applied.length, 2);
    assert.ok(result.text.endsWith('}\r\n'));
    assert.equal(result.text.split('\r\n').length, result.text.split('\n').length);
    assert.match(result.text, /\tkfree\(it\);\r\n\}\r\n$/);
  });

  it('reports a hunk that is not in the file and still applies the others', () => {
    const stale = readFixture('offset.diff').replace(
      ' \tspin_lock(&demo_lock);\n \tlist_del_rcu',
      ' \tmutex_lock(&demo_mutex);\n \tlist_del_rcu',
    );
    const file = onlyFile(stale);
    const result = applyFilePatch(readTreeFile(FIXTURE_TREE, DEMO), file);
    assert.equal(result.applied.length, 1);
    assert.deepEqual(result.failed, [file.hunks[1]]);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].line, file.hunks[1].headerLine);
    assert.match(result.problems[0].message, /does not apply/);
    assert.ok(result.text.includes('kfree_rcu(it, rcu);'));
  });

  it("applies a hunk whose context lost its indentation, keeping the file's lines", () => {
    // The same damage the seed mail shows: context lines with no leading whitespace.
    const damaged = readCase('PATCH-01.patch').replace(/^ \t+/gm, '');
    const set = parsePatch(damaged);
    const file = set.files[0];
    const result = applyFilePatch(readTreeFile(CASES_TREE, file.oldPath), file);
    assert.equal(result.applied.length, 1);
    assert.match(result.problems[0]?.message ?? '', /whitespace/);
    assert.ok(result.text.includes('\n\tstruct dmawin *w;\n\tlong ret = H_TOO_HARD;\n'));
    assertMapsAgree(file, result);
  });

  it('creates a new file and empties a deleted one', () => {
    const added = onlyFile(readFixture('new-file.diff'));
    const created = applyFilePatch(undefined, added);
    assert.equal(created.text.split('\n').length, 10);
    assert.ok(
      created.text.startsWith('// SPDX-License-Identifier: GPL-2.0\n#include <linux/rculist.h>\n'),
    );
    assert.equal(created.fromPatchLine.get(7), 1);
    assertMapsAgree(added, created);

    const deleted = onlyFile(readFixture('delete-file.diff'));
    const original = deleted.hunks[0].lines.map((line) => `${line.text}\n`).join('');
    assert.equal(applyFilePatch(original, deleted).text, '');
  });

  it('follows "No newline at end of file" markers', () => {
    const text = [
      '--- a/x.c',
      '+++ b/x.c',
      '@@ -1,2 +1,2 @@',
      ' int a;',
      '-int b;',
      '+int c;',
      '\\ No newline at end of file',
      '',
    ].join('\n');
    const result = applyFilePatch('int a;\nint b;\n', onlyFile(text));
    assert.equal(result.text, 'int a;\nint c;');
  });

  it('maps added lines of every file in a series', () => {
    const set = parsePatch(readFixture('series.mbox'));
    const header = applyFilePatch(undefined, set.files[2]);
    assert.equal(header.fromPatchLine.get(71), 5);
    assert.equal(indexHunkLines(set).get(71)?.text, 'int demo_count(void);');
  });
});
