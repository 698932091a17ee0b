/**
 * Reads the shared cases (../shared/cases beside the repository) and their expectations:
 *
 *   expect: <line> <rule-id> -- note     a finding of this rule on this line
 *   expect: none                         no finding anywhere
 *   expect-none: <line> -- note          no finding of any rule on this line
 *
 * Expectations sit in the file's header, a patch's commit message, or a sidecar `.expect`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const CASES_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'cases');

export interface Expectation {
  readonly line: number;
  readonly rule: string;
  readonly note: string;
}

export interface Case {
  readonly name: string;
  readonly file: string;
  readonly kind: 'c' | 'patch';
  readonly expected: readonly Expectation[];
  readonly clean: readonly number[];
  readonly none: boolean;
}

const EXPECT = /^[\s*#>]*expect:\s*(\d+)\s+([\w-]+)\s*(?:--\s*(.*))?$/;
const EXPECT_NONE_ALL = /^[\s*#>]*expect:\s*none\b/;
const EXPECT_CLEAN = /^[\s*#>]*expect-none:\s*(\d+)/;

/** Parses expectation lines out of a text. */
export function parseExpectations(text: string): Pick<Case, 'expected' | 'clean' | 'none'> {
  const expected: Expectation[] = [];
  const clean: number[] = [];
  let none = false;
  for (const line of text.split(/\r?\n/)) {
    const e = EXPECT.exec(line);
    if (e) expected.push({ line: Number(e[1]), rule: e[2], note: e[3] ?? '' });
    if (EXPECT_NONE_ALL.test(line)) none = true;
    const c = EXPECT_CLEAN.exec(line);
    if (c) clean.push(Number(c[1]));
  }
  return { expected, clean, none };
}

/** Every case in the shared folder, sorted by name; a new file is picked up without code changes. */
export function loadCases(dir = CASES_DIR): Case[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(c|patch|diff|mbox|eml)$/.test(f))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const sidecar = file.replace(/\.[^.]+$/, '.expect');
      const source = existsSync(sidecar)
        ? readFileSync(sidecar, 'utf8')
        : readFileSync(file, 'utf8');
      return {
        name: f,
        file,
        kind: f.endsWith('.c') ? 'c' : 'patch',
        ...parseExpectations(source),
      } as Case;
    });
}

/** Compares findings (rule, 1-based line) with a case; returns the failures as sentences. */
export function compareWithCase(
  c: Case,
  findings: readonly { rule: string; line: number }[],
): string[] {
  const failures: string[] = [];
  for (const e of c.expected) {
    if (!findings.some((f) => f.line === e.line && f.rule === e.rule))
      failures.push(`expected ${e.rule} at line ${e.line} (${e.note})`);
  }
  for (const line of c.clean) {
    const wrong = findings.filter((f) => f.line === line);
    if (wrong.length > 0)
      failures.push(`line ${line} must be clean, got ${wrong.map((f) => f.rule).join(', ')}`);
  }
  if (c.none && findings.length > 0)
    failures.push(
      `expected no findings, got ${findings.map((f) => `${f.rule}@${f.line}`).join(', ')}`,
    );
  return failures;
}
