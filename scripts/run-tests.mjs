// Runs node's test runner over test files matched by globs. Node 20's `node --test` does not
// expand globs itself, so they are expanded here.
import { spawnSync } from 'node:child_process';

import fg from 'fast-glob';

const patterns = process.argv.slice(2);
const files = fg.sync(patterns, { dot: false }).sort();
if (files.length === 0) {
  console.error(`no test files match ${patterns.join(' ')}`);
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
