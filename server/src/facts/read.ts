/**
 * From text to facts: mask, parse, extract, free the tree.
 */
import type { Parser } from 'web-tree-sitter';

import { maskKernelMacros } from '../parsing/mask';
import { withTree } from '../parsing/parser';
import { extractFacts } from './extract';
import type { FileFacts } from './ir';

/** Reads the facts of one file; the parse tree lives only during this call. */
export function readFacts(parser: Parser, file: string, text: string): FileFacts {
  const mask = maskKernelMacros(text);
  return withTree(parser, mask.text, (tree) => extractFacts(file, text, mask, tree));
}
