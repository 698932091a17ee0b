// Where the end-to-end tests find the repository, the shared cases, code-server and their output.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';

/** The repository checkout these tests belong to. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The shared cases live beside the repository (the CI clone has them there too). */
export const CASES_DIR = resolve(REPO_ROOT, '../shared/cases');

/** Screenshots and logs of the last run; `test-results/` is ignored by git. */
export const RESULTS_DIR = join(REPO_ROOT, 'test-results', 'e2e');

/** Screenshots for the README, written only at the end of a green run. */
export const DOC_IMAGES_DIR = join(REPO_ROOT, 'docs', 'images');

/** The packaged extension that `npm run package` writes; RCU_LENS_VSIX picks another. */
export const VSIX_PATH = process.env.RCU_LENS_VSIX ?? join(REPO_ROOT, 'rcu-lens.vsix');

/** The language server bundle that `npm run build` writes. */
export const SERVER_BUNDLE = join(REPO_ROOT, 'dist', 'server.js');

export const CHROMIUM_PATH = process.env.RCU_LENS_CHROMIUM ?? '/usr/bin/chromium';

const cacheRoot = process.env.RCU_LENS_CACHE ?? join(homedir(), '.cache', 'rcu-lens');

/** The code-server launcher that scripts/e2e/install-code-server.sh installs. */
export const CODE_SERVER_BIN = join(
  cacheRoot,
  'code-server',
  'node_modules',
  '.bin',
  'code-server',
);

function isOnPath(command) {
  return (process.env.PATH ?? '')
    .split(':')
    .some((dir) => dir !== '' && existsSync(join(dir, command)));
}

/**
 * Lists what the end-to-end tests need and cannot find, each with the command that fixes it.
 */
export function findMissingPrerequisites({
  codeServer = true,
  neovim = false,
  vsix = false,
  serverBundle = false,
} = {}) {
  const missing = [];
  if (codeServer && !existsSync(CODE_SERVER_BIN)) {
    missing.push(
      `code-server ${CODE_SERVER_VERSION} is not installed at ${CODE_SERVER_BIN}: ` +
        'run scripts/e2e/install-code-server.sh (about a minute, offline)',
    );
  }
  if (codeServer && !existsSync(CHROMIUM_PATH)) {
    missing.push(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  }
  if (neovim && !isOnPath('nvim')) {
    missing.push('no nvim on PATH: apt-get install -y neovim');
  }
  if (vsix && !existsSync(VSIX_PATH)) {
    missing.push(`no ${VSIX_PATH}: run npm run package`);
  }
  if (serverBundle && !existsSync(SERVER_BUNDLE)) {
    missing.push(`no ${SERVER_BUNDLE}: run npm run build`);
  }
  if (!existsSync(CASES_DIR)) {
    missing.push(`the shared cases are missing: expected ${CASES_DIR}`);
  }
  return missing;
}

/** Throws a message that says how to fix each missing prerequisite, instead of a timeout later. */
export function assertPrerequisites(needs) {
  const missing = findMissingPrerequisites(needs);
  if (missing.length > 0) {
    throw new Error(`end-to-end prerequisites missing:\n  - ${missing.join('\n  - ')}`);
  }
}
