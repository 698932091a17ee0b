/**
 * Review of a patch against the real kernel. In a linux-source-6.1 function whose
 * `list_for_each_entry_rcu` walk sits right after `rcu_read_lock()`, delete the lock and its
 * matching unlock, make the patch with the real `diff -u`, and review it with the tree and
 * from the hunks alone: the walk the removal left bare is reported, on the removed lock line,
 * and nothing that the kernel file already had.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';

import { Analyzer } from '../../server/src/analysis/analyzer';
import { REAL_LOCATION_MESSAGE } from '../../server/src/patch/relocate';
import { reviewPatch } from '../../server/src/patch/review';
import { formatGcc } from '../../server/src/report/gcc';
import type { Finding } from '../../server/src/rules/types';

const CACHE = process.env.RCU_LENS_CACHE ?? path.join(homedir(), '.cache', 'rcu-lens');
const KERNEL = path.join(CACHE, 'linux-source-6.1');
/** The candidate files, scanned in sorted order so that every run picks the same function. */
const CANDIDATE_DIR = 'net/ipv4';
const PATCH_NAME = 'drop-reader.patch';

/** A reader section to remove: 1-based lines of the file. */
interface ReaderWalk {
  readonly file: string;
  readonly lock: number;
  readonly walk: number;
  readonly unlock: number;
  /** The function's opening and closing brace lines. */
  readonly body: { readonly from: number; readonly to: number };
}

/**
 * Sections of kernel style where `rcu_read_lock();` is followed by a `list_for_each_entry_rcu`
 * walk at the same indentation and the function holds no other reader call than one matching
 * `rcu_read_unlock();`, at that indentation too.
 */
function findReaderWalks(file: string, text: string): ReaderWalk[] {
  const lines = text.split('\n');
  return lines.flatMap((line, i) => {
    const indent = /^(\t+)rcu_read_lock\(\);$/.exec(line)?.[1];
    if (indent === undefined) return [];
    const walk = lines.findIndex((l, k) => k > i && l.trim() !== '');
    if (!lines[walk]?.startsWith(`${indent}list_for_each_entry_rcu(`)) return [];
    const from = lines.slice(0, i).lastIndexOf('{');
    const to = lines.indexOf('}', i);
    const calls = lines
      .slice(from, to)
      .flatMap((l, k) => (/\brcu_read_(un)?lock/.test(l) ? [from + k] : []));
    const unlock = calls[1];
    if (from < 0 || to < 0 || calls.length !== 2 || lines[unlock] !== `${indent}rcu_read_unlock();`)
      return [];
    return [
      {
        file,
        lock: i + 1,
        walk: walk + 1,
        unlock: unlock + 1,
        body: { from: from + 1, to: to + 1 },
      },
    ];
  });
}

function findingsIn(findings: readonly Finding[], from: number, to: number): Finding[] {
  return findings.filter(
    (f) => !f.suppressed && f.range.start.line + 1 >= from && f.range.start.line + 1 <= to,
  );
}

/** The first candidate section in a function where rcu-lens reports nothing today. */
function pickReaderWalk(analyzer: Analyzer): ReaderWalk | undefined {
  const dir = path.join(KERNEL, CANDIDATE_DIR);
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.c'))
    .sort()) {
    const file = `${CANDIDATE_DIR}/${name}`;
    const text = readFileSync(path.join(KERNEL, file), 'utf8');
    const candidates = findReaderWalks(file, text);
    if (candidates.length === 0) continue;
    const findings = analyzer.analyzeText(file, text).findings;
    const clean = candidates.find((c) => findingsIn(findings, c.body.from, c.body.to).length === 0);
    if (clean) return clean;
  }
  return undefined;
}

/** The file without the section's lock and unlock lines. */
function dropReader(text: string, pick: ReaderWalk): string {
  return text
    .split('\n')
    .filter((_, k) => k + 1 !== pick.lock && k + 1 !== pick.unlock)
    .join('\n');
}

/** Runs `diff -u a/<path> b/<path>` in a scratch directory, as a git-style patch names them. */
function makePatch(scratch: string, file: string, before: string, after: string): string {
  for (const [side, text] of [
    ['a', before],
    ['b', after],
  ] as const) {
    mkdirSync(path.dirname(path.join(scratch, side, file)), { recursive: true });
    writeFileSync(path.join(scratch, side, file), text);
  }
  const args = ['-u', '--label', `a/${file}`, '--label', `b/${file}`, `a/${file}`, `b/${file}`];
  const diff = spawnSync('diff', args, { cwd: scratch, encoding: 'utf8' });
  assert.equal(diff.status, 1, `diff -u failed: ${diff.stderr}`);
  return diff.stdout;
}

/**
 * The changed copy, its patch, and what the change causes according to an analysis of the
 * changed file whole: the walk left bare, and nothing else in the function.
 */
function prepareCase(analyzer: Analyzer, pick: ReaderWalk, scratch: string) {
  const original = readFileSync(path.join(KERNEL, pick.file), 'utf8');
  const changed = dropReader(original, pick);
  const whole = analyzer.analyzeText(pick.file, changed).findings;
  // Two lines fewer: the function ends two lines higher in the changed copy.
  const findings = findingsIn(whole, pick.body.from, pick.body.to - 2);
  assert.deepEqual(
    findings.map((f) => [f.rule, f.range.start.line + 1]),
    [['rcu-traverse-outside-reader', pick.walk - 1]],
  );
  const lines = original.split('\n');
  const caused = { findings, lockText: lines[pick.lock - 1], walkText: lines[pick.walk - 1] };
  return { patch: makePatch(scratch, pick.file, original, changed), caused };
}

function patchLineOf(patch: string, line: string): number {
  const lines = patch.split('\n');
  assert.equal(
    lines.filter((l) => l === line).length,
    1,
    `one line ${JSON.stringify(line)} in the patch`,
  );
  return lines.indexOf(line) + 1;
}

describe('review of a kernel patch that drops a reader', () => {
  let analyzer: Analyzer;
  let scratch: string | undefined;

  before(async () => {
    analyzer = await Analyzer.create();
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('reports exactly the walk left bare, on the removed lock line, with and without the tree', async (t: TestContext) => {
    if (!existsSync(KERNEL)) return t.skip('linux-source-6.1 not unpacked: run npm run corpus');
    if (spawnSync('diff', ['--version']).status !== 0) return t.skip('diff(1) is not installed');
    const pick = pickReaderWalk(analyzer);
    assert.ok(pick, `no rcu_read_lock(); + list_for_each_entry_rcu section in ${CANDIDATE_DIR}`);
    t.diagnostic(
      `picked ${pick.file}:${pick.lock} (walk at ${pick.walk}, unlock at ${pick.unlock})`,
    );

    scratch = mkdtempSync(path.join(tmpdir(), 'rcu-lens-kernel-patch-'));
    const { patch, caused } = prepareCase(analyzer, pick, scratch);
    const lockLine = patchLineOf(patch, `-${caused.lockText}`);
    const walkLine = patchLineOf(patch, ` ${caused.walkText}`);
    const [expected] = caused.findings;

    for (const tree of [KERNEL, undefined]) {
      const review = await reviewPatch(patch, { tree, analyzer, patchFile: PATCH_NAME });
      const how = tree ? 'with the tree' : 'from the hunks';
      assert.deepEqual(
        review.files.map((f) => f.mode),
        [tree ? 'tree' : 'hunks'],
        how,
      );
      assert.deepEqual(review.problems, [], how);
      assert.deepEqual(
        review.findings.map((f) => [f.patchLine, f.finding.rule, f.finding.message]),
        [[lockLine, expected.rule, expected.message]],
        how,
      );
      const [where] = review.findings[0].finding.related;
      assert.deepEqual(
        [where.file, where.range.start.line + 1, where.message],
        [PATCH_NAME, walkLine, REAL_LOCATION_MESSAGE],
        how,
      );
      const gcc = formatGcc([
        { file: PATCH_NAME, findings: review.findings.map((f) => f.finding) },
      ]);
      assert.match(
        gcc,
        new RegExp(
          `^${PATCH_NAME}:${lockLine}:3: warning: .*\\[rcu-traverse-outside-reader\\]\\n${PATCH_NAME}:${walkLine}:3: note: `,
        ),
        how,
      );
    }
  });
});
