/**
 * Where the patch tests find their inputs: this repo's own fixtures and the shared cases,
 * which sit beside the repository and grow over time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const FIXTURES_DIR = path.resolve(__dirname, '../../fixtures/patch');
export const FIXTURE_TREE = path.join(FIXTURES_DIR, 'tree');
export const CASES_DIR = path.resolve(__dirname, '../../..', '../shared/cases');
export const CASES_TREE = path.join(CASES_DIR, 'patch-tree');

/** Reads a file of test/fixtures/patch. */
export function readFixture(name: string): string {
  return readFileSync(path.join(FIXTURES_DIR, name), 'utf8');
}

/** Reads a shared case by file name. */
export function readCase(name: string): string {
  return readFileSync(path.join(CASES_DIR, name), 'utf8');
}

/** Every PATCH-*.patch among the shared cases, so new cases are tested without code changes. */
export function patchCaseNames(): string[] {
  if (!existsSync(CASES_DIR)) return [];
  return readdirSync(CASES_DIR)
    .filter((name) => /^PATCH-.*\.patch$/.test(name))
    .sort();
}

/** Reads a file of a tree, or undefined when it is not there. */
export function readTreeFile(root: string, file: string): string | undefined {
  const full = path.join(root, file);
  return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
}

/** The `expect: <line> <rule>` lines of a case, as 1-based patch lines. */
export function expectedFindingLines(text: string): number[] {
  return [...text.matchAll(/^expect: (\d+) /gm)].map((match) => Number(match[1]));
}

/** 1-based line numbers of the lines of `text` that contain `needle`. */
export function linesContaining(text: string, needle: string): number[] {
  return text.split('\n').flatMap((line, index) => (line.includes(needle) ? [index + 1] : []));
}
