import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatGcc } from '../../../server/src/report/gcc';
import { lineRange, makeFinding, sampleReports } from './sample-findings';

describe('formatGcc', () => {
  it('prints path:line:col: severity: message [rule] with 1-based positions, in position order', () => {
    assert.equal(
      formatGcc(sampleReports(), { related: false }),
      [
        'drivers/demo/demo list.c:8:1: note: plain-traverse-on-rcu-list at 8. [plain-traverse-on-rcu-list]',
        'drivers/demo/demo list.c:21:2: warning: rcu-traverse-outside-reader at 21. [rcu-traverse-outside-reader]',
        'drivers/demo/demo list.c:43:2: error: kfree() right after list_del_rcu(); use kfree_rcu(it, rcu). [free-without-grace-period]',
        'net/flowtab/flowtab.c:1:1: note: realmode-lockdep-call at 1. [realmode-lockdep-call]',
        '',
      ].join('\n'),
    );
  });

  it('follows each finding with its related information as note lines, as gcc does', () => {
    const lines = formatGcc(sampleReports()).split('\n');
    assert.deepEqual(lines.slice(2, 4), [
      'drivers/demo/demo list.c:43:2: error: kfree() right after list_del_rcu(); use kfree_rcu(it, rcu). [free-without-grace-period]',
      'drivers/demo/demo list.c:41:2: note: list_del_rcu() unlinks the item here.',
    ]);
    assert.equal(lines.length, 6);
  });

  it('prints a related item in another file under its own path, and under the printed path in the same file', () => {
    const related = [
      {
        file: 'arch/powerpc/kvm/book3s.c',
        range: lineRange(99, 0, 4),
        message: 'called here in real mode',
      },
      {
        file: 'drivers/demo/demo list.c',
        range: lineRange(4, 8, 9),
        message: 'the list\nis declared here',
      },
    ];
    const finding = makeFinding('realmode-rcu-traversal', 'error', lineRange(9, 1, 5), { related });
    assert.equal(
      formatGcc([{ file: 'demo.c', findings: [finding] }]),
      [
        'demo.c:10:2: error: realmode-rcu-traversal at 10. [realmode-rcu-traversal]',
        'arch/powerpc/kvm/book3s.c:100:1: note: called here in real mode',
        'demo.c:5:9: note: the list is declared here',
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
