/**
 * Checks the TextMate injection grammars in syntaxes/: the JSON and every regex in it, the
 * primitive name lists, the manifest entries, and the fixture suite in test/grammar/ (run
 * through vscode-tmgrammar-test exactly as `npm run test:grammar` runs it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';

import { loadWASM, OnigScanner } from 'vscode-oniguruma';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE_DIR = path.join(ROOT, 'test/grammar');
const C_SCOPE = 'rcu-lens.injection';
const DIFF_SCOPE = 'rcu-lens.diff-injection';

/** The one shape a primitive list may take: `(?<!\.|->)\b(?:a|b|c)\b(?=\s*\()`. */
const NAME_LIST = /^\(\?<!\\\.\|->\)\\b\(\?:([A-Za-z0-9_|]+)\)\\b\(\?=\\s\*\\\(\)$/;
const SCOPE_SCHEME =
  /^support\.function\.rcu\.(iterator\.checked|iterator\.lockless|accessor|update|reader|grace-period)(\.srcu)?\.rcu-lens$/;
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REGEX_KEYS = ['match', 'begin', 'end', 'while'] as const;

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  include?: string;
  patterns?: Rule[];
}

interface Grammar extends Rule {
  scopeName: string;
  injectionSelector?: string;
  repository: Record<string, Rule>;
}

interface ManifestGrammar {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

/** Reads a JSON file relative to the repository root. */
function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(path.join(ROOT, relative), 'utf8')) as T;
}

/** Returns the manifest's grammar contributions keyed by scope name. */
function readManifestGrammars(): Map<string, ManifestGrammar> {
  const manifest = readJson<{ contributes?: { grammars?: ManifestGrammar[] } }>('package.json');
  return new Map((manifest.contributes?.grammars ?? []).map((g) => [g.scopeName, g]));
}

/** Loads the grammar that the manifest registers under `scopeName`. */
function loadGrammar(scopeName: string): Grammar {
  const entry = readManifestGrammars().get(scopeName);
  assert.ok(entry, `package.json contributes no grammar ${scopeName}`);
  return readJson<Grammar>(entry.path);
}

/** Visits every rule of a grammar: top-level patterns, repository entries and nested rules. */
function collectRules(grammar: Grammar): Rule[] {
  const rules: Rule[] = [];
  const visit = (rule: Rule): void => {
    rules.push(rule);
    rule.patterns?.forEach(visit);
  };
  grammar.patterns?.forEach(visit);
  Object.values(grammar.repository).forEach(visit);
  return rules;
}

interface NameList {
  scope: string;
  pattern: string;
  names: string[];
}

/** Returns each primitive list of a grammar: its scope, its regex and the names it matches. */
function collectNameLists(grammar: Grammar): NameList[] {
  return collectRules(grammar).flatMap((rule) => {
    const list = rule.match === undefined ? null : NAME_LIST.exec(rule.match);
    return list && rule.name
      ? [{ scope: rule.name, pattern: list[0], names: list[1].split('|') }]
      : [];
  });
}

/** Returns the span that `pattern` matches first in `text`, or null. */
function findMatch(pattern: string, text: string): [number, number] | null {
  const scanner = new OnigScanner([pattern]);
  try {
    const found = scanner.findNextMatchSync(text, 0);
    return found ? [found.captureIndices[0].start, found.captureIndices[0].end] : null;
  } finally {
    scanner.dispose();
  }
}

/** Lists the grammar fixtures, the files the runner's globs pick up. */
function listFixtures(): string[] {
  return readdirSync(FIXTURE_DIR).filter((file) => /\.test\.(c|diff)$/.test(file));
}

/** Tells whether a fixture line asserts `scope` positively (before any ` - ` exclusion). */
function hasPositiveAssertion(fixtures: string, scope: string): boolean {
  const escaped = scope.replaceAll('.', '\\.');
  return new RegExp(`(?:\\^|<~*-+)(?: [\\w.-]*[\\w.])*? ${escaped}(?=\\s|$)`, 'm').test(fixtures);
}

before(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await loadWASM(new Uint8Array(wasm).buffer);
});

describe('manifest grammar contributions', () => {
  it('registers the C injection for source.c and the diff injection for source.diff', () => {
    const grammars = readManifestGrammars();
    assert.deepEqual(grammars.get(C_SCOPE)?.injectTo, ['source.c']);
    assert.deepEqual(grammars.get(DIFF_SCOPE)?.injectTo, ['source.diff']);
  });

  it('points at JSON files whose own scopeName matches the manifest', () => {
    for (const scopeName of [C_SCOPE, DIFF_SCOPE]) {
      assert.equal(loadGrammar(scopeName).scopeName, scopeName);
    }
  });

  it('keeps comments and strings of the C host out of the injection', () => {
    assert.equal(loadGrammar(C_SCOPE).injectionSelector, 'L:source.c -comment -string');
    assert.equal(loadGrammar(DIFF_SCOPE).injectionSelector, 'L:source.diff');
  });
});

describe('grammar regexes', () => {
  for (const scopeName of [C_SCOPE, DIFF_SCOPE]) {
    it(`${scopeName}: every regex parses as JavaScript and compiles with Oniguruma`, () => {
      for (const rule of collectRules(loadGrammar(scopeName))) {
        for (const key of REGEX_KEYS) {
          const source = rule[key];
          if (source === undefined) continue;
          // vscode-oniguruma accepts some malformed patterns (an unclosed group compiles to an
          // empty match), so JavaScript's parser is asked too; these patterns use no syntax
          // the two disagree on, apart from \G, which JavaScript reads as a plain G.
          assert.doesNotThrow(() => new RegExp(source), `${key}: ${source}`);
          assert.doesNotThrow(() => new OnigScanner([source]).dispose(), `${key}: ${source}`);
        }
      }
    });
  }

  it('resolves every include, including the diff grammar reaching into the C grammar', () => {
    const grammars = new Map([C_SCOPE, DIFF_SCOPE].map((s) => [s, loadGrammar(s)]));
    for (const [scopeName, grammar] of grammars) {
      for (const { include } of collectRules(grammar)) {
        if (include === undefined) continue;
        const [target, key] = include.startsWith('#')
          ? [scopeName, include.slice(1)]
          : include.split('#');
        assert.ok(grammars.get(target)?.repository[key], `${scopeName}: unresolved ${include}`);
      }
    }
  });
});

describe('primitive name lists', () => {
  const lists = collectNameLists(loadGrammar(C_SCOPE));

  it('names every scope after the documented scheme and covers all ten classes', () => {
    assert.equal(lists.length, 10);
    for (const { scope } of lists) assert.match(scope, SCOPE_SCHEME);
    assert.equal(new Set(lists.map((l) => l.scope)).size, lists.length);
  });

  it('lists C identifiers, each in exactly one class', () => {
    const all = lists.flatMap((l) => l.names);
    for (const name of all) assert.match(name, C_IDENTIFIER);
    assert.deepEqual(
      all.filter((name, i) => all.indexOf(name) !== i),
      [],
    );
  });

  it('matches each name as a whole word in front of an argument list', () => {
    for (const { pattern, names } of lists) {
      for (const name of names) {
        assert.deepEqual(findMatch(pattern, `\t${name}(x);`), [1, 1 + name.length], name);
        assert.deepEqual(findMatch(pattern, `\t${name} \t(x);`), [1, 1 + name.length], name);
        for (const miss of [
          `my_${name}(x)`,
          `${name}_x(x)`,
          `p->${name}(x)`,
          `s.${name}(x)`,
          name,
        ]) {
          assert.equal(findMatch(pattern, miss), null, miss);
        }
      }
    }
  });

  it('has a positive fixture assertion for every scope class', () => {
    const fixtures = listFixtures()
      .map((file) => readFileSync(path.join(FIXTURE_DIR, file), 'utf8'))
      .join('\n');
    for (const { scope } of lists) assert.ok(hasPositiveAssertion(fixtures, scope), scope);
  });
});

describe('grammar fixtures', () => {
  it('pass under vscode-tmgrammar-test (npm run test:grammar)', () => {
    const manifest = readJson<{ scripts: Record<string, string> }>('package.json');
    const bin = path.join(ROOT, 'node_modules/.bin');
    const run = spawnSync(manifest.scripts['test:grammar'], {
      cwd: ROOT,
      shell: true,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    // The runner's spelling; counting the lines proves that both globs found their files.
    const passed = run.stdout.match(/run successfuly/g) ?? [];
    assert.equal(passed.length, listFixtures().length, run.stdout);
  });
});
