/**
 * The command line as users and CI run it: the built bundle, real files, exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';

import { RULES } from '../../server/src/rules/catalogue';
import { CASES_DIR } from '../support/cases';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'rcu-lens.js');

function run(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, cwd: ROOT });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('rcu-lens CLI', () => {
  let dir: string;
  before(() => {
    spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    dir = mkdtempSync(path.join(tmpdir(), 'rcu-lens-cli-'));
    copyFileSync(path.join(CASES_DIR, 'BUG-01.c'), path.join(dir, 'bug01.c'));
    copyFileSync(path.join(CASES_DIR, 'OK-03.c'), path.join(dir, 'ok03.c'));
  });

  test('check exits 0 on a clean file and prints nothing on stdout', () => {
    const r = run(['check', path.join(dir, 'ok03.c')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /1 files \(1 with RCU\), \d+ sites, 0 findings/);
  });

  test('check exits 1 with compiler-style lines for findings', () => {
    const r = run(['check', path.join(dir, 'bug01.c')]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(
      lines[0],
      /bug01\.c:33:2: error: `rcu_read_lock\(\)` .* \[realmode-lockdep-call\]$/,
    );
    assert.match(
      lines[1],
      /bug01\.c:27:1: note: its comment says "Reached from the real-mode hcall table: relocation off, no lockdep\."$/,
    );
    assert.match(
      lines[2],
      /bug01\.c:34:2: error: `list_for_each_entry_rcu` .* \[realmode-rcu-traversal\]$/,
    );
    assert.match(lines[3], /bug01\.c:27:1: note: /);
  });

  test('--no-notes leaves out the evidence lines', () => {
    const r = run(['check', '--no-notes', path.join(dir, 'bug01.c')]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(
      lines.map((l) => /\[([a-z-]+)\]$/.exec(l)?.[1]),
      ['realmode-lockdep-call', 'realmode-rcu-traversal'],
    );
  });

  test('--format json prints 1-based positions', () => {
    const r = run(['check', '--format', 'json', path.join(dir, 'bug01.c')]);
    const findings = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.deepEqual(
      findings.map((f) => [f.rule, f.line, f.column, f.endLine, f.endColumn, f.severity]),
      [
        ['realmode-lockdep-call', 33, 2, 33, 15, 'error'],
        ['realmode-rcu-traversal', 34, 2, 34, 25, 'error'],
      ],
    );
    assert.ok(
      findings.every((f) => typeof f.message === 'string' && String(f.file).endsWith('bug01.c')),
    );
  });

  test('--format sarif prints a SARIF 2.1.0 log naming the rules', () => {
    const log = JSON.parse(run(['check', '--format', 'sarif', path.join(dir, 'bug01.c')]).stdout);
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(
      log.runs[0].results.map((r: { ruleId: string }) => r.ruleId),
      ['realmode-lockdep-call', 'realmode-rcu-traversal'],
    );
  });

  test('a missing path is an I/O error: exit 2', () => {
    const r = run(['check', path.join(dir, 'nope.c')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.c: no such file or directory/);
  });

  test('usage errors exit 2', () => {
    assert.equal(run(['check']).code, 2);
    assert.equal(run(['check', '--format', 'xml', dir]).code, 2);
    assert.equal(run(['check', '--severity', 'oops', dir]).code, 2);
  });

  test('an unknown rule or level in --severity is a usage error naming the flag', () => {
    const rule = run(['check', '--severity', 'no-such-rule=off', path.join(dir, 'bug01.c')]);
    assert.equal(rule.code, 2);
    assert.match(rule.stderr, /--severity: unknown rule id "no-such-rule"/);
    const level = run([
      'check',
      '--severity',
      'realmode-lockdep-call=fatal',
      path.join(dir, 'bug01.c'),
    ]);
    assert.equal(level.code, 2);
    assert.match(level.stderr, /--severity: "realmode-lockdep-call": expected error, warning/);
  });

  test('a wrong value in --config is named with its file and setting, and analysis goes on', () => {
    const config = path.join(dir, 'wrong.json');
    writeFileSync(
      config,
      JSON.stringify({
        realMode: { functions: 'vmdma_*' },
        sleepingCalls: 5,
        trace: {},
        colour: 1,
      }),
    );
    const r = run(['check', '--config', config, '--no-notes', path.join(dir, 'bug01.c')]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /wrong\.json: realMode\.functions: expected a list of strings, got string/,
    );
    assert.match(r.stderr, /wrong\.json: sleepingCalls: expected a list of strings, got number/);
    assert.match(r.stderr, /wrong\.json: colour: unknown setting/);
    // The string was not spread into one-letter globs that would make every function real mode.
    assert.equal(r.stdout.trim().split('\n').length, 2);
  });

  test('review of an empty patch or a device exits 2, not clean', () => {
    const empty = path.join(dir, 'empty.patch');
    writeFileSync(empty, '');
    const r = run(['review', empty]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /No diff found/);
    const device = run(['review', '/dev/zero']);
    assert.equal(device.code, 2);
    assert.match(device.stderr, /\/dev\/zero: not a regular file/);
  });

  test('a --config that is not a JSON object is a usage error', () => {
    const config = path.join(dir, 'null.json');
    writeFileSync(config, 'null');
    const r = run(['check', '--config', config, path.join(dir, 'bug01.c')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /null\.json: expected a JSON object/);
    assert.doesNotMatch(r.stderr, /TypeError|internal error/);
  });

  test('--severity rule=off turns a rule off', () => {
    const r = run([
      'check',
      '--format',
      'json',
      '--severity',
      'realmode-lockdep-call=off',
      path.join(dir, 'bug01.c'),
    ]);
    assert.deepEqual(
      JSON.parse(r.stdout).map((f: { rule: string }) => f.rule),
      ['realmode-rcu-traversal'],
    );
  });

  test('directories are walked; binary files are named and skipped; bad UTF-8 is analysed', () => {
    const tree = mkdtempSync(path.join(tmpdir(), 'rcu-lens-tree-'));
    copyFileSync(path.join(CASES_DIR, 'BUG-03.c'), path.join(tree, 'walk.c'));
    writeFileSync(path.join(tree, 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
    const bad = Buffer.concat([
      Buffer.from('/* caf\xe9 */\n', 'latin1'),
      readFileSync(path.join(CASES_DIR, 'BUG-03.c')),
    ]);
    writeFileSync(path.join(tree, 'latin1.h'), bad);
    writeFileSync(path.join(tree, '.gitignore'), '/*\n');
    const r = run(['check', '--format', 'json', tree]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /blob\.c: skipped: binary file/);
    assert.match(r.stderr, /latin1\.h: invalid UTF-8 at byte offset 6/);
    const files = new Set(JSON.parse(r.stdout).map((f: { file: string }) => path.basename(f.file)));
    assert.deepEqual([...files].sort(), ['latin1.h', 'walk.c']);
  });

  test('callers in files that never mention RCU are indexed when they decide a walk', () => {
    const tree = mkdtempSync(path.join(tmpdir(), 'rcu-lens-callers-'));
    writeFileSync(
      path.join(tree, 'sig.c'),
      'bool demo_sig_find(u32 key)\n{\n\tstruct demo_sig *s;\n\n\tlist_for_each_entry_rcu(s, &demo_sigs, node)\n\t\tif (s->key == key)\n\t\t\treturn true;\n\treturn false;\n}\nEXPORT_SYMBOL_GPL(demo_sig_find);\n',
    );
    // An nft expression's ->eval runs inside the netfilter hook's reader; no "rcu" in sight.
    writeFileSync(
      path.join(tree, 'nft_sig.c'),
      'static void nft_sig_eval(const struct nft_expr *expr, struct nft_regs *regs,\n\t\t\t const struct nft_pktinfo *pkt)\n{\n\tif (!demo_sig_find(pkt->skb->mark))\n\t\tregs->verdict.code = NFT_BREAK;\n}\n\nstatic const struct nft_expr_ops nft_sig_ops = {\n\t.eval = nft_sig_eval,\n};\n',
    );
    writeFileSync(path.join(tree, 'unrelated.c'), 'int demo_other(void)\n{\n\treturn 0;\n}\n');
    const r = run(['check', tree]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stderr, /3 files \(1 with RCU, 1 more for callers\), 1 sites, 0 findings/);

    const alone = run(['check', path.join(tree, 'sig.c')]);
    assert.equal(alone.code, 1, 'without its caller the walk is reported');
  });

  test('suppressed findings are hidden but counted', () => {
    const source = readFileSync(path.join(CASES_DIR, 'BUG-03.c'), 'utf8').replace(
      '\tlist_for_each_entry_rcu(ops, &pkt_sched_list, list) {',
      '\t/* rcu-lens: ignore rcu-traverse-outside-reader */\n\tlist_for_each_entry_rcu(ops, &pkt_sched_list, list) {',
    );
    const file = path.join(dir, 'suppressed.c');
    writeFileSync(file, source);
    const r = run(['check', file]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /0 findings \(\+1 suppressed\)/);
  });

  test('rules lists the catalogue, as text and JSON', () => {
    const json = JSON.parse(run(['rules', '--format', 'json']).stdout) as {
      id: string;
      documentation: string;
    }[];
    assert.deepEqual(
      json.map((r) => r.id),
      RULES.map((r) => r.id),
    );
    assert.ok(json.every((r) => r.documentation.includes(`rules.md#${r.id}`)));
    assert.match(run(['rules']).stdout, /^realmode-rcu-traversal +error +An _rcu iterator/m);
  });

  test('sites lists every list operation with its function and context', () => {
    const rows = JSON.parse(
      run(['sites', '--format', 'json', path.join(dir, 'bug01.c')]).stdout,
    ) as Record<string, unknown>[];
    assert.deepEqual(
      rows.map((r) => [r.line, r.primitive, r.kind, r.function, r.context]),
      [
        [34, 'list_for_each_entry_rcu', 'iterator', 'vmdma_rm_h_map', 'real-mode'],
        [51, 'list_for_each_entry_rcu', 'iterator', 'vmdma_h_map', 'process'],
      ],
    );
  });

  test('review reads a patch from stdin and maps findings to its added lines', () => {
    const patch = readFileSync(path.join(CASES_DIR, 'PATCH-01.patch'), 'utf8');
    const r = run(['review', '--format', 'json', '-'], patch);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).map((f: { rule: string; line: number }) => [f.rule, f.line]),
      [
        ['realmode-lockdep-call', 31],
        ['realmode-rcu-traversal', 32],
      ],
    );
    assert.match(r.stderr, /reviewed from the hunks alone/);
  });

  test('review of the damaged seed mail names the damaged hunk and reports no RCU finding', () => {
    for (const tree of [[], ['--tree', path.join(CASES_DIR, 'patch-tree')]]) {
      const r = run(['review', ...tree, path.join(CASES_DIR, 'PATCH-00-seed.patch')]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /PATCH-00-seed\.patch:55: note: The hunk header/);
    }
  });
});
