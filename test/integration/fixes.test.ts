/**
 * Every quick fix offered on the shared cases, applied alone, must remove its finding and add
 * no other: a fix that trades one report for another is not a fix.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

import { Analyzer } from '../../server/src/analysis/analyzer';
import { applyEdits } from '../support/edits';
import { loadCases } from '../support/cases';

const cases = loadCases().filter((c) => c.kind === 'c');

describe('quick fixes on the shared cases', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = await Analyzer.create();
  });

  for (const c of cases) {
    test(c.name, () => {
      const text = readFileSync(c.file, 'utf8');
      const report = analyzer.analyzeText(c.file, text);
      for (const finding of report.findings) {
        for (const fix of finding.fixes) {
          const fixed = applyEdits(text, fix.edits);
          const after = analyzer
            .analyzeText(c.file, fixed)
            .findings.map((f) => `${f.rule}: ${f.message}`);
          const before = report.findings
            .filter((f) => f !== finding)
            .map((f) => `${f.rule}: ${f.message}`);
          const added = after.filter((m) => !before.includes(m));
          assert.deepEqual(
            added,
            [],
            `fix "${fix.title}" for ${finding.rule} at line ${finding.range.start.line + 1} leaves or adds findings:\n${fixed}`,
          );
        }
      }
    });
  }
});
