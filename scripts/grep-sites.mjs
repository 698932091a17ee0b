// A comment-aware grep for RCU list iterator call sites: the yardstick `npm run corpus`
// measures the parser's recall against. Comments, string and character literals and the
// bodies of `#define` directives (continuation lines included) are blanked before counting,
// so a hit is a use in code. Lines stay where they were, so hits keep their line numbers.
//
//   node scripts/grep-sites.mjs <dir>     prints the count per iterator name
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import fg from 'fast-glob';

/** The iterator names the corpus report counts. */
export const GREP_NAMES = [
  'list_for_each_entry_rcu',
  'hlist_for_each_entry_rcu',
  'list_for_each_entry_lockless',
];

/**
 * Blanks comments, string and character literals, and `#define` directives (with their
 * continuation lines), keeping every newline so offsets map to the same lines.
 */
export function stripNonCode(text) {
  const out = text.split('');
  const blank = (from, to) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      i++;
      continue;
    }
    if (lineStart && (c === ' ' || c === '\t')) {
      i++;
      continue;
    }
    if (lineStart && c === '#') {
      const end = directiveEnd(text, i);
      if (/^#\s*define\b/.test(text.slice(i, Math.min(end, i + 64)))) blank(i, end);
      else blankLiteralsIn(text, out, i, end);
      i = end;
      continue;
    }
    lineStart = false;
    const skipped = skipNonCode(text, i);
    if (skipped > i) {
      blank(i, skipped);
      i = skipped;
      continue;
    }
    i++;
  }
  return out.join('');
}

/** End of a comment or literal starting at `i`, or `i` when none starts there. */
function skipNonCode(text, i) {
  const c = text[i];
  const next = text[i + 1];
  if (c === '/' && next === '/') {
    let k = i + 2;
    while (k < text.length && text[k] !== '\n')
      k += text[k] === '\\' && text[k + 1] === '\n' ? 2 : 1;
    return k;
  }
  if (c === '/' && next === '*') {
    const close = text.indexOf('*/', i + 2);
    return close < 0 ? text.length : close + 2;
  }
  if (c === '"' || c === "'") {
    let k = i + 1;
    while (k < text.length && text[k] !== c && text[k] !== '\n') k += text[k] === '\\' ? 2 : 1;
    return Math.min(text.length, k + 1);
  }
  return i;
}

/** The end of a preprocessor line, following backslash continuations and block comments. */
function directiveEnd(text, i) {
  let k = i;
  while (k < text.length) {
    if (text[k] === '\\' && text[k + 1] === '\n') k += 2;
    else if (text[k] === '\\' && text[k + 1] === '\r' && text[k + 2] === '\n') k += 3;
    else if (text[k] === '/' && text[k + 1] === '*') {
      const close = text.indexOf('*/', k + 2);
      k = close < 0 ? text.length : close + 2;
    } else if (text[k] === '\n') return k;
    else k++;
  }
  return k;
}

function blankLiteralsIn(text, out, from, to) {
  for (let k = from; k < to;) {
    const end = skipNonCode(text, k);
    if (end > k) {
      for (let j = k; j < end; j++) if (out[j] !== '\n') out[j] = ' ';
      k = end;
    } else k++;
  }
}

/** Call sites of `names` in code, as 1-based lines per name. */
export function grepSites(text, names = GREP_NAMES) {
  const code = stripNonCode(text);
  const lineStarts = [0];
  for (let k = 0; k < code.length; k++) if (code.charCodeAt(k) === 10) lineStarts.push(k + 1);
  const lineOf = (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  const hits = new Map(names.map((n) => [n, []]));
  const pattern = new RegExp(`\\b(${names.join('|')})\\s*\\(`, 'g');
  for (const m of code.matchAll(pattern)) hits.get(m[1]).push(lineOf(m.index));
  return hits;
}

/**
 * Greps every .c and .h file under `root` (hidden folders skipped, as the CLI does).
 * Returns, per name, a list of { file, line } with paths relative to `root`.
 */
export function grepTree(root, names = GREP_NAMES) {
  const files = fg
    .sync('**/*.{c,h}', {
      cwd: root,
      onlyFiles: true,
      followSymbolicLinks: false,
      dot: false,
      suppressErrors: true,
    })
    .sort();
  const needles = names.map((n) => Buffer.from(n));
  const result = new Map(names.map((n) => [n, []]));
  for (const rel of files) {
    const bytes = readFileSync(path.join(root, rel));
    if (!needles.some((n) => bytes.indexOf(n) >= 0)) continue;
    for (const [name, lines] of grepSites(bytes.toString('utf8'), names)) {
      for (const line of lines) result.get(name).push({ file: rel, line });
    }
  }
  return { files: files.length, hits: result };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2];
  if (!root) {
    console.error('usage: node scripts/grep-sites.mjs <dir>');
    process.exit(2);
  }
  const { files, hits } = grepTree(root);
  console.log(`${files} files`);
  for (const [name, list] of hits) console.log(`${name.padEnd(30)} ${list.length}`);
}
