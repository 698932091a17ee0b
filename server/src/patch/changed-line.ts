/**
 * Where on the patch to report a finding the patch introduced on a line it did not add: the
 * changed line, added or removed, nearest to the finding, in the hunk that holds the
 * finding's line or else the hunk nearest to it. A walk left bare by a removed
 * `rcu_read_lock()` is reported on the `-` line that removed the reader, which is where a
 * reviewer of the patch has to look.
 */
import type { Hunk, HunkLine, PatchLineMap } from './model';

interface Placed {
  readonly line: HunkLine;
  /** Position in the new text; a removed line sits half a line after the line before it. */
  readonly at: number;
}

/**
 * The changed line of `hunks` nearest to `line` (1-based, in the analysed new text), or
 * undefined when the hunks change nothing that can be placed. Ties go to the earlier line.
 */
export function nearestChangedLine(
  line: number,
  hunks: readonly Hunk[],
  map: PatchLineMap,
): HunkLine | undefined {
  let best: { hunk: Placed[]; distance: number } | undefined;
  for (const hunk of hunks) {
    const placed = placeHunkLines(hunk, map);
    if (!placed.some((p) => p.line.kind !== ' ')) continue;
    const distance = Math.max(0, placed[0].at - line, line - placed[placed.length - 1].at);
    if (!best || distance < best.distance) best = { hunk: placed, distance };
  }
  let nearest: Placed | undefined;
  for (const candidate of best?.hunk ?? []) {
    if (candidate.line.kind === ' ') continue;
    if (!nearest || Math.abs(candidate.at - line) < Math.abs(nearest.at - line))
      nearest = candidate;
  }
  return nearest?.line;
}

/** The hunk's lines with their positions in the new text; lines that have none are left out. */
function placeHunkLines(hunk: Hunk, map: PatchLineMap): Placed[] {
  const placed: Placed[] = [];
  const pendingRemoved: HunkLine[] = [];
  let previous: number | undefined;
  for (const line of hunk.lines) {
    if (line.kind === '-') {
      if (previous === undefined) pendingRemoved.push(line);
      else placed.push({ line, at: previous + 0.5 });
      continue;
    }
    const at = map.fromPatchLine.get(line.patchLine);
    if (at === undefined) continue;
    // Removed lines at the top of the hunk sit just before its first line that is kept.
    placed.push(...pendingRemoved.splice(0).map((removed) => ({ line: removed, at: at - 0.5 })));
    placed.push({ line, at });
    previous = at;
  }
  // A hunk without context (`diff -U0`) that only removes lines keeps none: its header says
  // where they were, right after new line `newStart`.
  return [
    ...placed,
    ...pendingRemoved.map((removed) => ({ line: removed, at: hunk.newStart + 0.5 })),
  ];
}
