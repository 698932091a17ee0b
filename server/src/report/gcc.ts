/**
 * Compiler-style output, `path:line:col: severity: message [rule-id]`, so the error parsers
 * of editors and CI read it unchanged. The form is the one the GNU Coding Standards set for
 * error messages (https://www.gnu.org/prep/standards/html_node/Errors.html), as gcc prints it.
 *
 * A finding's related information follows it as `path:line:col: note: message` lines, the
 * way gcc follows a diagnostic with "in expansion of macro" or "previous declaration" notes;
 * editors' gcc problem matchers take each note as a location of its own.
 */
import type { Related } from '../rules/types';
import { compilerSeverity, placeFindings, type FileFindings, type PlacedFinding } from './findings';

export interface GccOptions {
  /** Print each finding's related information as `note:` lines after it; on by default. */
  readonly related?: boolean;
}

/**
 * Formats findings one per line with 1-based lines and columns, each followed by its related
 * notes unless `related` is false; suppressed findings are left out.
 */
export function formatGcc(reports: readonly FileFindings[], options: GccOptions = {}): string {
  const withRelated = options.related ?? true;
  return placeFindings(reports)
    .map((placed) => {
      const notes = withRelated
        ? placed.finding.related.map((related) => formatNote(placed, related))
        : [];
      return [formatFinding(placed), ...notes].join('');
    })
    .join('');
}

function formatFinding({ file, finding }: PlacedFinding): string {
  const { line, character } = finding.range.start;
  return `${file}:${line + 1}:${character + 1}: ${compilerSeverity(finding.severity)}: ${finding.message} [${finding.rule}]\n`;
}

/** A related item in the finding's own file is printed under the path the finding is printed with. */
function formatNote({ file, finding }: PlacedFinding, related: Related): string {
  const path = related.file === finding.file ? file : related.file;
  const { line, character } = related.range.start;
  return `${path}:${line + 1}:${character + 1}: note: ${oneLine(related.message)}\n`;
}

/** A note must stay on its line, or error parsers read the rest as a new message. */
function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ');
}
