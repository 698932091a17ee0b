import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';

import { Analyzer } from '../../../server/src/analysis/analyzer';
import { nearestChangedLine } from '../../../server/src/patch/changed-line';
import { selectIntroduced } from '../../../server/src/patch/introduced';
import { parsePatch } from '../../../server/src/patch/parse';
import { REAL_LOCATION_MESSAGE } from '../../../server/src/patch/relocate';
import { reviewPatch } from '../../../server/src/patch/review';
import { formatGcc } from '../../../server/src/report/gcc';
import { FIXTURE_TREE, readFixture, readTreeFile } from './fixtures';

let analyzer: Analyzer;

before(async () => {
  analyzer = await Analyzer.create();
});

/** offset.diff with its first hunk reduced to the removal of rcu_read_lock() alone. */
function pureRemoval(): string {
  return readFixture('offset.diff')
    .replace('+\t/* the caller holds demo_lock */\n', '')
    .replace('@@ -14,7 +14,7 @@', '@@ -14,7 +14,6 @@');
}

function placesAndRules(review: Awaited<ReturnType<typeof reviewPatch>>): [number, string][] {
  return review.findings.map((f) => [f.patchLine, f.finding.rule]);
}

describe('review reports what a patch introduces', () => {
  it('reports a pure removal of rcu_read_lock() on the removed line, with the walk as related information', async () => {
    const text = pureRemoval();
    assert.equal(text.split('\n')[8], '-\trcu_read_lock();');
    for (const tree of [undefined, FIXTURE_TREE]) {
      const review = await reviewPatch(text, { tree, analyzer, patchFile: 'pure.diff' });
      assert.deepEqual(placesAndRules(review), [[9, 'rcu-traverse-outside-reader']]);
      const { finding } = review.findings[0];
      assert.deepEqual(finding.range, {
        start: { line: 8, character: 2 },
        end: { line: 8, character: 18 },
      });
      assert.equal(
        formatGcc([{ file: 'pure.diff', findings: [finding] }]).split('\n')[1],
        `pure.diff:10:3: note: ${REAL_LOCATION_MESSAGE}`,
      );
    }
  });

  it('rebuilds a hunk that `diff -u` wrote without a section heading inside a made-up function', async () => {
    const text = pureRemoval().replace(/^(@@ [^@]+ @@).*$/gm, '$1');
    assert.doesNotMatch(text, /@@ int demo_find/);
    const review = await reviewPatch(text, { analyzer });
    assert.deepEqual(placesAndRules(review), [[9, 'rcu-traverse-outside-reader']]);
    assert.match(review.files[0].analysedText, /^void hunk_at_patch_line_5\(void\) \{$/m);
  });

  it('points into the tree, at the line before the patch, for a walk the hunks do not show', async () => {
    // remove-reader-u0.diff was made with `diff -U0`: its hunks hold the removed lines alone.
    const text = readFixture('remove-reader-u0.diff');
    const review = await reviewPatch(text, { tree: FIXTURE_TREE, analyzer });
    assert.deepEqual(placesAndRules(review), [[4, 'rcu-traverse-outside-reader']]);
    const [where] = review.findings[0].finding.related;
    assert.deepEqual(
      [where.file, where.range.start.line + 1, where.message],
      [path.join(FIXTURE_TREE, 'drivers/demo/demo_list.c'), 21, REAL_LOCATION_MESSAGE],
    );
    assert.match(
      readTreeFile(FIXTURE_TREE, 'drivers/demo/demo_list.c')!.split('\n')[20],
      /^\tlist_for_each_entry_rcu\(/,
    );
    // Without the tree there is no walk to judge: the hunks show nothing but the removed lines.
    assert.deepEqual((await reviewPatch(text, { analyzer })).findings, []);
  });

  it('drops a finding the old side already had, even on a line the patch rewrites', async () => {
    const text = readFixture('rewrite-bare-walk.diff');
    for (const tree of [undefined, FIXTURE_TREE]) {
      const review = await reviewPatch(text, { tree, analyzer });
      assert.deepEqual(review.findings, []);
      const whole = analyzer.analyzeText(review.files[0].path, review.files[0].analysedText);
      assert.ok(
        whole.findings.some((f) => f.rule === 'rcu-traverse-outside-reader'),
        'the walk is bare on both sides',
      );
    }
  });

  it('does not let an old finding on one walk hide the walk a patch leaves bare beside it', async () => {
    const text = readFixture('remove-second-reader.diff');
    for (const tree of [undefined, FIXTURE_TREE]) {
      const review = await reviewPatch(text, { tree, analyzer });
      assert.deepEqual(placesAndRules(review), [[7, 'rcu-traverse-outside-reader']]);
      assert.deepEqual(
        review.findings[0].finding.related.map((r) => [r.file, r.range.start.line + 1]),
        [['patch', 8]],
      );
    }
  });
});

describe('selectIntroduced', () => {
  const OLD = [
    'int f(void)',
    '{',
    '\tstruct x *p;',
    '',
    '\trcu_read_lock();',
    '\tlist_for_each_entry_rcu(p, &h, n)',
    '\t\tg(p);',
    '\trcu_read_unlock();',
    '\treturn 0;',
    '}',
    '',
  ].join('\n');
  const NEW = OLD.replace('\trcu_read_lock();\n', '').replace('\trcu_read_unlock();\n', '');

  function sides(oldText: string, newText: string) {
    const report = (text: string) => {
      const analysis = analyzer.prepare('f.c', text);
      return { analysis, findings: analyzer.analyzeText('f.c', text).findings };
    };
    return { before: report(oldText), after: report(newText) };
  }

  it('keeps a finding the old side lacks, and everything for a file that had no old side', () => {
    const { before, after } = sides(OLD, NEW);
    assert.equal(after.findings.length, 1);
    assert.deepEqual(selectIntroduced(after, before, new Map([[5, 6]])), after.findings);
    assert.deepEqual(selectIntroduced(after, undefined, new Map()), after.findings);
  });

  it('matches by place through the line map, and by message when the line has none', () => {
    const { before, after } = sides(NEW, NEW);
    assert.deepEqual(selectIntroduced(after, before, new Map([[5, 5]])), []);
    assert.deepEqual(selectIntroduced(after, before, new Map()), []);
  });
});

describe('nearestChangedLine', () => {
  it('picks the changed line nearest to a finding, a removed line sitting between its neighbours', () => {
    const file = parsePatch(pureRemoval()).files[0];
    const map = {
      toPatchLine: new Map<number, number>(),
      fromPatchLine: new Map([6, 7, 8, 10, 11].map((patchLine, k) => [patchLine, 16 + k] as const)),
    };
    // Line 19 is the walk (patch line 10): the removed lock (patch line 9) sits at 18.5.
    assert.equal(nearestChangedLine(19, file.hunks.slice(0, 1), map)?.patchLine, 9);
    assert.equal(nearestChangedLine(40, file.hunks.slice(0, 1), map)?.patchLine, 9);
  });

  it('places a hunk without context by its header', () => {
    const file = parsePatch(readFixture('remove-reader-u0.diff')).files[0];
    const empty = {
      toPatchLine: new Map<number, number>(),
      fromPatchLine: new Map<number, number>(),
    };
    assert.equal(nearestChangedLine(20, file.hunks, empty)?.patchLine, 4);
    assert.equal(nearestChangedLine(25, file.hunks, empty)?.patchLine, 6);
  });
});

describe('review places several findings on one changed line', () => {
  it('keeps apart walks that one removed reader leaves bare, each pointing at its own walk', async () => {
    const text = [
      '--- a/drivers/demo/walks.c',
      '+++ b/drivers/demo/walks.c',
      '@@ -1,13 +1,11 @@',
      ' int demo_walks(void)',
      ' {',
      ' \tstruct demo_item *p;',
      '-\trcu_read_lock();',
      ' \tlist_for_each_entry_rcu(p, &demo_a, node)',
      ' \t\tdemo_use(p);',
      ' \tlist_for_each_entry_rcu(p, &demo_b, node)',
      ' \t\tdemo_use(p);',
      ' \tlist_for_each_entry_rcu(p, &demo_c, node)',
      ' \t\tdemo_use(p);',
      '-\trcu_read_unlock();',
      ' \treturn 0;',
      ' }',
      '',
    ].join('\n');
    const review = await reviewPatch(text, { analyzer });
    assert.deepEqual(
      review.findings.map((f) => [f.patchLine, f.finding.related[0].range.start.line + 1]),
      [
        [7, 8],
        [7, 10],
        [14, 12],
      ],
    );
  });
});
