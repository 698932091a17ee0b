// Throwaway folders for one test run: a workspace built from the shared cases, and scratch space.
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { CASES_DIR } from './paths.mjs';

/** Creates an empty temporary directory whose name starts with `rcu-lens-<label>-`. */
export function makeTempDir(label) {
  return mkdtempSync(join(tmpdir(), `rcu-lens-${label}-`));
}

/**
 * Copies the named shared cases into a fresh folder, so a test may edit them freely.
 * Returns the folder's absolute path.
 */
export function makeCaseWorkspace(caseNames, label = 'workspace') {
  const dir = makeTempDir(label);
  for (const name of caseNames) {
    const copy = join(dir, basename(name));
    copyFileSync(join(CASES_DIR, name), copy);
    // The shared cases are read-only; the copies must take a quick fix and a save.
    chmodSync(copy, 0o644);
  }
  return dir;
}

/** Removes a temporary directory; leaves it in place when RCU_LENS_KEEP_TMP is set. */
export function removeTempDir(dir) {
  if (dir && !process.env.RCU_LENS_KEEP_TMP) {
    rmSync(dir, { recursive: true, force: true });
  }
}
