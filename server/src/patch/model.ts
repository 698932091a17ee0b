/**
 * The shape of a parsed patch. Every line keeps its 1-based line number in the patch file
 * itself, because patch review reports findings, and damage, on lines of that file.
 */

/** Something wrong with the patch text: where (1-based patch line) and what. */
export interface PatchProblem {
  readonly line: number;
  readonly message: string;
}

/** A line of the patch file that is not part of a hunk, such as a commit-message line. */
export interface PatchTextLine {
  readonly patchLine: number;
  readonly text: string;
}

/** One mail of a `git format-patch` series or an mbox. */
export interface PatchMail {
  /** The first line of the mail: its `From ` separator or its first header. */
  readonly startLine: number;
  /** The last line of the mail, inclusive. */
  readonly endLine: number;
  readonly subject: string;
  readonly from: string;
  readonly date: string;
  /** The commit message: the body up to the `---` line or the first diff. */
  readonly messageLines: readonly PatchTextLine[];
}

export type HunkLineKind = ' ' | '+' | '-';

export interface HunkLine {
  readonly kind: HunkLineKind;
  /** The line without its prefix and without its line break. */
  readonly text: string;
  readonly patchLine: number;
  /** Set when a `\ No newline at end of file` marker follows this line. */
  readonly noNewlineAtEnd?: boolean;
}

export interface Hunk {
  /** Patch line of the `@@ ... @@` header. */
  readonly headerLine: number;
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  /** Text after the second `@@`: git puts the enclosing function there. */
  readonly sectionHeading: string;
  readonly lines: readonly HunkLine[];
  /** True when the hunk had to be repaired or is incomplete; `problems` says how. */
  readonly damaged: boolean;
}

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied';

/** The path `/dev/null` that diffs use for the missing side of an added or deleted file. */
export const DEV_NULL = '/dev/null';

export interface FilePatch {
  /** Patch line of `diff --git`, or of `---` for a diff without git headers. */
  readonly headerLine: number;
  /** Old path with the `a/` prefix stripped; `/dev/null` for an added file. */
  readonly oldPath: string;
  /** New path with the `b/` prefix stripped; `/dev/null` for a deleted file. */
  readonly newPath: string;
  readonly status: FileStatus;
  readonly hunks: readonly Hunk[];
  /** True for a binary change, whose content rcu-lens does not read. */
  readonly binary: boolean;
  /** Index into `PatchSet.mails` of the mail carrying this file, if any. */
  readonly mail?: number;
  /** Percentage from `similarity index` for renames and copies. */
  readonly similarity?: number;
}

export interface PatchSet {
  readonly mails: readonly PatchMail[];
  readonly files: readonly FilePatch[];
  readonly problems: readonly PatchProblem[];
  /** True when the patch text itself used CR LF line breaks (they are stripped from lines). */
  readonly crlf: boolean;
  /** Number of lines in the patch text. */
  readonly lineCount: number;
}

/** The path that names a file patch: the new path, or the old one for a deletion. */
export function filePatchPath(file: FilePatch): string {
  return file.status === 'deleted' ? file.oldPath : file.newPath;
}

/** Indexes every hunk line of a patch set by its patch line. */
export function indexHunkLines(set: PatchSet): Map<number, HunkLine> {
  const byLine = new Map<number, HunkLine>();
  for (const file of set.files) {
    for (const hunk of file.hunks) {
      for (const line of hunk.lines) byLine.set(line.patchLine, line);
    }
  }
  return byLine;
}

/** Two-way line map between an analysable text and the patch it came from (1-based lines). */
export interface PatchLineMap {
  /** Text line to patch line, for lines that come from the patch. */
  readonly toPatchLine: ReadonlyMap<number, number>;
  /** Patch line of an added or context line to its line in the text. */
  readonly fromPatchLine: ReadonlyMap<number, number>;
}
