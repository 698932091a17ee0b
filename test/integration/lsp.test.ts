/**
 * The language server as a client sees it: the bundled dist/server.js over stdio, driven with
 * vscode-languageserver-protocol. Each test opens copies of shared cases in a temporary
 * workspace and waits for what the server sends.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { MarkupContent } from 'vscode-languageserver-protocol/node';

import { CASES_DIR } from '../support/cases';
import { applyEdits, decodeTokens, editsOf, ensureBuilt, fileUri, LspHarness } from './lsp-harness';
import { LEGEND } from '../../server/src/lsp/semantic-tokens';

const legend = { tokenTypes: [...LEGEND.tokenTypes], tokenModifiers: [...LEGEND.tokenModifiers] };

function readCase(name: string): string {
  return readFileSync(path.join(CASES_DIR, name), 'utf8');
}

function hoverText(hover: { contents: unknown } | null): string {
  assert.ok(hover, 'expected a hover');
  assert.ok(MarkupContent.is(hover.contents), 'hover contents are markup');
  return hover.contents.value;
}

describe('language server over stdio', () => {
  let workspace: string;
  let server: LspHarness;

  /** Writes a case into the workspace and opens it; returns its URI. */
  async function openCase(name: string, text = readCase(name), languageId = 'c'): Promise<string> {
    const file = path.join(workspace, name);
    writeFileSync(file, text);
    const uri = fileUri(file);
    await server.open(uri, text, languageId);
    return uri;
  }

  before(async () => {
    ensureBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'rcu-lens-lsp-'));
    server = await LspHarness.start({ workspace });
  });

  after(async () => {
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('BUG-01: both real-mode findings, with source, code, docs link and evidence', async () => {
    const uri = await openCase('BUG-01.c');
    const diagnostics = await server.diagnosticsFor(uri);
    const found = diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}`);
    assert.deepEqual(found, ['realmode-lockdep-call@33', 'realmode-rcu-traversal@34']);
    for (const d of diagnostics) {
      assert.equal(d.source, 'rcu-lens');
      assert.match(d.codeDescription?.href ?? '', new RegExp(`^file:.*rules\\.md#${d.code}$`));
      assert.ok(
        d.relatedInformation && d.relatedInformation.length > 0,
        `${d.code} has related information`,
      );
      assert.equal(d.relatedInformation[0].location.uri, uri);
      assert.equal(
        d.relatedInformation[0].location.range.start.line,
        26,
        'the evidence is the comment on line 27',
      );
      assert.ok(d.data, 'data leads to the fix');
    }
  });

  test('OK-03: a clean file gets an empty publish', async () => {
    const uri = await openCase('OK-03.c');
    assert.deepEqual(await server.diagnosticsFor(uri), []);
  });

  test('hover on the real-mode walk explains real mode with the evidence', async () => {
    const uri = fileUri(path.join(workspace, 'BUG-01.c'));
    const text = hoverText(await server.hover(uri, { line: 33, character: 5 }));
    assert.match(text, /real mode/i);
    assert.match(text, /Evidence/);
    assert.match(text, /its comment says "Reached from the real-mode hcall table/);
    assert.match(text, /list_for_each_entry_lockless/, 'names the counterpart');
    assert.match(text, /CONFIG_PROVE_RCU_LIST/, 'says how it is checked at run time');
  });

  test('hover on a function name shows its inferred context', async () => {
    const uri = fileUri(path.join(workspace, 'BUG-01.c'));
    const realMode = hoverText(await server.hover(uri, { line: 27, character: 8 }));
    assert.match(realMode, /\*\*vmdma_rm_h_map\(\)\*\* runs in real mode/);
    assert.match(realMode, /line 27/);
    const plain = hoverText(await server.hover(uri, { line: 44, character: 8 }));
    assert.match(plain, /vmdma_h_map\(\)\*\* runs in process context/);
  });

  test('the preferred quick fix at the BUG-01 walk makes it list_for_each_entry_lockless', async () => {
    const uri = fileUri(path.join(workspace, 'BUG-01.c'));
    const diagnostics = await server.diagnosticsFor(uri);
    const walk = diagnostics.find((d) => d.code === 'realmode-rcu-traversal')!;
    const actions = await server.codeActions(uri, walk.range, [walk]);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, 'exactly one preferred fix');
    assert.equal(preferred[0].kind, 'quickfix');
    const fixed = applyEdits(readCase('BUG-01.c'), editsOf(preferred[0], uri));
    assert.equal(fixed.split('\n')[33], '\tlist_for_each_entry_lockless(w, &st->wins, link) {');
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Ignore realmode-rcu-traversal on this line'), titles.join(' | '));
    assert.ok(
      titles.includes('Ignore realmode-rcu-traversal in vmdma_rm_h_map()'),
      titles.join(' | '),
    );
  });

  test('the suppression quick fixes insert the comment forms the engine reads', async () => {
    const uri = fileUri(path.join(workspace, 'BUG-01.c'));
    const diagnostics = await server.diagnosticsFor(uri);
    const walk = diagnostics.find((d) => d.code === 'realmode-rcu-traversal')!;
    const actions = await server.codeActions(uri, walk.range, [walk]);
    const line = actions.find((a) => a.title.endsWith('on this line'))!;
    const fn = actions.find((a) => a.title.endsWith('vmdma_rm_h_map()'))!;
    const original = readCase('BUG-01.c');
    const lineFixed = applyEdits(original, editsOf(line, uri)).split('\n');
    assert.equal(lineFixed[33], '\t/* rcu-lens: ignore realmode-rcu-traversal */');
    assert.equal(lineFixed[34], '\tlist_for_each_entry_rcu(w, &st->wins, link) {');
    const fnFixed = applyEdits(original, editsOf(fn, uri)).split('\n');
    assert.equal(fnFixed[28], '{');
    assert.equal(fnFixed[29], '\t/* rcu-lens: ignore-function realmode-rcu-traversal */');
  });

  test('semantic tokens tell the _rcu walk from the _lockless one', async () => {
    const bug = decodeTokens(
      await server.semanticTokens(fileUri(path.join(workspace, 'BUG-01.c'))),
      legend,
    );
    const rcuWalk = bug.find((t) => t.line === 33 && t.character === 1);
    assert.deepEqual(rcuWalk, {
      line: 33,
      character: 1,
      length: 'list_for_each_entry_rcu'.length,
      type: 'rcuIterator',
      modifiers: ['checked', 'realMode'],
    });
    const reader = bug.find((t) => t.line === 32);
    assert.deepEqual(reader && [reader.type, reader.modifiers], ['rcuReader', ['realMode']]);
    const twin = bug.find((t) => t.line === 50);
    assert.deepEqual(twin && [twin.type, twin.modifiers], ['rcuIterator', ['checked']]);
    const handler = bug.find((t) => t.line === 27);
    assert.deepEqual(handler && [handler.type, handler.modifiers], ['rcuFunction', ['realMode']]);

    const ok = decodeTokens(
      await server.semanticTokens(fileUri(path.join(workspace, 'OK-03.c'))),
      legend,
    );
    const locklessWalk = ok.find((t) => t.line === 34 && t.character === 1);
    assert.deepEqual(locklessWalk && [locklessWalk.type, locklessWalk.modifiers], [
      'rcuIterator',
      ['lockless', 'realMode'],
    ]);
    const update = ok.find((t) => t.line === 48);
    assert.deepEqual(update && [update.type, update.modifiers], ['rcuUpdate', ['checked']]);
  });

  test('a code lens names the context of a function called from real mode', async () => {
    const uri = await openCase('BUG-22.c');
    await server.diagnosticsFor(uri);
    const lenses = await server.codeLenses(uri);
    const lookup = lenses.find((l) => l.range.start.line === 26);
    assert.ok(
      lookup,
      `a lens on bind_win_lookup; got ${JSON.stringify(lenses.map((l) => l.range.start.line))}`,
    );
    assert.equal(lookup.command?.title, 'real mode, via kvmppc_rm_h_bind_win');
    assert.equal(lookup.command?.command, 'rcuLens.showContext');
    const args = lookup.command?.arguments?.[0] as {
      function: string;
      evidence: { message: string; uri?: string; range?: unknown }[];
    };
    assert.equal(args.function, 'bind_win_lookup');
    assert.match(args.evidence[0].message, /naming convention/);
    assert.equal(args.evidence[0].uri, uri);
    assert.ok(
      lenses.some((l) => l.command?.title === 'real mode' && l.range.start.line === 49),
      'a lens on the handler itself',
    );
    assert.ok(!lenses.some((l) => l.range.start.line === 37), 'no lens on the virtual-mode twin');
  });

  test('diagnostics follow edits and a closed file is cleared', async () => {
    const uri = await openCase('BUG-03.c');
    assert.equal((await server.diagnosticsFor(uri)).length, 1);
    const version = await server.change(uri, '');
    assert.deepEqual(await server.diagnosticsFor(uri, version), []);
    const from = server.diagnostics.seen.length;
    await server.close(uri);
    const cleared = await server.diagnostics.wait(
      (p) => p.uri === uri,
      'the clearing publish',
      from,
    );
    assert.deepEqual(cleared.diagnostics, []);
  });

  test('the status notification counts findings and ends idle', async () => {
    const status = await server.statuses.wait(
      (s) => s.state === 'idle' && s.findings > 0,
      'an idle status with findings',
    );
    assert.ok(status.files >= 1);
  });

  test('a patch gets diagnostics on its added lines', async () => {
    const uri = await openCase('PATCH-01.patch', readCase('PATCH-01.patch'), 'diff');
    const found = (await server.diagnosticsFor(uri)).map(
      (d) => `${d.code}@${d.range.start.line + 1}`,
    );
    assert.ok(found.includes('realmode-lockdep-call@31'), found.join(', '));
    assert.ok(found.includes('realmode-rcu-traversal@32'), found.join(', '));
  });

  describe('robustness: the server keeps answering', () => {
    test('a CRLF copy of BUG-01 gets the same findings and hovers', async () => {
      const uri = await openCase('BUG-01-crlf.c', readCase('BUG-01.c').replace(/\n/g, '\r\n'));
      const found = (await server.diagnosticsFor(uri)).map(
        (d) => `${d.code}@${d.range.start.line + 1}:${d.range.start.character}`,
      );
      assert.deepEqual(found, ['realmode-lockdep-call@33:1', 'realmode-rcu-traversal@34:1']);
      assert.match(hoverText(await server.hover(uri, { line: 33, character: 5 })), /real mode/i);
    });

    test('invalid UTF-8 and broken C, an empty file and a binary file', async () => {
      const broken = await openCase(
        'broken.c',
        'int f( {{{\n\uFFFD\uFFFD caf\u00e9 \u0000 }\nlist_for_each_entry_rcu(\n',
      );
      await server.diagnosticsFor(broken);
      const empty = await openCase('empty.c', '');
      assert.deepEqual(await server.diagnosticsFor(empty), []);
      const binary = await openCase('blob.c', '\u0000\u0001\u0002ELF'.repeat(100));
      assert.deepEqual(await server.diagnosticsFor(binary), []);
      assert.ok(
        await server.hover(broken, { line: 2, character: 3 }),
        'a hover on the broken file',
      );
      const bug = fileUri(path.join(workspace, 'BUG-01.c'));
      assert.match(hoverText(await server.hover(bug, { line: 33, character: 5 })), /real mode/i);
    });

    test('a file over 4 MB gets one notice and no analysis', async () => {
      const from = server.messages.seen.length;
      const huge = `/* rcu */\n${'int x;\n'.repeat(700_000)}`;
      const uri = await openCase('huge.c', huge);
      assert.deepEqual(await server.diagnosticsFor(uri), []);
      const notice = await server.messages.wait(
        (m) => /huge\.c/.test(m.message),
        'the huge-file notice',
        from,
      );
      assert.match(notice.message, /larger than 4 MB/);
      const version = await server.change(uri, `${huge}int y;\n`);
      assert.deepEqual(await server.diagnosticsFor(uri, version), []);
      assert.equal(
        server.messages.seen.slice(from).filter((m) => /huge\.c/.test(m.message)).length,
        1,
        'shown once',
      );
    });
  });
});

describe('language server settings', () => {
  let workspace: string;
  let server: LspHarness;

  before(async () => {
    ensureBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'rcu-lens-lsp-settings-'));
    const settings = {
      severity: { 'no-such-rule': 'error', 'realmode-lockdep-call': 'hint' },
      realMode: { functions: ['kvm_[rm'], paths: ['{a,b'] },
    };
    server = await LspHarness.start({ workspace, settings });
  });

  after(async () => {
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('each bad setting is named once in a message, and diagnostics still arrive', async () => {
    const file = path.join(workspace, 'BUG-01.c');
    writeFileSync(file, readCase('BUG-01.c'));
    await server.open(fileUri(file), readCase('BUG-01.c'));
    const diagnostics = await server.diagnosticsFor(fileUri(file));
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity]),
      [
        ['realmode-lockdep-call', 4],
        ['realmode-rcu-traversal', 1],
      ],
    );
    for (const setting of [
      'rcuLens.severity',
      'rcuLens.realMode.functions',
      'rcuLens.realMode.paths',
    ]) {
      const message = await server.messages.wait(
        (m) => m.message.includes(`\`${setting}\``),
        `a message naming ${setting}`,
      );
      assert.equal(message.type, 2, 'a warning');
    }
    assert.match(
      server.messages.seen.find((m) => m.message.includes('rcuLens.severity'))!.message,
      /no-such-rule/,
    );
  });

  test('a settings change re-analyses, and old problems are not shown again', async () => {
    const uri = fileUri(path.join(workspace, 'BUG-01.c'));
    const shown = server.messages.seen.length;
    const from = server.diagnostics.seen.length;
    await server.changeSettings({
      ...(server.settings as object),
      severity: { 'no-such-rule': 'error', 'realmode-lockdep-call': 'off' },
    });
    const next = await server.diagnostics.wait(
      (p) => p.uri === uri,
      'diagnostics after the settings change',
      from,
    );
    assert.deepEqual(
      next.diagnostics.map((d) => d.code),
      ['realmode-rcu-traversal'],
    );
    assert.equal(server.messages.seen.length, shown, 'no message repeated');
  });
});

describe('language server settings from a client that only pushes them (Neovim 0.7)', () => {
  let workspace: string;
  let server: LspHarness;

  before(async () => {
    ensureBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'rcu-lens-lsp-push-'));
    server = await LspHarness.start({ workspace, pull: false });
  });

  after(async () => {
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  test('analyses with the defaults, then with the pushed settings', async () => {
    const file = path.join(workspace, 'BUG-01.c');
    writeFileSync(file, readCase('BUG-01.c'));
    const uri = fileUri(file);
    await server.open(uri, readCase('BUG-01.c'));
    assert.equal((await server.diagnosticsFor(uri)).length, 2);
    const from = server.diagnostics.seen.length;
    await server.changeSettings({
      severity: { 'realmode-lockdep-call': 'off', 'bogus-rule': 'error' },
    });
    const next = await server.diagnostics.wait(
      (p) => p.uri === uri,
      'diagnostics after the push',
      from,
    );
    assert.deepEqual(
      next.diagnostics.map((d) => d.code),
      ['realmode-rcu-traversal'],
    );
    const message = await server.messages.wait(
      (m) => m.message.includes('bogus-rule'),
      'the bad rule id',
    );
    assert.match(message.message, /`rcuLens\.severity`/);
  });
});
