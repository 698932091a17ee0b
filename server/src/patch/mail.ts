/**
 * Mail framing around patches: splitting an mbox or a `git format-patch` series into mails,
 * and reading each mail's headers and commit message. Mail archives render mails loosely
 * (the subject as a bare first line, headers after it), so the header reader is lenient.
 */
import type { PatchMail, PatchProblem, PatchTextLine } from './model';

/** The separator `git format-patch` writes: a fixed, fake date marks it. */
const GIT_MAIL_SEPARATOR = /^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$/;
/** An mbox `From_` line: `From sender Thu Dec  3 20:08:40 2026`. */
const MBOX_SEPARATOR =
  /^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{1,2}:\d\d/;
const HEADER = /^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$/;
const CONTINUATION = /^[ \t]+\S/;
const BARE_SUBJECT = /^\[(?:PATCH|RFC)[^\]]*\]\s*\S/i;
const DIFFSTAT = /^\s*\S.*\s\|\s+(?:\d+ ?[+-]*|Bin\b.*)$/;
const DIFFSTAT_SUMMARY = /^\s*\d+ files? changed\b/;

/** A 0-based, end-exclusive range of patch lines holding one mail (or a bare diff). */
export interface MailSegment {
  readonly start: number;
  readonly end: number;
}

interface Header {
  readonly value: string;
  readonly line: number;
}

/** True for a line that starts a new mail in an mbox or a format-patch series. */
export function isMailSeparator(line: string): boolean {
  return GIT_MAIL_SEPARATOR.test(line) || MBOX_SEPARATOR.test(line);
}

/** Splits the lines at mail separators; text before the first separator is a segment too. */
export function splitMailSegments(lines: readonly string[]): MailSegment[] {
  const starts: number[] = [];
  lines.forEach((line, index) => {
    if (isMailSeparator(line)) starts.push(index);
  });
  if (starts[0] !== 0) starts.unshift(0);
  return starts.map((start, k) => ({
    start,
    end: k + 1 < starts.length ? starts[k + 1] : lines.length,
  }));
}

/** What reading the head of a segment found. */
export interface MailRead {
  /** The mail, or undefined when the segment has no mail framing (a bare diff). */
  readonly mail: PatchMail | undefined;
  readonly problems: PatchProblem[];
}

/**
 * Reads the headers and commit message of a segment. A segment with neither a separator nor
 * a Subject or From header is a bare diff and yields no mail.
 */
export function readMail(lines: readonly string[], segment: MailSegment): MailRead {
  const { start, end } = segment;
  const separated = isMailSeparator(lines[start] ?? '');
  const headers = new Map<string, Header>();
  let next = readHeaderBlock(lines, separated ? start + 1 : start, end, headers);
  if (!headers.has('subject') && !headers.has('from')) {
    // A mail archive shows the subject as a bare first line, with From/Date after it.
    const first = skipBlankLines(lines, next, end);
    if (first < end && BARE_SUBJECT.test(lines[first])) {
      headers.set('subject', { value: lines[first].trim(), line: first + 1 });
      next = readHeaderBlock(lines, skipBlankLines(lines, first + 1, end), end, headers);
    }
  }
  if (!separated && !headers.has('subject') && !headers.has('from')) {
    return { mail: undefined, problems: [] };
  }

  const mail: PatchMail = {
    startLine: start + 1,
    endLine: end,
    subject: headerValue(headers, 'subject'),
    from: headerValue(headers, 'from'),
    date: headerValue(headers, 'date'),
    messageLines: readMessage(lines, skipBlankLines(lines, next, end), end),
  };
  return { mail, problems: checkEncoding(headers) };
}

function readHeaderBlock(
  lines: readonly string[],
  from: number,
  end: number,
  out: Map<string, Header>,
): number {
  let index = from;
  let last: string | undefined;
  for (; index < end; index++) {
    const line = lines[index];
    const previous = last === undefined ? undefined : out.get(last);
    if (last !== undefined && previous && CONTINUATION.test(line)) {
      // A folded header continues on lines that start with whitespace (RFC 5322 §2.2.3).
      out.set(last, { value: `${previous.value} ${line.trim()}`, line: previous.line });
      continue;
    }
    const match = HEADER.exec(line);
    if (!match) break;
    last = match[1].toLowerCase();
    if (!out.has(last)) out.set(last, { value: match[2], line: index + 1 });
  }
  return index;
}

function readMessage(lines: readonly string[], from: number, end: number): PatchTextLine[] {
  const message: PatchTextLine[] = [];
  for (let index = from; index < end; index++) {
    const line = lines[index];
    if (line === '---' || startsDiff(lines, index) || isDiffstat(line)) break;
    message.push({ patchLine: index + 1, text: line });
  }
  while (message.length > 0 && message[message.length - 1].text.trim() === '') message.pop();
  return message;
}

function startsDiff(lines: readonly string[], index: number): boolean {
  const line = lines[index];
  if (line.startsWith('diff ') || line.startsWith('Index: ')) return true;
  return line.startsWith('--- ') && (lines[index + 1] ?? '').startsWith('+++ ');
}

function isDiffstat(line: string): boolean {
  return DIFFSTAT.test(line) || DIFFSTAT_SUMMARY.test(line);
}

function skipBlankLines(lines: readonly string[], from: number, end: number): number {
  let index = from;
  while (index < end && lines[index].trim() === '') index++;
  return index;
}

function headerValue(headers: Map<string, Header>, name: string): string {
  const header = headers.get(name);
  return header ? decodeEncodedWords(header.value.trim()) : '';
}

/** Flags transfer encodings that change the diff text; `git am` decodes them, rcu-lens does not. */
function checkEncoding(headers: Map<string, Header>): PatchProblem[] {
  const encoding = headers.get('content-transfer-encoding');
  if (!encoding || !/quoted-printable|base64/i.test(encoding.value)) return [];
  return [
    {
      line: encoding.line,
      message: `The mail body is ${encoding.value.trim()} encoded, so its diff lines are not the patch; save the decoded mail (as git am would) and review that.`,
    },
  ];
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?q?R=C3=B3bert?=`) in a header value. */
export function decodeEncodedWords(value: string): string {
  // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(
      /=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g,
      (word, charset: string, kind: string, data: string) =>
        decodeWord(charset, kind, data) ?? word,
    );
}

function decodeWord(charset: string, kind: string, data: string): string | undefined {
  const bytes =
    kind.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64')
      : Buffer.from(
          data
            .replace(/_/g, ' ')
            .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
              String.fromCharCode(parseInt(hex, 16)),
            ),
          'latin1',
        );
  try {
    return new TextDecoder(charset.split('*')[0]).decode(bytes);
  } catch {
    return undefined;
  }
}
