/**
 * Line access for the patch readers. Lines are 0-based here and reported 1-based; a view can
 * strip a reply's `> ` quoting so a patch quoted in a review mail reads like the original.
 */

/** Splits patch text into lines without their breaks; notes whether it used CR LF. */
export function splitPatchLines(text: string): { lines: string[]; crlf: boolean } {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const broken = text.endsWith('\n') ? lines.length : lines.length - 1;
  let withCr = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].endsWith('\r')) {
      if (i < broken) withCr++;
      lines[i] = lines[i].slice(0, -1);
    }
  }
  return { lines, crlf: broken > 0 && withCr === broken };
}

const QUOTE_PREFIX = /^(?:>[ \t]?)+/;

/** The reply quoting (`> `, `> > `) in front of a line, or '' when it has none. */
export function quotePrefixOf(line: string): string {
  return QUOTE_PREFIX.exec(line)?.[0] ?? '';
}

/** A window on the patch lines, with an optional quote prefix stripped from each. */
export class PatchLines {
  constructor(
    readonly lines: readonly string[],
    readonly end: number = lines.length,
    readonly quote: string = '',
  ) {}

  /**
   * The text of 0-based line `index` without the quote prefix; undefined past the end, and
   * where a quoted patch stops carrying its prefix (the quoted block has ended).
   */
  text(index: number): string | undefined {
    if (index < 0 || index >= this.end) return undefined;
    const line = this.lines[index];
    if (this.quote === '') return line;
    if (line.startsWith(this.quote)) return line.slice(this.quote.length);
    // Mailers strip the trailing space of "> " on a quoted empty line.
    return line.trimEnd() === this.quote.trimEnd() ? '' : undefined;
  }

  /** The same window read through another quote prefix. */
  withQuote(quote: string): PatchLines {
    return quote === this.quote ? this : new PatchLines(this.lines, this.end, quote);
  }

  /** The same lines limited to end before 0-based line `end`. */
  until(end: number): PatchLines {
    return new PatchLines(this.lines, Math.min(end, this.lines.length), this.quote);
  }
}
