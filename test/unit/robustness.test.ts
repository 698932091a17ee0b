/**
 * Bad input gets analysed as far as it parses, and never throws.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { CASES_DIR } from '../support/cases';
import { analyzeSnippet, reportedFindings } from '../support/snippets';

const BUG01 = readFileSync(path.join(CASES_DIR, 'BUG-01.c'), 'utf8');

test('CRLF line endings give the same findings and positions', async () => {
  const lf = reportedFindings(await analyzeSnippet(BUG01));
  const crlf = await analyzeSnippet(BUG01.replace(/\n/g, '\r\n'));
  assert.deepEqual(reportedFindings(crlf), lf);
  assert.ok(crlf.findings.every((f) => f.range.end.character <= 40));
});

test('a function after broken C is still analysed', async () => {
  const report = await analyzeSnippet(`int broken( {{{ ;;; ))\n#if\nstruct x {\n${BUG01}`);
  assert.ok(reportedFindings(report).some((f) => f.startsWith('realmode-rcu-traversal@')));
});

for (const [name, text] of [
  ['empty text', ''],
  ['only a comment', '/* nothing */'],
  ['unterminated comment', '/* never ends\nlist_for_each_entry_rcu(p, h, m) {'],
  ['unterminated string', 'char *s = "abc\nvoid f(void) { rcu_read_lock(); }'],
  ['unbalanced macros', 'void f(void) { list_for_each_entry_rcu(p, &h, m( { rcu_read_unlock(); }'],
  ['replacement characters', 'void f(void) { \ufffd\ufffd rcu_read_lock(); }'],
  ['deep nesting', `void f(void) { ${'if (x) { '.repeat(2000)}${'}'.repeat(2000)} }`],
  ['a long line', `int a[] = { ${'1, '.repeat(200000)} };`],
]) {
  test(`${name} does not throw`, async () => {
    await analyzeSnippet(text);
  });
}
