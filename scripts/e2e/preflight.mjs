// Checks, before anything is built, that the end-to-end tests can run here, and says how to fix
// what is missing. `npm run test:e2e` calls it first so a missing code-server fails in a second,
// loudly, instead of as a timeout minutes later.
import { findMissingPrerequisites } from '../../test/e2e/lib/paths.mjs';

const missing = findMissingPrerequisites({ codeServer: true, neovim: true });
if (missing.length > 0) {
  const rule = '='.repeat(78);
  process.stderr.write(
    `${rule}\nrcu-lens end-to-end tests cannot run:\n  - ${missing.join('\n  - ')}\n${rule}\n`,
  );
  process.exit(1);
}
