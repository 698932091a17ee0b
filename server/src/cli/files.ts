/**
 * Finding and reading the files the CLI analyses. Directories are walked for .c and .h files
 * without honouring .gitignore (Debian's kernel source ignores `/*`). Files that cannot be
 * read, are binary or are too large are named and skipped.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

import fg from 'fast-glob';

import { decodeSource } from '../parsing/text';

/** Larger files are generated tables, not code worth a parse (the kernel's largest C is 3 MB). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Text that can hold an RCU list operation; other files cannot produce a finding. */
const RCU_MENTION = /rcu|_lockless|synchronize_net/i;

export interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly note?: string;
}

export interface Collected {
  readonly files: string[];
  readonly missing: string[];
}

/** Expands paths into a sorted list of .c/.h files; names that do not exist are returned apart. */
export function collectFiles(paths: readonly string[]): Collected {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const p of paths) {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      missing.push(p);
      continue;
    }
    if (stat.isDirectory()) {
      const found = fg.sync('**/*.{c,h}', {
        cwd: p,
        onlyFiles: true,
        followSymbolicLinks: false,
        dot: false,
        suppressErrors: true,
      });
      for (const f of found) files.add(path.join(p, f));
    } else {
      files.add(p);
    }
  }
  return { files: [...files].sort(), missing };
}

export type ReadResult =
  | { readonly kind: 'source'; readonly file: SourceFile }
  | { readonly kind: 'skipped'; readonly reason: string }
  /** Read, but nothing in it can be an RCU list operation. */
  | { readonly kind: 'irrelevant' };

/** Reads one file for analysis. */
export function readSource(file: string, filterIrrelevant: boolean): ReadResult {
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    // /dev/zero and FIFOs have no size and no end: only regular files are read.
    if (!stat.isFile()) return { kind: 'skipped', reason: 'not a regular file' };
    const size = stat.size;
    if (size > MAX_FILE_BYTES)
      return { kind: 'skipped', reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
    bytes = readFileSync(file);
  } catch (error) {
    return {
      kind: 'skipped',
      reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    };
  }
  const decoded = decodeSource(bytes);
  if (decoded.binary) return { kind: 'skipped', reason: 'binary file' };
  if (filterIrrelevant && !RCU_MENTION.test(decoded.text)) return { kind: 'irrelevant' };
  const note =
    decoded.invalidUtf8At !== undefined
      ? `invalid UTF-8 at byte offset ${decoded.invalidUtf8At}; analysed with replacement characters`
      : undefined;
  return { kind: 'source', file: { path: file, text: decoded.text, note } };
}
