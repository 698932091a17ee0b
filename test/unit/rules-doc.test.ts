import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { renderRulesReference } from '../../scripts/rules-doc';

test('docs/rules.md holds the rule reference generated from the catalogue', () => {
  const page = readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
  const start = page.indexOf('<!-- generated:rules:start -->\n');
  const end = page.indexOf('<!-- generated:rules:end -->');
  assert.ok(start >= 0 && end > start, 'generated markers missing');
  const block = page.slice(start + '<!-- generated:rules:start -->\n'.length, end);
  assert.equal(
    block,
    renderRulesReference(),
    'run `npx tsx scripts/rules-doc.ts` and paste its output between the markers',
  );
});
