import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  indexHunkLines,
  type FilePatch,
  type Hunk,
  type PatchSet,
} from '../../../server/src/patch/model';
import { parseHunkHeader } from '../../../server/src/patch/hunk-reader';
import { parsePatch } from '../../../server/src/patch/parse';
import {
  expectedFindingLines,
  linesContaining,
  patchCaseNames,
  readCase,
  readFixture,
} from './fixtures';

function onlyFile(set: PatchSet): FilePatch {
  assert.equal(
    set.files.length,
    1,
    `expected one file, got ${set.files.map((f) => f.newPath).join(', ')}`,
  );
  return set.files[0];
}

function linesOfKind(hunk: Hunk, kind: ' ' | '+' | '-'): number[] {
  return hunk.lines.filter((line) => line.kind === kind).map((line) => line.patchLine);
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, k) => first + k);
}

describe('parsePatch on the shared cases', () => {
  it("reports the seed mail's damaged context line and its short hunk, and keeps the rest", () => {
    const set = parsePatch(readCase('PATCH-00-seed.patch'));
    const file = onlyFile(set);
    assert.equal(file.newPath, 'include/linux/rculist.h');
    assert.equal(file.status, 'modified');

    const hunk = file.hunks[0];
    assert.equal(hunk.headerLine, 55);
    assert.equal(hunk.damaged, true);
    assert.equal(
      hunk.sectionHeading,
      'static inline void list_splice_init_rcu(struct list_head *list,',
    );
    assert.deepEqual(linesOfKind(hunk, '+'), range(58, 70));

    const damage = set.problems.find((p) => p.line === 56);
    assert.ok(damage, JSON.stringify(set.problems));
    assert.match(damage.message, /56/);
    assert.match(damage.message, /leading space/);
    const counts = set.problems.find((p) => p.line === 55);
    assert.ok(counts);
    assert.match(counts.message, /-308,6 \+308,22/);
    assert.equal(
      set.mails[0].subject,
      '[PATCH kernel] rcu: Define lockless version of list_for_each_entry_rcu',
    );
    assert.equal(set.mails[0].from, 'A. Developer');
  });

  it('reads PATCH-01 into one modified file with its added and removed lines', () => {
    const set = parsePatch(readCase('PATCH-01.patch'));
    const file = onlyFile(set);
    assert.deepEqual(
      [file.oldPath, file.newPath, file.status],
      ['arch/powerpc/kvm/book3s_dmawin.c', 'arch/powerpc/kvm/book3s_dmawin.c', 'modified'],
    );
    assert.deepEqual(set.problems, []);
    const [hunk] = file.hunks;
    assert.deepEqual(
      [hunk.headerLine, hunk.oldStart, hunk.oldLines, hunk.newStart, hunk.newLines],
      [22, 26, 12, 26, 17],
    );
    assert.equal(hunk.sectionHeading, 'long dmawin_rm_program(struct dmawin *w, u64 ioba);');
    assert.deepEqual(linesOfKind(hunk, '+'), [26, ...range(31, 36), 39, 40]);
    assert.deepEqual(linesOfKind(hunk, '-'), [28, 29, 30, 38]);
    assert.equal(hunk.lines.find((line) => line.patchLine === 31)?.text, '\trcu_read_lock();');
    assert.equal(
      set.mails[0].subject,
      '[PATCH] KVM: PPC: dmawin: use the lockdep-checked list iterator',
    );
  });

  it('reads PATCH-02 and PATCH-03 as pure additions after three context lines', () => {
    for (const [name, lastAdded] of [
      ['PATCH-02.patch', 40],
      ['PATCH-03.patch', 42],
    ] as const) {
      const file = onlyFile(parsePatch(readCase(name)));
      assert.equal(file.newPath, 'net/flowtab/flowtab.c');
      const [hunk] = file.hunks;
      assert.equal(hunk.headerLine, 18);
      assert.equal(hunk.sectionHeading, 'void flowtab_add(struct flow_ent *f)');
      assert.deepEqual(linesOfKind(hunk, ' '), [19, 20, 21]);
      assert.deepEqual(linesOfKind(hunk, '+'), range(22, lastAdded));
      assert.deepEqual(linesOfKind(hunk, '-'), []);
    }
  });

  for (const name of patchCaseNames()) {
    it(`${name}: every hunk line carries its own patch line, and expected findings sit on added lines`, () => {
      const text = readCase(name);
      const patchLines = text.split('\n');
      const set = parsePatch(text);
      assert.ok(set.files.length > 0, 'no file parsed');
      for (const [patchLine, line] of indexHunkLines(set)) {
        const raw = patchLines[patchLine - 1];
        assert.ok(
          raw === line.text || raw === line.kind + line.text,
          `line ${patchLine}: ${JSON.stringify(raw)}`,
        );
      }
      const byLine = indexHunkLines(set);
      for (const line of expectedFindingLines(text)) {
        assert.equal(byLine.get(line)?.kind, '+', `expect: ${line} is not an added line`);
      }
    });
  }
});

describe('parsePatch on mails and git diffs', () => {
  it('splits an mbox into its mails and gives each file its mail', () => {
    const set = parsePatch(readFixture('series.mbox'));
    assert.deepEqual(set.problems, []);
    assert.deepEqual(
      set.mails.map((mail) => [mail.startLine, mail.subject]),
      [
        [1, '[PATCH 1/2] demo: free items after a grace period'],
        [30, '[PATCH 2/2] demo: count items and export the count in a header'],
      ],
    );
    assert.equal(set.mails[1].from, 'Renée Demo <renee@example.invalid>');
    assert.deepEqual(
      set.mails[0].messageLines.map((line) => line.patchLine),
      [6, 7, 8],
    );
    assert.deepEqual(
      set.files.map((file) => [file.newPath, file.status, file.mail, file.headerLine]),
      [
        ['drivers/demo/demo_list.c', 'modified', 0, 13],
        ['drivers/demo/demo_list.c', 'modified', 1, 43],
        ['include/demo/demo.h', 'added', 1, 61],
      ],
    );
    assert.deepEqual(linesOfKind(set.files[1].hunks[0], '+'), range(51, 60));
  });

  it('reads a rename with a hunk and a pure rename', () => {
    const set = parsePatch(readFixture('rename.diff'));
    assert.deepEqual(
      set.files.map((file) => [
        file.oldPath,
        file.newPath,
        file.status,
        file.similarity,
        file.hunks.length,
      ]),
      [
        ['drivers/demo/old_walk.c', 'drivers/demo/new_walk.c', 'renamed', 90, 1],
        ['drivers/demo/Kconfig.old', 'drivers/demo/Kconfig', 'renamed', 100, 0],
      ],
    );
    assert.deepEqual(linesOfKind(set.files[0].hunks[0], '+'), [13]);
  });

  it('reads a new file and a deleted file with /dev/null on the missing side', () => {
    const added = onlyFile(parsePatch(readFixture('new-file.diff')));
    assert.deepEqual(
      [added.oldPath, added.newPath, added.status],
      ['/dev/null', 'drivers/demo/demo_new.c', 'added'],
    );
    assert.deepEqual(linesOfKind(added.hunks[0], '+'), range(7, 15));

    const deleted = onlyFile(parsePatch(readFixture('delete-file.diff')));
    assert.deepEqual(
      [deleted.oldPath, deleted.newPath, deleted.status],
      ['drivers/demo/demo_old.c', '/dev/null', 'deleted'],
    );
    assert.deepEqual(linesOfKind(deleted.hunks[0], '-'), range(7, 10));
  });

  it('reads CR LF text like LF text and notes it', () => {
    const lf = parsePatch(readFixture('series.mbox'));
    const crlf = parsePatch(readFixture('series.mbox').replace(/\n/g, '\r\n'));
    assert.equal(crlf.crlf, true);
    assert.equal(lf.crlf, false);
    assert.deepEqual(crlf.files, lf.files);
    assert.deepEqual(crlf.mails, lf.mails);
  });

  it('reports a hunk cut short by the end of the input and keeps its lines', () => {
    const set = parsePatch(readFixture('truncated.patch'));
    const hunk = onlyFile(set).hunks[0];
    assert.equal(hunk.damaged, true);
    assert.deepEqual(
      hunk.lines.map((line) => line.patchLine),
      range(12, 16),
    );
    assert.equal(set.problems.length, 1);
    assert.equal(set.problems[0].line, 11);
    assert.match(set.problems[0].message, /truncated/);
  });

  it('skips GIT binary patch and "Binary files" sections with a note, and reads the text file between', () => {
    const text = readFixture('binary.diff');
    const set = parsePatch(text);
    assert.deepEqual(
      set.files.map((file) => [file.newPath, file.binary]),
      [
        ['firmware/demo.bin', true],
        ['drivers/demo/demo_fw.c', false],
        ['firmware/logo.png', true],
      ],
    );
    assert.deepEqual(
      linesOfKind(set.files[1].hunks[0], '+'),
      linesContaining(text, '+#include <linux/rculist.h>'),
    );
    assert.deepEqual(
      set.problems.map((problem) => problem.line),
      [...linesContaining(text, 'GIT binary patch'), ...linesContaining(text, 'Binary files')],
    );
    assert.ok(set.problems.every((problem) => /Binary change to firmware\//.test(problem.message)));
  });

  it('says plainly that C source is not a patch', () => {
    const set = parsePatch(readFixture('not-a-patch.c'));
    assert.deepEqual(set.files, []);
    assert.equal(set.problems.length, 1);
    assert.equal(set.problems[0].line, 1);
    assert.match(set.problems[0].message, /not a patch/);
    assert.equal(parsePatch('').problems.length, 1);
  });

  it('reads a patch quoted in a reply', () => {
    const set = parsePatch(readFixture('quoted-reply.eml'));
    const hunk = onlyFile(set).hunks[0];
    assert.deepEqual(
      hunk.lines.map((line) => [line.kind, line.patchLine]),
      [
        [' ', 9],
        ['-', 10],
        [' ', 11],
        [' ', 12],
      ],
    );
    assert.equal(hunk.lines[1].text, '\trcu_read_lock();');
    assert.deepEqual(set.problems, []);
  });

  it('joins a line that a mailer wrapped when that makes the counts right', () => {
    const set = parsePatch(readFixture('wrapped.patch'));
    const hunk = onlyFile(set).hunks[0];
    const added = hunk.lines.find((line) => line.kind === '+');
    assert.equal(added?.patchLine, 14);
    assert.match(added?.text ?? '', /readers\\n", it->id\);$/);
    assert.deepEqual(
      hunk.lines.map((line) => line.patchLine),
      [12, 13, 14, 16],
    );
    assert.deepEqual(
      set.problems.map((problem) => problem.line),
      [15],
    );
  });

  it('reads a plain diff -u with timestamps and a/ b/ prefixes', () => {
    const text = [
      '--- a/lib/demo.c\t2026-12-01 10:00:00.000000000 +0000',
      '+++ b/lib/demo.c\t2026-12-01 10:00:01.000000000 +0000',
      '@@ -1,2 +1,2 @@',
      ' int demo;',
      '-int old;',
      '+int new;',
      '\\ No newline at end of file',
    ].join('\n');
    const file = onlyFile(parsePatch(text));
    assert.deepEqual(
      [file.oldPath, file.newPath, file.headerLine],
      ['lib/demo.c', 'lib/demo.c', 1],
    );
    assert.equal(file.hunks[0].lines[2].noNewlineAtEnd, true);
  });

  it('reports a hunk with more lines than its header says, and keeps them', () => {
    const text = ['--- a/x.c', '+++ b/x.c', '@@ -1,1 +1,1 @@', '-a', '+b', '+c', ''].join('\n');
    const set = parsePatch(text);
    assert.deepEqual(linesOfKind(onlyFile(set).hunks[0], '+'), [5, 6]);
    assert.deepEqual(
      set.problems.map((p) => p.line),
      [6],
    );
  });

  it('warns when a mail body is quoted-printable', () => {
    const text = readFixture('truncated.patch').replace(
      'Subject:',
      'Content-Transfer-Encoding: quoted-printable\nSubject:',
    );
    const set = parsePatch(text);
    assert.ok(set.problems.some((p) => p.line === 4 && /quoted-printable/.test(p.message)));
  });

  it('parses hunk headers with omitted counts', () => {
    assert.deepEqual(parseHunkHeader('@@ -3 +3 @@'), {
      oldStart: 3,
      oldLines: 1,
      newStart: 3,
      newLines: 1,
      sectionHeading: '',
    });
    assert.equal(parseHunkHeader('@@ nonsense @@'), undefined);
  });
});
