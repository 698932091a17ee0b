/**
 * Source text and positions.
 *
 * web-tree-sitter indexes a JavaScript string in UTF-16 code units, which is also what LSP
 * positions count. Every offset in rcu-lens is such an index into the decoded text, and this
 * module is the one place that turns offsets into lines and characters and back.
 */

/** A half-open range of UTF-16 offsets into a document's text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A zero-based line and UTF-16 character, as LSP counts them. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/** Maps offsets to positions for one text; build once per document version. */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  /** Number of lines, counting a final line without a newline. */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Converts an offset to a zero-based line and character. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  /** Converts a zero-based line and character to an offset, clamped to the text. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const end = this.lineEnd(position.line);
    return Math.min(start + Math.max(0, position.character), end);
  }

  /** Offset of the first character of a zero-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** Offset just before the line break (CR LF or LF) that ends a zero-based line. */
  lineEnd(line: number): number {
    const next =
      line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
    return next > 0 && this.text.charCodeAt(next - 1) === 13 && next - 1 >= this.lineStart(line)
      ? next - 1
      : next;
  }

  /** The text of a zero-based line without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** Zero-based line of an offset. */
  lineOf(offset: number): number {
    return this.positionAt(offset).line;
  }
}

/** The line break a document mostly uses, so edits can follow it. */
export function detectEol(text: string): '\n' | '\r\n' {
  const lf = text.indexOf('\n');
  return lf > 0 && text.charCodeAt(lf - 1) === 13 ? '\r\n' : '\n';
}

/** What decoding a file's bytes found. */
export interface DecodedText {
  text: string;
  /** Byte offset of the first invalid UTF-8 sequence, if there is one. */
  invalidUtf8At?: number;
  /** True when the bytes look binary (a NUL byte early in the file). */
  binary: boolean;
}

const BINARY_PROBE_BYTES = 8192;

/** Decodes file bytes as UTF-8, replacing invalid sequences and noting where the first was. */
export function decodeSource(bytes: Uint8Array): DecodedText {
  const probe = bytes.subarray(0, BINARY_PROBE_BYTES);
  if (probe.includes(0)) return { text: '', binary: true };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), binary: false };
  } catch {
    return {
      text: new TextDecoder('utf-8').decode(bytes),
      invalidUtf8At: findInvalidUtf8(bytes),
      binary: false,
    };
  }
}

function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b < 0xe0
          ? 1
          : b >= 0xe0 && b < 0xf0
            ? 2
            : b >= 0xf0 && b < 0xf5
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

/** Returns a span; a small helper so call sites read as data. */
export function span(start: number, end: number): Span {
  return { start, end };
}

/** True when the two spans overlap or one contains the other. */
export function spansOverlap(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** True when `inner` lies within `outer`. */
export function spanContains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}
