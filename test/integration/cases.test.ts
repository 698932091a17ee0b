/**
 * Runs every C case in ../shared/cases through the analyser and checks each expectation.
 * Patch cases are run by patch-cases.test.ts. A case naming a rule that rcu-lens does not
 * implement is reported as a todo by name, never counted as passed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

import { Analyzer } from '../../server/src/analysis/analyzer';
import { isRuleId } from '../../server/src/rules/catalogue';
import { CASES_DIR, compareWithCase, loadCases } from '../support/cases';

const cases = loadCases().filter((c) => c.kind === 'c');

describe(`C cases in ${CASES_DIR}`, () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = await Analyzer.create();
  });

  test('the cases folder is present and holds C cases', () => {
    assert.ok(cases.length > 0, `no C cases found in ${CASES_DIR}`);
  });

  for (const c of cases) {
    const unknown = c.expected.filter((e) => !isRuleId(e.rule)).map((e) => e.rule);
    if (unknown.length > 0) {
      test(c.name, { todo: `rules not built yet: ${[...new Set(unknown)].join(', ')}` }, () => {});
      continue;
    }
    test(c.name, () => {
      const report = analyzer.analyzeText(c.file, readFileSync(c.file, 'utf8'));
      const findings = report.findings
        .filter((f) => !f.suppressed)
        .map((f) => ({ rule: f.rule, line: f.range.start.line + 1 }));
      assert.deepEqual(compareWithCase(c, findings), []);
    });
  }
});
