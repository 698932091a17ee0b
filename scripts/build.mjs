// Bundles the VS Code client, the language server and the CLI with esbuild, and copies the
// tree-sitter wasm files next to the bundles so they load from disk.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');

const entries = [
  { in: 'client/src/extension.ts', out: 'client' },
  { in: 'server/src/lsp/server.ts', out: 'server' },
  { in: 'server/src/cli/main.ts', out: 'cli' },
].filter((e) => existsSync(path.join(root, e.in)));

mkdirSync(dist, { recursive: true });
for (const [file, from] of [
  ['tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm'],
  ['tree-sitter-c.wasm', 'tree-sitter-c/tree-sitter-c.wasm'],
]) {
  copyFileSync(require.resolve(from), path.join(dist, file));
}

const options = {
  absWorkingDir: root,
  entryPoints: entries,
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['vscode'],
  // web-tree-sitter's ESM build reads import.meta.url, which a CommonJS bundle lacks.
  define: { 'import.meta.url': '__rcuLensImportMetaUrl' },
  banner: {
    js: "const __rcuLensImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
  },
  logLevel: 'warning',
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
