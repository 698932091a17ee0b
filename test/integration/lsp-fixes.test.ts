/**
 * Every quick fix the server offers for the shared C cases, applied one at a time through the
 * protocol: the fixed text goes back with didChange, and the server's next publish must have
 * lost the fixed finding without gaining a new one. Fixes that cannot do that yet are pinned
 * below with what the server reports today.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

import type {
  CodeAction,
  Diagnostic,
  Position,
  TextEdit,
} from 'vscode-languageserver-protocol/node';

import { isRuleId } from '../../server/src/rules/catalogue';
import { compareWithCase, loadCases } from '../support/cases';
import { applyEdits, editsOf, ensureBuilt, fileUri, LspHarness } from './lsp-harness';

/**
 * Fixes whose result is known to be wrong, by `case|rule@line|fix title`, with the findings
 * (`rule@line` in the fixed text) the server reports after applying them today.
 */
const KNOWN_BAD_FIXES: Record<
  string,
  { readonly todo: string; readonly today: readonly string[] }
> = {};

const cases = loadCases().filter((c) => c.kind === 'c');

/** `rule@line` (1-based) of a diagnostic. */
function label(d: Diagnostic): string {
  return `${d.code}@${d.range.start.line + 1}`;
}

function offsetAt(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + position.character;
}

/** Where a position of the original text ends up after the edits, as a 1-based line. */
function mappedLine(original: string, edits: readonly TextEdit[], position: Position): number {
  const at = offsetAt(original, position);
  let shift = 0;
  let moved = at;
  for (const edit of edits) {
    const start = offsetAt(original, edit.range.start);
    const end = offsetAt(original, edit.range.end);
    if (end <= at && !(start === end && start === at && edit.newText === ''))
      shift += edit.newText.length - (end - start);
    else if (start <= at && at < end) moved = start;
  }
  const fixed = applyEdits(original, edits);
  return fixed.slice(0, Math.min(fixed.length, moved + shift)).split('\n').length;
}

describe('quick fixes on the shared cases, applied through the server', () => {
  let root: string;
  let server: LspHarness;

  before(async () => {
    ensureBuilt();
    root = mkdtempSync(path.join(tmpdir(), 'rcu-lens-fixes-'));
    server = await LspHarness.start({ workspace: root });
  });

  after(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  for (const c of cases) {
    test(c.name, async (t) => {
      // Each case sits in a folder of its own: siblings would add callers and change findings.
      const folder = path.join(root, c.name.replace(/\.c$/, ''));
      mkdirSync(folder);
      const file = path.join(folder, c.name);
      const original = readFileSync(c.file, 'utf8');
      writeFileSync(file, original);
      const uri = fileUri(file);
      await server.open(uri, original);
      const before = await server.diagnosticsFor(uri, 1);
      const reported = before.map((d) => ({ rule: String(d.code), line: d.range.start.line + 1 }));
      // A case naming rules not built yet is reported as a todo by cases.test.ts.
      if (c.expected.every((e) => isRuleId(e.rule)))
        assert.deepEqual(
          compareWithCase(c, reported),
          [],
          'the server reports what the case expects',
        );
      const offers: { diagnostic: Diagnostic; action: CodeAction }[] = [];
      for (const diagnostic of before) {
        const actions = await server.codeActions(uri, diagnostic.range, [diagnostic]);
        offers.push(...actions.map((action) => ({ diagnostic, action })));
      }
      for (const { diagnostic, action } of offers) {
        await t.test(`${label(diagnostic)}: ${action.title}`, async () => {
          const edits = editsOf(action, uri);
          assert.ok(edits.length > 0, 'the fix has edits');
          const version = await server.change(uri, applyEdits(original, edits));
          const after = (await server.diagnosticsFor(uri, version)).map(label);
          const known = KNOWN_BAD_FIXES[`${c.name}|${label(diagnostic)}|${action.title}`];
          if (known) {
            assert.deepEqual(after, known.today, known.todo);
            return;
          }
          const fixedAt = `${diagnostic.code}@${mappedLine(original, edits, diagnostic.range.start)}`;
          assert.ok(!after.includes(fixedAt), `${fixedAt} is still reported after the fix`);
          const expected = before
            .filter((d) => d !== diagnostic)
            .map((d) => `${d.code}@${mappedLine(original, edits, d.range.start)}`);
          assert.deepEqual(
            after.filter((f) => !expected.includes(f)),
            [],
            'no new finding appears',
          );
        });
      }
      await server.close(uri);
    });
  }
});
