/**
 * The server's small parts in plain Node, with fake connections: suppression edits, document
 * classification, the logger and the settings watcher. The protocol itself is covered by
 * lsp.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Diagnostic } from 'vscode-languageserver/node';

import type { FunctionSummary } from '../../server/src/analysis/summaries';
import {
  classifyDocument,
  fileKeyOf,
  skipReason,
  uriOfFileKey,
} from '../../server/src/lsp/documents';
import { FailureReporter } from '../../server/src/lsp/failures';
import { Logger, parseLogLevel } from '../../server/src/lsp/logger';
import { SettingsWatcher } from '../../server/src/lsp/settings';
import { suppressionActions } from '../../server/src/lsp/suppression';
import { LineIndex } from '../../server/src/parsing/text';
import type { Finding } from '../../server/src/rules/types';
import { applyEdits, editsOf } from './lsp-harness';

const DIAGNOSTIC: Diagnostic = {
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  message: '',
};

/** A finding of `rule` at the first `marker` in `text`, inside one function spanning the text. */
function findingAt(
  text: string,
  marker: string,
  rule: Finding['rule'] = 'rcu-traverse-outside-reader',
): { finding: Finding; functions: FunctionSummary[] } {
  const lines = new LineIndex(text);
  const start = text.indexOf(marker);
  const span = { start, end: start + marker.length };
  const range = { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
  const finding = {
    rule,
    severity: 'warning',
    message: '',
    file: 'f.c',
    span,
    range,
    related: [],
    fixes: [],
    causes: [],
    explanation: '',
    suppressed: false,
  } as Finding;
  const nameStart = text.indexOf('walk');
  const nameSpan = { start: nameStart, end: nameStart + 4 };
  const fnStart = lines.lineStart(lines.lineOf(nameStart));
  const fn: FunctionSummary = {
    name: 'walk',
    nameSpan,
    nameRange: { start: lines.positionAt(nameSpan.start), end: lines.positionAt(nameSpan.end) },
    span: { start: fnStart, end: text.lastIndexOf('}') + 1 },
    context: 'process',
    label: 'process context',
    evidence: [],
  };
  return { finding, functions: [fn] };
}

function suppress(text: string, marker: string): { line: string; fn: string | undefined } {
  const { finding, functions } = findingAt(text, marker);
  const [line, fn] = suppressionActions('file:///f.c', text, finding, functions, DIAGNOSTIC);
  return {
    line: applyEdits(text, editsOf(line, 'file:///f.c')),
    fn: fn && applyEdits(text, editsOf(fn, 'file:///f.c')),
  };
}

describe('suppression quick fixes', () => {
  const source = [
    '/* Walks the list. */',
    'void walk(void)',
    '{',
    '\tint x;',
    '',
    '\tlist_for_each_entry_rcu(p, &h, n)',
    '\t\tx++;',
    '}',
    '',
  ].join('\n');

  it('comments the line above with its indentation, and the first line of the body', () => {
    const { line, fn } = suppress(source, 'list_for_each_entry_rcu');
    assert.equal(line.split('\n')[5], '\t/* rcu-lens: ignore rcu-traverse-outside-reader */');
    assert.equal(
      fn?.split('\n')[3],
      '\t/* rcu-lens: ignore-function rcu-traverse-outside-reader */',
    );
    assert.equal(
      fn?.split('\n')[0],
      '/* Walks the list. */',
      'the leading comment stays next to the function',
    );
  });

  it('keeps CR LF line breaks', () => {
    const { line } = suppress(source.replace(/\n/g, '\r\n'), 'list_for_each_entry_rcu');
    assert.match(
      line,
      /\t\/\* rcu-lens: ignore rcu-traverse-outside-reader \*\/\r\n\tlist_for_each_entry_rcu/,
    );
  });

  it('adds the rule to an ignore comment already above the line', () => {
    const text = source.replace(
      '\n\tlist_for_each',
      '\n\t/* rcu-lens: ignore sleep-in-rcu-reader */\n\tlist_for_each',
    );
    const { line } = suppress(text, 'list_for_each_entry_rcu');
    assert.equal(
      line.split('\n')[5],
      '\t/* rcu-lens: ignore sleep-in-rcu-reader, rcu-traverse-outside-reader */',
    );
    assert.equal(line.split('\n').length, text.split('\n').length, 'no line added');
  });

  it('puts the comment at the end of a function header line, not between it and its comment', () => {
    const { line } = suppress(source, 'walk');
    assert.equal(
      line.split('\n')[1],
      'void walk(void) /* rcu-lens: ignore rcu-traverse-outside-reader */',
    );
  });

  it('continues a macro line with a backslash', () => {
    const macro = ['#define WALK(h) \\', '\tlist_for_each_entry_rcu(p, h, n) \\', '\t\t;', ''].join(
      '\n',
    );
    const { line, fn } = suppress(macro, 'list_for_each_entry_rcu');
    assert.equal(line.split('\n')[1], '\t/* rcu-lens: ignore rcu-traverse-outside-reader */ \\');
    assert.equal(fn, undefined, 'outside any function there is no ignore-function fix');
  });

  it('puts ignore-function right after the brace when the body starts on its line', () => {
    const { fn } = suppress(
      'void walk(void) { list_for_each_entry_rcu(p, h, n) x(); }\n',
      'list_for_each_entry_rcu',
    );
    assert.equal(
      fn?.split('\n')[0],
      'void walk(void) { /* rcu-lens: ignore-function rcu-traverse-outside-reader */ list_for_each_entry_rcu(p, h, n) x(); }',
    );
  });
});

describe('documents', () => {
  it('tells C, patches and the rest apart', () => {
    assert.equal(classifyDocument({ uri: 'file:///a/x.c', languageId: 'c' }), 'c');
    assert.equal(classifyDocument({ uri: 'file:///a/x.h', languageId: 'cpp' }), 'c');
    assert.equal(classifyDocument({ uri: 'file:///a/x.cc', languageId: 'cpp' }), 'other');
    assert.equal(
      classifyDocument({ uri: 'file:///a/0001-fix.patch', languageId: 'diff' }),
      'patch',
    );
    assert.equal(
      classifyDocument({ uri: 'file:///a/series.mbox', languageId: 'plaintext' }),
      'patch',
    );
    assert.equal(
      classifyDocument({ uri: 'file:///a/notes.txt', languageId: 'plaintext' }),
      'other',
    );
  });

  it('skips huge and binary text', () => {
    assert.equal(skipReason('int x;'), undefined);
    assert.equal(skipReason('\u0000ELF'), 'binary');
    assert.equal(skipReason('x'.repeat(4 * 1024 * 1024 + 1)), 'huge');
  });

  it('maps file URIs to paths and back, and keeps other URIs', () => {
    assert.equal(fileKeyOf('file:///tmp/a%20b/x.c'), '/tmp/a b/x.c');
    assert.equal(uriOfFileKey('/tmp/a b/x.c'), 'file:///tmp/a%20b/x.c');
    assert.equal(fileKeyOf('untitled:Untitled-1'), 'untitled:Untitled-1');
    assert.equal(uriOfFileKey('untitled:Untitled-1'), 'untitled:Untitled-1');
  });
});

describe('logger', () => {
  it('drops messages below its level and builds debug messages lazily', () => {
    const sent: string[] = [];
    const console = {
      error: (m: string) => sent.push(`E ${m}`),
      warn: (m: string) => sent.push(`W ${m}`),
      info: (m: string) => sent.push(`I ${m}`),
      debug: (m: string) => sent.push(`D ${m}`),
    };
    const logger = new Logger(console, parseLogLevel('warning'));
    let built = false;
    logger.info('quiet');
    logger.debug(() => ((built = true), 'costly'));
    logger.warn('loud');
    logger.error('failed', new Error('boom'));
    assert.equal(built, false);
    assert.deepEqual(
      sent.map((m) => m.split('\n')[0]),
      ['W loud', 'E failed'],
    );
    assert.match(sent[1], /Error: boom/);
    assert.equal(parseLogLevel('trace'), 'debug');
    assert.equal(parseLogLevel('nonsense'), 'info');
  });
});

describe('settings watcher', () => {
  function fakeConnection(answer: () => Promise<unknown>) {
    const shown: string[] = [];
    const connection = {
      workspace: { getConfiguration: answer },
      sendNotification: (_type: unknown, params: { message: string }) => {
        shown.push(params.message);
        return Promise.resolve();
      },
    };
    return { connection, shown };
  }
  const quiet = new Logger({
    error: () => undefined,
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
  });

  it('shows each problem once, naming the setting, and keeps the good parts', async () => {
    const { connection, shown } = fakeConnection(() =>
      Promise.resolve({ sleepingCalls: ['my_sleep', 'not an id'], severity: { nope: 'error' } }),
    );
    const watcher = new SettingsWatcher(connection as never, quiet, true);
    assert.equal(await watcher.reload(), true);
    assert.equal(await watcher.reload(), false);
    assert.deepEqual(watcher.settings.sleepingCalls, ['my_sleep']);
    assert.equal(shown.length, 2);
    assert.ok(shown.some((m) => m.includes('`rcuLens.sleepingCalls`')));
    assert.ok(shown.some((m) => m.includes('`rcuLens.severity`') && m.includes('nope')));
  });

  it('falls back to the defaults when the client cannot answer', async () => {
    const { connection } = fakeConnection(() => Promise.reject(new Error('no configuration')));
    const watcher = new SettingsWatcher(connection as never, quiet, true);
    assert.equal(await watcher.reload(), false);
    assert.deepEqual(watcher.settings.severity, {});
  });
});

describe('failure reporter', () => {
  it('answers the fallback, logs every failure and shows the first of each document', async () => {
    const shown: string[] = [];
    const logged: string[] = [];
    const connection = {
      sendNotification: (_t: unknown, p: { message: string }) => (
        shown.push(p.message),
        Promise.resolve()
      ),
    };
    const logger = new Logger({
      error: (m) => logged.push(m),
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
    });
    const failures = new FailureReporter(connection as never, logger);
    const hover = failures.guard('Hover', null, (_p: { textDocument: { uri: string } }) => {
      throw new Error('boom');
    });
    const a = { textDocument: { uri: 'file:///w/a.c' } };
    assert.equal(await hover(a), null);
    assert.equal(await hover(a), null);
    assert.equal(await hover({ textDocument: { uri: 'file:///w/b.c' } }), null);
    assert.equal(logged.length, 3);
    assert.deepEqual(
      shown.map((m) => /on (\S+) /.exec(m)?.[1]),
      ['a.c', 'b.c'],
    );
    failures.forget('file:///w/a.c');
    await hover(a);
    assert.equal(shown.length, 3, 'shown again after the document was reopened');
  });
});
