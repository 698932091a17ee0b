/**
 * Paths and extended headers of one file in a diff: `diff --git a/x b/y`, the `---`/`+++`
 * pair, and git's `rename from`, `new file mode`, `similarity index` and kin.
 */
import { DEV_NULL, type FileStatus } from './model';

/** Git's C-style escapes in quoted paths (`"a/tab\there"`), as `git diff` writes them. */
const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** What the lines between `diff --git` and the first hunk say about the file. */
export interface FileHeaderFacts {
  oldPath: string;
  newPath: string;
  added: boolean;
  deleted: boolean;
  renamed: boolean;
  copied: boolean;
  similarity?: number;
}

/** Parses the two paths of a `diff --git` line (after the `diff --git ` part), prefixes stripped. */
export function parseGitDiffPaths(rest: string): { oldPath: string; newPath: string } | undefined {
  if (rest.startsWith('"')) {
    const first = readQuoted(rest, 0);
    if (!first) return undefined;
    const second = rest.slice(first.end).trimStart();
    const newPath = second.startsWith('"') ? readQuoted(second, 0)?.text : second;
    return newPath === undefined
      ? undefined
      : { oldPath: stripGitPrefix(first.text), newPath: stripGitPrefix(newPath) };
  }
  // Unquoted paths may hold spaces; an unchanged name splits the line into two equal halves.
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const [left, right] = [rest.slice(0, half), rest.slice(half + 1)];
    if (rest[half] === ' ' && stripGitPrefix(left) === stripGitPrefix(right)) {
      return { oldPath: stripGitPrefix(left), newPath: stripGitPrefix(right) };
    }
  }
  const split = rest.indexOf(' b/') > 0 ? rest.indexOf(' b/') : rest.indexOf(' ');
  if (split <= 0) return undefined;
  return {
    oldPath: stripGitPrefix(rest.slice(0, split)),
    newPath: stripGitPrefix(rest.slice(split + 1)),
  };
}

/** Parses the path of a `--- ` or `+++ ` line (after the marker), without a trailing timestamp. */
export function parseMarkerPath(rest: string): string {
  if (rest.startsWith('"')) return readQuoted(rest, 0)?.text ?? rest;
  const tab = rest.indexOf('\t');
  return (tab >= 0 ? rest.slice(0, tab) : rest).trimEnd();
}

/** Strips git's `a/`, `b/` (or mnemonic `i/`, `w/`, `c/`, `o/`) prefix; keeps `/dev/null`. */
export function stripGitPrefix(path: string): string {
  return /^[abciow]\//.test(path) ? path.slice(2) : path;
}

/** Strips the `a/` or `b/` that `diff -u a/x b/x` style patches carry. */
export function stripPlainPrefix(path: string): string {
  return /^[ab]\//.test(path) ? path.slice(2) : path;
}

/**
 * Applies one git extended header line to the facts; false when the line is not one, which
 * ends the header block.
 */
export function applyExtendedHeader(line: string, facts: FileHeaderFacts): boolean {
  let match: RegExpExecArray | null;
  if (/^(?:old|new) mode \d+$/.test(line) || /^index [0-9a-f]+\.\.[0-9a-f]+/.test(line))
    return true;
  if (/^dissimilarity index \d+%$/.test(line)) return true;
  if (/^new file mode \d+$/.test(line)) return (facts.added = true);
  if (/^deleted file mode \d+$/.test(line)) return (facts.deleted = true);
  if ((match = /^similarity index (\d+)%$/.exec(line))) {
    facts.similarity = Number(match[1]);
    return true;
  }
  if ((match = /^(rename|copy) (from|to) (.+)$/.exec(line))) {
    const path = parseMarkerPath(match[3]);
    if (match[1] === 'rename') facts.renamed = true;
    else facts.copied = true;
    if (match[2] === 'from') facts.oldPath = path;
    else facts.newPath = path;
    return true;
  }
  return false;
}

/** The status the facts add up to; fills in `/dev/null` for the missing side. */
export function settleStatus(facts: FileHeaderFacts): FileStatus {
  if (facts.added || facts.oldPath === DEV_NULL) {
    facts.oldPath = DEV_NULL;
    return 'added';
  }
  if (facts.deleted || facts.newPath === DEV_NULL) {
    facts.newPath = DEV_NULL;
    return 'deleted';
  }
  if (facts.renamed) return 'renamed';
  return facts.copied ? 'copied' : 'modified';
}

function readQuoted(text: string, start: number): { text: string; end: number } | undefined {
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') return { text: decodeOctalBytes(out), end: i + 1 };
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = text[++i] ?? '';
    if (/[0-7]/.test(next)) {
      out += String.fromCharCode(parseInt(text.slice(i, i + 3), 8));
      i += 2;
    } else {
      out += ESCAPES[next] ?? next;
    }
  }
  return undefined;
}

/** Git writes non-ASCII path bytes as octal escapes; turn those bytes back into UTF-8 text. */
function decodeOctalBytes(text: string): string {
  if (!/[\x80-\xff]/.test(text)) return text;
  return new TextDecoder('utf-8').decode(Buffer.from(text, 'latin1'));
}
