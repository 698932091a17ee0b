// Runs the rcu-lens language server under Neovim 0.7, a second real client, through
// test/e2e/neovim/check-server.lua, on copies of the shared cases BUG-01.c and OK-03.c.
//
//   node --test test/e2e/neovim.test.mjs       needs dist/server.js (npm run build) and nvim
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { REPO_ROOT, RESULTS_DIR, SERVER_BUNDLE, assertPrerequisites } from './lib/paths.mjs';
import { makeCaseWorkspace, makeTempDir, removeTempDir } from './lib/workspace.mjs';

const SCRIPT = join(REPO_ROOT, 'test', 'e2e', 'neovim', 'check-server.lua');
const NVIM_TIMEOUT_MS = 90_000;
const SERVER_BUNDLE_PATH = process.env.RCU_LENS_SERVER_BUNDLE ?? SERVER_BUNDLE;

const EXPECTED_CHECKS = [
  'the server publishes diagnostics for BUG-01.c',
  'realmode-lockdep-call on line 33',
  'realmode-rcu-traversal on line 34',
  'the hover mentions real mode',
  'a lockless quick fix is offered',
  'the fix turns line 34 into a lockless walk',
  'the publish for OK-03.c is empty',
  'all checks passed',
];

/** Runs nvim headless and resolves with its exit code and output, failing or not. */
function runNeovim(env) {
  return new Promise((resolve) => {
    execFile(
      'nvim',
      ['--headless', '--clean', '-n', '-c', `luafile ${SCRIPT}`],
      { env: { ...process.env, ...env }, timeout: NVIM_TIMEOUT_MS, cwd: env.RCU_LENS_WORKSPACE },
      (error, stdout, stderr) => {
        const code = error ? (error.code ?? error.signal ?? 'error') : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let workspace;
let home;

before(() => {
  assertPrerequisites({ codeServer: false, neovim: true });
  assert.ok(existsSync(SERVER_BUNDLE_PATH), `no ${SERVER_BUNDLE_PATH}: run npm run build`);
  workspace = makeCaseWorkspace(['BUG-01.c', 'OK-03.c'], 'neovim');
  // A private XDG home keeps the run from reading or writing the user's Neovim state and puts
  // the LSP log where this test can show it.
  home = makeTempDir('neovim-home');
});

after(() => {
  removeTempDir(workspace);
  removeTempDir(home);
});

test('rcu-lens works in Neovim 0.7 through vim.lsp.start_client', async () => {
  const result = await runNeovim({
    RCU_LENS_SERVER: SERVER_BUNDLE_PATH,
    RCU_LENS_BUG_FILE: join(workspace, 'BUG-01.c'),
    RCU_LENS_CLEAN_FILE: join(workspace, 'OK-03.c'),
    RCU_LENS_WORKSPACE: workspace,
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_STATE_HOME: join(home, 'state'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
  });
  const output = `${result.stdout}${result.stderr}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const report = `exit code: ${result.code}\n${output}\n${readLspLog(home)}`;
  writeFileSync(join(RESULTS_DIR, 'neovim.log'), report);
  if (result.code !== 0) {
    process.stderr.write(`----- nvim output -----\n${report}\n----- end of nvim output -----\n`);
  }
  assert.equal(result.code, 0, `nvim failed:\n${output}`);
  for (const check of EXPECTED_CHECKS) {
    assert.ok(output.includes(`ok: ${check}`), `missing check "${check}" in:\n${output}`);
  }
  assert.doesNotMatch(output, /FAIL:/);
});

function readLspLog(homeDir) {
  for (const dir of ['cache', 'state']) {
    const path = join(homeDir, dir, 'nvim', 'lsp.log');
    if (existsSync(path)) {
      return `----- ${path}\n${readFileSync(path, 'utf8')}`;
    }
  }
  return '(no lsp.log)';
}
