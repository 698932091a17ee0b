/**
 * Builds analysable C from hunks alone, for reviewing a patch without the tree it applies to.
 * Each hunk contributes one side: the new side (context and added lines) for what the patch
 * produces, the old side (context and removed lines) for what it replaces. A hunk that starts
 * inside a function gets that function's header back from its `@@` section heading, or a
 * made-up header when the heading names none (`diff -u` without `-p` writes no heading), and
 * every fragment is closed off, so the analyser sees whole functions instead of stray
 * statements. Comment
 * lines whose opener lies outside the hunk (` * text` lines) are fenced back into a comment,
 * so their words are not read as code.
 */
import { functionHeaderOf, scanBraceShape, startsInsideBody } from './c-shape';
import {
  filePatchPath,
  type FilePatch,
  type Hunk,
  type HunkLine,
  type PatchLineMap,
  type PatchSet,
} from './model';

/** The part of the reconstructed text that one hunk produced. */
export interface Fragment {
  readonly hunk: Hunk;
  /** First and last line of the fragment in the reconstructed text, synthetic lines included. */
  readonly startLine: number;
  readonly endLine: number;
  /** The function header written before the hunk's lines, when it was wrapped in one. */
  readonly wrappedIn?: string;
}

/** Analysable text rebuilt from one file's hunks, with its map back to the patch. */
export interface Reconstruction extends PatchLineMap {
  readonly path: string;
  readonly side: PatchSide;
  readonly text: string;
  readonly fragments: readonly Fragment[];
  /** Lines that are not in the patch (headers, braces, comment fences); they map to the hunk header. */
  readonly syntheticLines: ReadonlySet<number>;
}

/** Which side of the hunks to rebuild: after the patch, or before it. */
export type PatchSide = 'new' | 'old';

interface Builder {
  readonly out: string[];
  readonly toPatchLine: Map<number, number>;
  readonly fromPatchLine: Map<number, number>;
  readonly syntheticLines: Set<number>;
}

/** Rebuilds the new side of every text file in the set; deleted and binary files have none. */
export function reconstructPatch(set: PatchSet): Reconstruction[] {
  return set.files
    .filter((file) => file.status !== 'deleted' && !file.binary)
    .map((file) => reconstructFile(file));
}

/** Rebuilds one side of one file from its hunks: the new side unless told otherwise. */
export function reconstructFile(file: FilePatch, side: PatchSide = 'new'): Reconstruction {
  const builder: Builder = {
    out: [],
    toPatchLine: new Map(),
    fromPatchLine: new Map(),
    syntheticLines: new Set(),
  };
  const fragments = file.hunks.map((hunk) => addFragment(builder, hunk, side));
  const text = builder.out.length > 0 ? `${builder.out.join('\n')}\n` : '';
  return {
    path: filePatchPath(file),
    side,
    text,
    fragments,
    toPatchLine: builder.toPatchLine,
    fromPatchLine: builder.fromPatchLine,
    syntheticLines: builder.syntheticLines,
  };
}

function addFragment(builder: Builder, hunk: Hunk, side: PatchSide): Fragment {
  const dropped = side === 'new' ? '-' : '+';
  const lines = hunk.lines.filter((line) => line.kind !== dropped);
  const texts = lines.map((line) => line.text);
  const shape = scanBraceShape(texts);
  const header = functionHeaderOf(hunk.sectionHeading) ?? madeUpHeader(hunk);
  const wrap = !containsHeading(texts, hunk.sectionHeading) && startsInsideBody(texts);
  const startLine = builder.out.length + 1;

  if (wrap) addSynthetic(builder, `${header} {`, hunk);
  const fences = new Set(shape.commentOpenBefore);
  lines.forEach((line, index) => {
    if (fences.has(index)) addSynthetic(builder, '/*', hunk);
    addPatchLine(builder, line);
  });
  if (shape.endsInComment) addSynthetic(builder, ' */', hunk);
  const unclosed = (wrap ? 1 : 0) + shape.finalDepth;
  for (let k = 0; k < unclosed; k++) addSynthetic(builder, '}', hunk);

  const fragment = { hunk, startLine, endLine: builder.out.length };
  return wrap ? { ...fragment, wrappedIn: header } : fragment;
}

/**
 * A header for a hunk inside a function its heading does not name. The name depends only on
 * the hunk, so both sides of the hunk get the same one and their findings can be compared.
 */
function madeUpHeader(hunk: Hunk): string {
  return `void hunk_at_patch_line_${hunk.headerLine}(void)`;
}

/** True when the hunk itself shows the function header, so wrapping would repeat it. */
function containsHeading(texts: readonly string[], heading: string): boolean {
  const wanted = heading.trim();
  return wanted !== '' && texts.some((text) => text.trim() !== '' && text.startsWith(wanted));
}

function addSynthetic(builder: Builder, text: string, hunk: Hunk): void {
  builder.out.push(text);
  builder.toPatchLine.set(builder.out.length, hunk.headerLine);
  builder.syntheticLines.add(builder.out.length);
}

function addPatchLine(builder: Builder, line: HunkLine): void {
  builder.out.push(line.text);
  builder.toPatchLine.set(builder.out.length, line.patchLine);
  builder.fromPatchLine.set(line.patchLine, builder.out.length);
}
