// Starts and stops a private code-server: loopback only, no auth, a fresh profile every run.
// The flags and traps are in shared/reference/real-clients.md.
import { execFile, spawn } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

import { CODE_SERVER_BIN } from './paths.mjs';
import { makeTempDir, removeTempDir } from './workspace.mjs';

const execFileAsync = promisify(execFile);

const HEALTH_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

const COMMON_FLAGS = [
  '--disable-telemetry',
  '--disable-update-check',
  '--disable-workspace-trust',
  '--disable-getting-started-override',
];

/** User settings that keep the workbench still: no start page, tips, updates or AI panels. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.editor.enablePreview': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'editor.minimap.enabled': false,
  'editor.codeLens': true,
  'editor.semanticHighlighting.enabled': true,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'files.autoSave': 'off',
  'window.commandCenter': false,
  'rcu-lens.trace.server': 'messages',
};

/** Asks the kernel for a free loopback port. */
export async function findFreePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function writeProfile(root, port, settings) {
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const configPath = join(root, 'config.yaml');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(configPath, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2),
  );
  return { userDataDir, extensionsDir, configPath };
}

function profileFlags(profile) {
  return [
    '--config',
    profile.configPath,
    '--user-data-dir',
    profile.userDataDir,
    '--extensions-dir',
    profile.extensionsDir,
    ...COMMON_FLAGS,
  ];
}

/** Installs a .vsix into the profile with code-server's own CLI (about 1.5 s). */
async function installExtension(profile, vsixPath) {
  const { stdout, stderr } = await execFileAsync(
    CODE_SERVER_BIN,
    [...profileFlags(profile), '--install-extension', vsixPath],
    { timeout: 60_000 },
  );
  if (!/successfully installed/i.test(stdout + stderr)) {
    throw new Error(`installing ${vsixPath} failed:\n${stdout}\n${stderr}`);
  }
}

async function waitForHealth(url, child) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited early with code ${child.exitCode}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet: poll again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${HEALTH_TIMEOUT_MS} ms`);
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/**
 * Starts code-server in its own process group with a fresh profile, optionally installing a
 * .vsix first. Resolves once /healthz answers. `stop()` ends the whole group, which also ends
 * the extension host and any language server it started, and keeps code-server's output and the
 * profile's logs in `resultsDir`.
 */
export async function startCodeServer({ vsixPath, settings = {}, resultsDir }) {
  const root = makeTempDir('code-server');
  const port = await findFreePort();
  const profile = writeProfile(root, port, settings);
  if (vsixPath) {
    await installExtension(profile, vsixPath);
  }

  const child = spawn(CODE_SERVER_BIN, profileFlags(profile), {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  mkdirSync(resultsDir, { recursive: true });
  const log = createWriteStream(join(resultsDir, 'code-server.log'));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    process.removeListener('exit', killOnExit);
    keepLogs(profile, resultsDir);
    removeTempDir(root);
  };

  try {
    await waitForHealth(url, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, ...profile, stop, readExthostLogs: () => readExthostLogs(profile) };
}

function keepLogs({ userDataDir }, resultsDir) {
  const logsDir = join(userDataDir, 'logs');
  if (existsSync(logsDir)) {
    cpSync(logsDir, join(resultsDir, 'logs'), { recursive: true });
  }
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

/**
 * Returns the text of every log under the profile's `logs/<time>/exthost*` folders, which hold
 * the extension's output channels and the language server's stderr.
 */
export function readExthostLogs({ userDataDir }) {
  const logsDir = join(userDataDir, 'logs');
  let files;
  try {
    files = listFiles(logsDir).filter((file) => /[/\\]exthost\d*[/\\]/.test(file));
  } catch {
    return '(no logs directory)';
  }
  return files
    .filter((file) => statSync(file).size > 0)
    .map((file) => `===== ${relative(logsDir, file)}\n${readFileSync(file, 'utf8')}`)
    .join('\n');
}
