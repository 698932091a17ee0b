/**
 * Prints the generated part of docs/rules.md from the rule catalogue, so the page and the
 * catalogue cannot drift: `npx tsx scripts/rules-doc.ts > /tmp/x` and compare, or let
 * test/unit/rules-doc.test.ts do it.
 */
import { kernelDocUrl, RULES } from '../server/src/rules/catalogue';

/** The catalogue table and one section per rule, as Markdown. */
export function renderRulesReference(): string {
  const lines = ['| rule | default | fires when |', '|---|---|---|'];
  for (const r of RULES) lines.push(`| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${r.summary} |`);
  lines.push('');
  for (const r of RULES) {
    lines.push(
      `## ${r.id}`,
      '',
      `**Default severity:** ${r.severity}`,
      '',
      r.summary,
      '',
      `**Fix:** ${r.fix}`,
      '',
    );
    lines.push(
      `**Kernel documentation:** ${r.kernelDocs.map((d) => `[${d}](${kernelDocUrl(d)})`).join(', ')}`,
      '',
    );
  }
  return lines.join('\n');
}

if (require.main === module) process.stdout.write(renderRulesReference());
