/**
 * Loads tree-sitter-c's bundled wasm with web-tree-sitter, from disk only.
 *
 * Bundles ship both .wasm files next to themselves in dist/; from sources (tests run with
 * tsx) they come from node_modules. esbuild's CommonJS output has no import.meta.url, so the
 * runtime is always given `locateFile`.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

import { Language, Parser, type Tree } from 'web-tree-sitter';

let loading: Promise<Parser> | undefined;

/** Finds a wasm file next to the bundle, else in node_modules. */
function locateWasm(fileName: string, packageSubpath: string): string {
  const besideBundle = path.join(__dirname, fileName);
  if (existsSync(besideBundle)) return besideBundle;
  return require.resolve(packageSubpath);
}

/** The shared C parser; the first call loads the wasm runtime and grammar. */
export function getParser(): Promise<Parser> {
  loading ??= (async () => {
    const runtime = locateWasm('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtime });
    const language = await Language.load(
      locateWasm('tree-sitter-c.wasm', 'tree-sitter-c/tree-sitter-c.wasm'),
    );
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}

/** Parses text and hands the tree to `use`, freeing it afterwards whatever happens. */
export function withTree<T>(parser: Parser, text: string, use: (tree: Tree) => T): T {
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}
