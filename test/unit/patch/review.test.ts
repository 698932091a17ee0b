import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';

import { Analyzer } from '../../../server/src/analysis/analyzer';
import { formatGcc } from '../../../server/src/report/gcc';
import { parsePatch } from '../../../server/src/patch/parse';
import { REAL_LOCATION_MESSAGE } from '../../../server/src/patch/relocate';
import { reviewPatch, type PatchReview } from '../../../server/src/patch/review';
import type { Fix } from '../../../server/src/rules/types';
import {
  CASES_DIR,
  CASES_TREE,
  FIXTURE_TREE,
  patchCaseNames,
  readCase,
  readFixture,
} from './fixtures';

interface Expectations {
  readonly findings: { line: number; rule: string }[];
  readonly none: boolean;
  readonly quietLines: number[];
}

/** The case's expectations, from its commit message or its `.expect` sidecar (cases/README.md). */
function readExpectations(name: string): Expectations {
  const sidecar = path.join(CASES_DIR, name.replace(/\.patch$/, '.expect'));
  const text = readCase(name) + (existsSync(sidecar) ? `\n${readFileSync(sidecar, 'utf8')}` : '');
  return {
    findings: [...text.matchAll(/^expect: (\d+) (\S+)/gm)].map((m) => ({
      line: Number(m[1]),
      rule: m[2],
    })),
    none: /^expect: none\b/m.test(text),
    quietLines: [...text.matchAll(/^expect-none: (\d+)/gm)].map((m) => Number(m[1])),
  };
}

function assertMeets(review: PatchReview, expected: Expectations): void {
  const found = review.findings
    .filter((f) => !f.finding.suppressed)
    .map((f) => `${f.patchLine} ${f.finding.rule}`);
  for (const { line, rule } of expected.findings)
    assert.ok(
      found.includes(`${line} ${rule}`),
      `missing ${line} ${rule}; found ${found.join(', ')}`,
    );
  if (expected.none) assert.deepEqual(found, []);
  for (const line of expected.quietLines)
    assert.ok(
      !found.some((f) => f.startsWith(`${line} `)),
      `finding on line ${line}: ${found.join(', ')}`,
    );
}

let analyzer: Analyzer;

before(async () => {
  analyzer = await Analyzer.create();
});

describe('reviewPatch on the shared cases', () => {
  for (const name of patchCaseNames()) {
    for (const tree of [undefined, CASES_TREE]) {
      it(`${name} ${tree ? 'with patch-tree' : 'from hunks alone'} meets the case's expectations`, async () => {
        const review = await reviewPatch(readCase(name), { tree, analyzer, patchFile: name });
        assert.equal(review.mode, tree ? 'tree' : 'hunks');
        assertMeets(review, readExpectations(name));
        for (const { finding, patchLine } of review.findings) {
          assert.equal(finding.file, name);
          assert.equal(finding.range.start.line + 1, patchLine);
          assert.equal(
            review.patch.files.some((f) =>
              f.hunks.some((h) => h.lines.some((l) => l.patchLine === patchLine && l.kind !== ' ')),
            ),
            true,
          );
        }
      });
    }
  }

  it('reviews the seed mail without findings and names its damage', async () => {
    const review = await reviewPatch(readCase('PATCH-00-seed.patch'), { analyzer });
    assert.deepEqual(review.findings, []);
    assert.ok(review.problems.some((p) => p.line === 56 && /leading space/.test(p.message)));
  });

  it("places PATCH-01's findings at the column of the added code on the patch line", async () => {
    const review = await reviewPatch(readCase('PATCH-01.patch'), {
      tree: CASES_TREE,
      analyzer,
      patchFile: 'PATCH-01.patch',
    });
    assert.deepEqual(
      review.files.map((f) => f.mode),
      ['tree'],
    );
    const lock = review.findings.find((f) => f.finding.rule === 'realmode-lockdep-call')!;
    // Patch line 31 is "+\trcu_read_lock();": the call starts after the prefix and the tab.
    assert.deepEqual(lock.finding.range.start, { line: 30, character: 2 });
    assert.equal(lock.source.range.start.line + 1, 31);
    assert.match(
      formatGcc([{ file: 'PATCH-01.patch', findings: review.findings.map((f) => f.finding) }]),
      /^PATCH-01\.patch:31:3: error: /,
    );
  });
});

function applyFix(text: string, fix: Fix): string {
  return [...fix.edits]
    .sort((a, b) => b.span.start - a.span.start)
    .reduce(
      (out, edit) => out.slice(0, edit.span.start) + edit.newText + out.slice(edit.span.end),
      text,
    );
}

describe('reviewPatch', () => {
  it('carries causes, evidence and fixes onto the patch, and a fix leaves a patch that still parses', async () => {
    const text = readCase('PATCH-02.patch');
    for (const [tree, newLine] of [
      [undefined, '\tsynchronize_rcu();'],
      [CASES_TREE, '\tkfree_rcu(f, rcu);'],
    ] as const) {
      const review = await reviewPatch(text, { tree, analyzer });
      const { finding } = review.findings.find(
        (f) => f.finding.rule === 'free-without-grace-period',
      )!;
      assert.deepEqual(
        finding.causes.map((c) => text.slice(c.start, c.end)),
        ['hlist_del_rcu(&f->hnode)'],
      );
      assert.deepEqual(
        finding.related.map((r) => [r.file, r.range.start.line + 1]),
        [['patch', 37]],
      );
      const fixed = parsePatch(applyFix(text, finding.fixes[0]));
      assert.deepEqual(fixed.problems, []);
      assert.ok(
        fixed.files[0].hunks[0].lines.some((l) => l.kind === '+' && l.text === newLine),
        newLine,
      );
    }
  });

  it("applies a series in order against the tree and reports the second mail's walk", async () => {
    for (const tree of [undefined, FIXTURE_TREE]) {
      const review = await reviewPatch(readFixture('series.mbox'), { tree, analyzer });
      assert.deepEqual(
        review.files.map((f) => f.mode),
        Array(3).fill(tree ? 'tree' : 'hunks'),
      );
      assert.deepEqual(
        review.findings.map((f) => [f.patchLine, f.finding.rule]),
        [[57, 'rcu-traverse-outside-reader']],
      );
    }
  });

  it('reports a walk left bare by a removed rcu_read_lock() on the nearest changed line, pointing at the walk', async () => {
    // offset.diff puts a comment where demo_find's rcu_read_lock() was. The walk below it is a
    // context line; the finding goes on the comment, the changed line nearest to the walk.
    for (const tree of [undefined, FIXTURE_TREE]) {
      const review = await reviewPatch(readFixture('offset.diff'), { tree, analyzer });
      assert.deepEqual(
        review.findings.map((f) => [f.patchLine, f.finding.rule]),
        [[10, 'rcu-traverse-outside-reader']],
      );
      const { finding, source } = review.findings[0];
      assert.equal(finding.message, source.message);
      assert.deepEqual(finding.range.start, { line: 9, character: 2 });
      assert.deepEqual(
        finding.related.map((r) => [
          r.file,
          r.range.start.line + 1,
          r.range.start.character,
          r.message,
        ]),
        [['patch', 11, 2, REAL_LOCATION_MESSAGE]],
      );
    }
  });

  it('falls back to the hunks for a file the tree lacks, and says so', async () => {
    const review = await reviewPatch(readCase('PATCH-02.patch'), { tree: FIXTURE_TREE, analyzer });
    assert.equal(review.mode, 'tree');
    assert.deepEqual(
      review.files.map((f) => f.mode),
      ['hunks'],
    );
    assert.ok(review.problems.some((p) => p.line === 14 && /not in the tree/.test(p.message)));
    assert.deepEqual(
      review.findings.map((f) => f.patchLine),
      [28, 39],
    );
  });

  it('gives a clear problem and no findings for C source', async () => {
    const review = await reviewPatch(readFixture('not-a-patch.c'), { analyzer });
    assert.deepEqual([review.files, review.findings], [[], []]);
    assert.match(review.problems[0].message, /not a patch/);
  });
});
