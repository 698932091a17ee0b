/**
 * Compiler-style output, `path:line:col: severity: message [rule-id]`, so the error parsers
 * of editors and CI read it unchanged. The form is the one the GNU Coding Standards set for
 * error messages (https://www.gnu.org/prep/standards/html_node/Errors.html), as gcc prints it.
 */
import { compilerSeverity, placeFindings, type FileFindings } from './findings';

/** Formats findings one per line with 1-based lines and columns; suppressed ones are left out. */
export function formatGcc(reports: readonly FileFindings[]): string {
  return placeFindings(reports)
    .map(({ file, finding }) => {
      const { line, character } = finding.range.start;
      return `${file}:${line + 1}:${character + 1}: ${compilerSeverity(finding.severity)}: ${finding.message} [${finding.rule}]\n`;
    })
    .join('');
}
