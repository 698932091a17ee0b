import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  DEFAULT_SETTINGS,
  parseSettings,
  sleepingCallSet,
} from '../../server/src/analysis/settings';

test('valid settings pass through', () => {
  const { settings, problems } = parseSettings({
    realMode: { functions: ['kvmppc_*', 'my_rm_handler'], paths: ['arch/powerpc/kvm/**'] },
    severity: { 'sleep-in-rcu-reader': 'off', 'rcu-traverse-outside-reader': 'error' },
    sleepingCalls: ['my_wait'],
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(settings.realModeFunctions, ['kvmppc_*', 'my_rm_handler']);
  assert.equal(settings.severity['sleep-in-rcu-reader'], 'off');
  assert.ok(sleepingCallSet(settings).has('my_wait') && sleepingCallSet(settings).has('msleep'));
});

test('each bad value is named by its setting and dropped; the rest is kept', () => {
  const { settings, problems } = parseSettings({
    realMode: { functions: ['ok_fn', 'bad name', 42], paths: ['src/{a,b'] },
    severity: {
      'no-such-rule': 'error',
      'realmode-rcu-traversal': 'loud',
      'sleep-in-rcu-reader': 'hint',
    },
    sleepingCalls: 'msleep',
  });
  assert.deepEqual(settings.realModeFunctions, ['ok_fn']);
  assert.deepEqual(settings.realModePaths, []);
  assert.deepEqual(settings.severity, { 'sleep-in-rcu-reader': 'hint' });
  assert.deepEqual(settings.sleepingCalls, []);
  assert.deepEqual(
    problems.map((p) => p.setting),
    [
      'rcuLens.severity',
      'rcuLens.severity',
      'rcuLens.realMode.functions',
      'rcuLens.realMode.functions',
      'rcuLens.realMode.paths',
      'rcuLens.sleepingCalls',
    ],
  );
  assert.match(problems[0].message, /unknown rule id "no-such-rule"/);
});

test('missing or non-object settings give the defaults', () => {
  assert.deepEqual(parseSettings(undefined).settings, DEFAULT_SETTINGS);
  const { settings, problems } = parseSettings('yes');
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.equal(problems[0].setting, 'rcuLens');
});
