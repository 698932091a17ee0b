/** Applies text edits (non-overlapping, any order) to a text. */
export function applyEdits(
  text: string,
  edits: readonly { span: { start: number; end: number }; newText: string }[],
): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start))
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}
