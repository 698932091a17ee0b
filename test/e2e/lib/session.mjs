// One end-to-end session: code-server, a browser on its workbench, screenshots, and on failure
// the extension host's logs.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { startCodeServer } from './code-server.mjs';
import { RESULTS_DIR } from './paths.mjs';
import { launchBrowser, makeScreenshotter, openWorkbench } from './workbench.mjs';

/**
 * Starts code-server (installing `vsixPath` if given), opens `workspace` in Chromium and returns
 * `{ page, shoot, resultsDir, failed, close }`. Output goes to test-results/e2e/<label>/.
 */
export async function startSession({ label, workspace, vsixPath, settings }) {
  const resultsDir = join(RESULTS_DIR, label);
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });

  const codeServer = await startCodeServer({ vsixPath, settings, resultsDir });
  let browser;
  try {
    browser = await launchBrowser();
    const page = await openWorkbench(browser, codeServer.url, workspace);
    const session = {
      page,
      resultsDir,
      failed: false,
      shoot: makeScreenshotter(page, resultsDir),
      close: () => closeSession(session, browser, codeServer),
    };
    return session;
  } catch (error) {
    process.stderr.write(codeServer.readExthostLogs());
    await browser?.close();
    await codeServer.stop();
    throw error;
  }
}

async function closeSession(session, browser, codeServer) {
  if (session.failed) {
    process.stderr.write(
      `\n----- extension host logs (also in ${join(session.resultsDir, 'logs')}) -----\n` +
        `${codeServer.readExthostLogs()}\n----- end of extension host logs -----\n`,
    );
  }
  await browser.close();
  await codeServer.stop();
}

/**
 * Holds one session and declares its steps as tests, in order. A failing step marks the session
 * failed and leaves a screenshot named after it, so the run ends with the logs and a picture of
 * what went wrong. `green` is true once every declared step has passed.
 */
export class Scenario {
  session = undefined;
  #declared = 0;
  #passed = 0;

  get green() {
    return this.session !== undefined && !this.session.failed && this.#passed === this.#declared;
  }

  /** Declares a step; `fn` receives the session, which starts later in a `before` hook. */
  step(name, fn) {
    this.#declared += 1;
    test(name, async () => {
      const session = this.session;
      if (!session) {
        throw new Error('the session did not start; see the before hook');
      }
      try {
        await fn(session);
      } catch (error) {
        session.failed = true;
        await session.shoot(`failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
        throw error;
      }
      this.#passed += 1;
    });
  }
}
