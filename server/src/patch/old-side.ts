/**
 * The text a patch replaces. Review analyses it beside the text the patch produces, so that
 * it reports the findings a patch introduces and not the ones it inherits. With the tree this
 * is the original file; without it, the old side of the hunks (context and removed lines),
 * rebuilt the same way as the new side. Either way it comes with a map from each line of the
 * new text to the line it was before the patch.
 */
import type { ApplyResult } from './apply';
import type { FilePatch } from './model';
import { reconstructFile, type Fragment, type Reconstruction } from './reconstruct';

/** The old text of one file and where the new text's lines were in it. */
export interface OldSide {
  /** Empty for a file the patch adds. */
  readonly text: string;
  /** New line to old line (1-based) for every line the patch kept; added lines have none. */
  readonly newToOld: ReadonlyMap<number, number>;
}

/** The old side of a file patched in the tree: the original text as it was read. */
export function oldSideOfTree(original: string | undefined, applied: ApplyResult): OldSide {
  return { text: original ?? '', newToOld: applied.newToOld };
}

/** The old side rebuilt from the hunks, paired line by line with the rebuilt new side. */
export function oldSideOfHunks(file: FilePatch, rebuilt: Reconstruction): OldSide {
  const old = reconstructFile(file, 'old');
  return { text: old.text, newToOld: pairLines(rebuilt, old) };
}

/**
 * Context lines pair through their patch line: it is the only kind that maps into both
 * texts. Synthetic lines pair by their place in the hunk's fragment.
 */
function pairLines(after: Reconstruction, before: Reconstruction): Map<number, number> {
  const pairs = new Map<number, number>();
  for (const [line, patchLine] of after.toPatchLine) {
    if (after.syntheticLines.has(line)) continue;
    const old = before.fromPatchLine.get(patchLine);
    if (old !== undefined) pairs.set(line, old);
  }
  after.fragments.forEach((fragment, index) =>
    pairSynthetic(fragment, before.fragments[index], after, before, pairs),
  );
  return pairs;
}

/** Pairs the made-up header of a wrapped fragment and the braces that close it off. */
function pairSynthetic(
  after: Fragment,
  before: Fragment | undefined,
  afterText: Reconstruction,
  beforeText: Reconstruction,
  pairs: Map<number, number>,
): void {
  if (!before) return;
  if (after.wrappedIn !== undefined && after.wrappedIn === before.wrappedIn)
    pairs.set(after.startLine, before.startLine);
  for (
    let back = 0;
    after.endLine - back > after.startLine && before.endLine - back > before.startLine;
    back++
  ) {
    const [line, old] = [after.endLine - back, before.endLine - back];
    if (!afterText.syntheticLines.has(line) || !beforeText.syntheticLines.has(old)) break;
    pairs.set(line, old);
  }
}
