/**
 * Findings for the formatter tests, built by hand so these tests do not depend on the engine.
 */
import type { RuleId } from '../../../server/src/rules/catalogue';
import type { Finding, Range, Severity } from '../../../server/src/rules/types';
import type { FileFindings } from '../../../server/src/report/findings';

/** A zero-based range on one line. */
export function lineRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** A finding with defaults for everything a test does not care about. */
export function makeFinding(
  rule: RuleId,
  severity: Severity,
  range: Range,
  extra: Partial<Finding> = {},
): Finding {
  return {
    rule,
    severity,
    message: `${rule} at ${range.start.line + 1}.`,
    file: 'drivers/demo/demo list.c',
    span: { start: 0, end: 1 },
    range,
    related: [],
    fixes: [],
    causes: [],
    explanation: '',
    suppressed: false,
    ...extra,
  };
}

/** Two files: one with an error, a note-level finding, a suppressed one and a fixable one. */
export function sampleReports(): FileFindings[] {
  const file = 'drivers/demo/demo list.c';
  return [
    {
      file,
      findings: [
        makeFinding('free-without-grace-period', 'error', lineRange(42, 1, 10), {
          message: 'kfree() right after list_del_rcu(); use kfree_rcu(it, rcu).',
          related: [
            { file, range: lineRange(40, 1, 24), message: 'list_del_rcu() unlinks the item here.' },
          ],
          fixes: [
            {
              title: 'Free with kfree_rcu()',
              preferred: true,
              edits: [
                {
                  span: { start: 0, end: 0 },
                  range: lineRange(42, 1, 10),
                  newText: 'kfree_rcu(it, rcu)',
                },
              ],
            },
          ],
        }),
        makeFinding('rcu-traverse-outside-reader', 'warning', lineRange(20, 1, 24)),
        makeFinding('plain-traverse-on-rcu-list', 'info', lineRange(7, 0, 3)),
        makeFinding('sleep-in-rcu-reader', 'error', lineRange(30, 2, 8), { suppressed: true }),
      ],
    },
    {
      file: 'net/flowtab/flowtab.c',
      findings: [makeFinding('realmode-lockdep-call', 'hint', lineRange(0, 0, 0))],
    },
  ];
}
