import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatGcc } from '../../../server/src/report/gcc';
import { sampleReports } from './sample-findings';

describe('formatGcc', () => {
  it('prints path:line:col: severity: message [rule] with 1-based positions, in position order', () => {
    assert.equal(
      formatGcc(sampleReports()),
      [
        'drivers/demo/demo list.c:8:1: note: plain-traverse-on-rcu-list at 8. [plain-traverse-on-rcu-list]',
        'drivers/demo/demo list.c:21:2: warning: rcu-traverse-outside-reader at 21. [rcu-traverse-outside-reader]',
        'drivers/demo/demo list.c:43:2: error: kfree() right after list_del_rcu(); use kfree_rcu(it, rcu). [free-without-grace-period]',
        'net/flowtab/flowtab.c:1:1: note: realmode-lockdep-call at 1. [realmode-lockdep-call]',
        '',
      ].join('\n'),
    );
  });

  it('leaves out suppressed findings and prints nothing for none', () => {
    assert.doesNotMatch(formatGcc(sampleReports()), /sleep-in-rcu-reader/);
    assert.equal(formatGcc([]), '');
  });

  it('matches the line shape compiler problem matchers expect', () => {
    // The pattern of VS Code's $gcc problem matcher, which editors and CI reuse.
    const gcc = /^(.*?):(\d+):(\d*):?\s+(?:fatal\s+)?(warning|error|note):\s+(.*)$/;
    for (const line of formatGcc(sampleReports()).trimEnd().split('\n')) assert.match(line, gcc);
  });
});
