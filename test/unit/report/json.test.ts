import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatJson, toJsonFindings } from '../../../server/src/report/json';
import { sampleReports } from './sample-findings';

describe('toJsonFindings', () => {
  it('gives flat records with 1-based positions and no suppressed findings', () => {
    const records = toJsonFindings(sampleReports());
    assert.equal(records.length, 4);
    assert.deepEqual(records[2], {
      file: 'drivers/demo/demo list.c',
      line: 43,
      column: 2,
      endLine: 43,
      endColumn: 11,
      severity: 'error',
      rule: 'free-without-grace-period',
      message: 'kfree() right after list_del_rcu(); use kfree_rcu(it, rcu).',
      related: [
        {
          file: 'drivers/demo/demo list.c',
          line: 41,
          column: 2,
          message: 'list_del_rcu() unlinks the item here.',
        },
      ],
      fixes: ['Free with kfree_rcu()'],
    });
    assert.ok(records.every((record) => !('suppressed' in record)));
  });

  it('includes suppressed findings with a flag only when asked', () => {
    const records = toJsonFindings(sampleReports(), { includeSuppressed: true });
    assert.equal(records.length, 5);
    assert.deepEqual(
      records.filter((record) => record.suppressed).map((record) => record.rule),
      ['sleep-in-rcu-reader'],
    );
    assert.ok(records.every((record) => typeof record.suppressed === 'boolean'));
  });

  it('formats as parseable JSON', () => {
    assert.deepEqual(JSON.parse(formatJson(sampleReports())), toJsonFindings(sampleReports()));
    assert.equal(formatJson([]), '[]\n');
  });
});
