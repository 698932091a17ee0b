/**
 * Keeps package.json in step with the code: settings and their defaults with the engine's
 * DEFAULT_SETTINGS, the severity schema with the rule catalogue, commands with the client,
 * and the semantic token contributions with the server's legend.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
  DEFAULT_SETTINGS,
  parseSettings,
  type AnalysisSettings,
} from '../../server/src/analysis/settings';
import { RULE_IDS } from '../../server/src/rules/catalogue';
import { TOKEN_MODIFIERS, TOKEN_TYPES } from '../../server/src/lsp/semantic-tokens';

const ROOT = path.resolve(__dirname, '..', '..');

interface Setting {
  readonly type?: string;
  readonly default?: unknown;
  readonly scope?: string;
  readonly description?: string;
  readonly markdownDescription?: string;
  readonly enum?: readonly string[];
  readonly properties?: Record<string, Setting>;
  readonly additionalProperties?: boolean;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const settings: Record<string, Setting> = manifest.contributes.configuration.properties;

/** The manifest setting behind each field of AnalysisSettings. */
const SETTING_OF: Record<keyof AnalysisSettings, string> = {
  realModeFunctions: 'rcuLens.realMode.functions',
  realModePaths: 'rcuLens.realMode.paths',
  sleepingCalls: 'rcuLens.sleepingCalls',
  severity: 'rcuLens.severity',
};

/** Turns flat manifest defaults (`rcuLens.realMode.functions`) into the object the server pulls. */
function defaultsAsSection(): Record<string, unknown> {
  const section: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(settings)) {
    const parts = name.split('.').slice(1);
    let at = section;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1]] = setting.default;
  }
  return section;
}

function clientSources(): string {
  const dir = path.join(ROOT, 'client', 'src');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

describe('package.json', () => {
  it('has a setting for every analysis setting, and no other besides the trace', () => {
    const expected = [
      ...Object.keys(DEFAULT_SETTINGS).map((k) => SETTING_OF[k as keyof AnalysisSettings]),
      'rcuLens.trace.server',
    ].sort();
    assert.deepEqual(Object.keys(settings).sort(), expected);
  });

  it('gives every setting the prefix, a type, a default, a scope and a description', () => {
    for (const [name, setting] of Object.entries(settings)) {
      assert.match(name, /^rcuLens\./, name);
      assert.ok(setting.type, `${name} has a type`);
      assert.ok('default' in setting, `${name} has a default`);
      assert.ok(setting.scope, `${name} has a scope`);
      assert.ok(setting.description ?? setting.markdownDescription, `${name} has a description`);
    }
  });

  it('has defaults that the server reads as its DEFAULT_SETTINGS, without problems', () => {
    const { settings: parsed, problems } = parseSettings(defaultsAsSection(), 'rcuLens');
    assert.deepEqual(problems, []);
    assert.deepEqual(parsed, DEFAULT_SETTINGS);
    for (const [field, name] of Object.entries(SETTING_OF)) {
      assert.deepEqual(
        settings[name].default,
        DEFAULT_SETTINGS[field as keyof AnalysisSettings],
        name,
      );
    }
  });

  it('lists exactly the catalogue rule ids in the severity schema', () => {
    const severity = settings['rcuLens.severity'];
    assert.deepEqual(Object.keys(severity.properties ?? {}).sort(), [...RULE_IDS].sort());
    assert.equal(
      severity.additionalProperties,
      false,
      'unknown rule ids are flagged in the settings editor',
    );
    for (const [id, level] of Object.entries(severity.properties ?? {})) {
      assert.deepEqual(level.enum, ['error', 'warning', 'info', 'hint', 'off'], id);
    }
  });

  it('names the trace setting after the LanguageClient id', () => {
    assert.deepEqual(settings['rcuLens.trace.server'].enum, ['off', 'messages', 'verbose']);
    assert.match(clientSources(), /const CLIENT_ID = 'rcuLens';/);
  });

  it('gives every command a title and the rcu-lens category, and contributes each one the client registers', () => {
    const commands: { command: string; title?: string; category?: string }[] =
      manifest.contributes.commands;
    for (const command of commands) {
      assert.ok(command.title, `${command.command} has a title`);
      assert.equal(command.category, 'rcu-lens', `${command.command} has the category`);
    }
    const registered = [...clientSources().matchAll(/registerCommand\('([^']+)'/g)]
      .map((m) => m[1])
      .sort();
    assert.deepEqual(commands.map((c) => c.command).sort(), registered);
  });

  it('contributes the semantic token legend of the server, each type with a fallback', () => {
    const types: { id: string; superType?: string; description?: string }[] =
      manifest.contributes.semanticTokenTypes;
    const modifiers: { id: string; description?: string }[] =
      manifest.contributes.semanticTokenModifiers;
    assert.deepEqual(
      types.map((t) => t.id),
      [...TOKEN_TYPES],
    );
    assert.deepEqual(
      modifiers.map((m) => m.id),
      [...TOKEN_MODIFIERS],
    );
    for (const t of types)
      assert.ok(t.superType && t.description, `${t.id} has a superType and a description`);
    for (const m of modifiers) assert.ok(m.description, `${m.id} has a description`);
    const scopes: Record<string, string[]> = manifest.contributes.semanticTokenScopes[0].scopes;
    for (const id of TOKEN_TYPES) assert.ok(scopes[id]?.length, `${id} maps to TextMate scopes`);
    for (const key of Object.keys(scopes)) {
      const [type, ...mods] = key.split('.');
      assert.ok((TOKEN_TYPES as readonly string[]).includes(type), `${key}: known type`);
      for (const m of mods)
        assert.ok((TOKEN_MODIFIERS as readonly string[]).includes(m), `${key}: known modifier`);
    }
  });

  it('activates on C and diff documents only, and declares what it does in untrusted workspaces', () => {
    assert.deepEqual(manifest.activationEvents, ['onLanguage:c', 'onLanguage:diff']);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
    assert.ok(manifest.capabilities.untrustedWorkspaces.description);
    assert.equal(manifest.capabilities.virtualWorkspaces, false);
  });
});
