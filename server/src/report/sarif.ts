/**
 * SARIF 2.1.0 output for code-scanning services and SARIF viewers
 * (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html). The log is a plain
 * object typed by @types/sarif: a builder library would add a dependency for a few fields.
 * Rule metadata comes from the catalogue, so every rule is listed and `ruleIndex` is the
 * rule's place in it.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import type * as Sarif from 'sarif';

import packageJson from '../../../package.json';
import { kernelDocUrl, ruleDocUrl, RULES, type RuleInfo } from '../rules/catalogue';
import type { Finding, Range, Severity } from '../rules/types';
import { placeFindings, type FileFindings } from './findings';

const SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';

export interface SarifOptions {
  /** The folder result paths are made relative to; it becomes `%SRCROOT%`. */
  readonly root: string;
  /** Web base of docs/rules.md for rule help links; the packaged page otherwise. */
  readonly docsBase?: string;
  /** The tool version; package.json's by default. */
  readonly version?: string;
}

/** Builds a SARIF log with one run: every catalogue rule, and one result per finding. */
export function toSarifLog(reports: readonly FileFindings[], options: SarifOptions): Sarif.Log {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  const results = placeFindings(reports, true).map(({ file, finding }) =>
    toResult(file, finding, ruleIndex.get(finding.rule) ?? -1, options.root),
  );
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'rcu-lens',
        version: options.version ?? packageJson.version,
        informationUri: informationUri(),
        rules: RULES.map((rule) => toRuleDescriptor(rule, options.docsBase)),
      },
    },
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.root) } },
    columnKind: 'utf16CodeUnits',
    results,
  };
  return { $schema: SCHEMA_URI, version: '2.1.0', runs: [run] };
}

/** The log as indented JSON text with a final newline. */
export function formatSarif(reports: readonly FileFindings[], options: SarifOptions): string {
  return `${JSON.stringify(toSarifLog(reports, options), null, 2)}\n`;
}

/** SARIF's level for a severity; SARIF has no hint, so info and hint are notes. */
export function sarifLevel(severity: Severity): Sarif.ReportingConfiguration.level {
  return severity === 'error' || severity === 'warning' ? severity : 'note';
}

function toRuleDescriptor(rule: RuleInfo, docsBase: string | undefined): Sarif.ReportingDescriptor {
  const docs = rule.kernelDocs.map((doc) => ({ doc, url: kernelDocUrl(doc) }));
  return {
    id: rule.id,
    shortDescription: { text: rule.summary },
    fullDescription: {
      text: `${rule.summary} Kernel documentation: ${rule.kernelDocs.join(', ')}.`,
    },
    help: {
      text: [
        `Fix: ${rule.fix}`,
        '',
        'Kernel documentation:',
        ...docs.map(({ doc, url }) => `- ${doc} (${url})`),
      ].join('\n'),
      markdown: [
        `**Fix:** ${rule.fix}`,
        '',
        'Kernel documentation:',
        ...docs.map(({ doc, url }) => `- [${doc}](${url})`),
      ].join('\n'),
    },
    helpUri: ruleDocUrl(rule.id, docsBase),
    defaultConfiguration: { level: sarifLevel(rule.severity) },
  };
}

function toResult(file: string, finding: Finding, ruleIndex: number, root: string): Sarif.Result {
  const result: Sarif.Result = {
    ruleId: finding.rule,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: sarifLevel(finding.severity),
    message: { text: finding.message },
    locations: [toLocation(file, finding.range, root)],
  };
  if (finding.related.length > 0) {
    result.relatedLocations = finding.related.map((related, index) => ({
      id: index,
      ...toLocation(related.file === finding.file ? file : related.file, related.range, root),
      message: { text: related.message },
    }));
  }
  if (finding.fixes.length > 0) {
    result.fixes = finding.fixes.map((fix) => ({
      description: { text: fix.title },
      artifactChanges: [
        {
          artifactLocation: toArtifactLocation(file, root),
          replacements: fix.edits.map((edit) => ({
            deletedRegion: toRegion(edit.range),
            insertedContent: { text: edit.newText },
          })),
        },
      ],
    }));
  }
  if (finding.suppressed) result.suppressions = [{ kind: 'inSource' }];
  return result;
}

function toLocation(file: string, range: Range, root: string): Sarif.Location {
  return {
    physicalLocation: { artifactLocation: toArtifactLocation(file, root), region: toRegion(range) },
  };
}

/** A path under the root becomes a relative URI on `%SRCROOT%`; any other an absolute file URI. */
function toArtifactLocation(file: string, root: string): Sarif.ArtifactLocation {
  const absolute = path.resolve(root, file);
  const relative = path.relative(path.resolve(root), absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return { uri: pathToFileURL(absolute).href };
  }
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** SARIF regions are 1-based, with the end column just past the last character. */
function toRegion(range: Range): Sarif.Region {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function directoryUri(root: string): string {
  const href = pathToFileURL(path.resolve(root)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** The project page: package.json's homepage, or its repository without the git suffix. */
function informationUri(): string {
  const manifest: { homepage?: string; repository?: { url?: string } | string } = packageJson;
  if (manifest.homepage) return manifest.homepage;
  const url =
    typeof manifest.repository === 'string'
      ? manifest.repository
      : (manifest.repository?.url ?? '');
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}
