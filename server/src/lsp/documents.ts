/**
 * What kind of document the server was given, and the file key the engine knows it by.
 * Classification is cheap and runs before any analysis, so huge or binary input never
 * reaches the parser.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { TextDocument } from 'vscode-languageserver-textdocument';

/** Larger documents are not analysed: one notice, then nothing. */
export const MAX_ANALYSED_CHARS = 4 * 1024 * 1024;

const BINARY_PROBE_CHARS = 8192;

const PATCH_EXTENSIONS = /\.(patch|diff|mbox|eml)$/i;

const PATCH_LANGUAGES = new Set(['diff', 'patch', 'git-commit', 'email']);

export type DocumentKind = 'c' | 'patch' | 'other';

/** Decides how a document is analysed from its language id and file name. */
export function classifyDocument(document: Pick<TextDocument, 'uri' | 'languageId'>): DocumentKind {
  const languageId = document.languageId.toLowerCase();
  if (PATCH_LANGUAGES.has(languageId)) return 'patch';
  if (PATCH_EXTENSIONS.test(uriPath(document.uri))) return 'patch';
  if (languageId === 'c' || (languageId === 'cpp' && /\.[ch]$/i.test(uriPath(document.uri))))
    return 'c';
  return 'other';
}

/** Why a text is not analysed, or undefined when it is fine to analyse. */
export function skipReason(text: string): 'huge' | 'binary' | undefined {
  if (text.length > MAX_ANALYSED_CHARS) return 'huge';
  if (text.slice(0, BINARY_PROBE_CHARS).includes('\0')) return 'binary';
  return undefined;
}

/** The file key the engine uses: a file system path for file URIs, the URI otherwise. */
export function fileKeyOf(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/** Turns an engine file key (a path or a URI) back into a URI. */
export function uriOfFileKey(file: string): string {
  if (/^[a-z][\w+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file)) return file;
  return pathToFileURL(path.resolve(file)).href;
}

/** The last part of a URI's path, for messages. */
export function displayName(uri: string): string {
  return path.posix.basename(uriPath(uri)) || uri;
}

function uriPath(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}
