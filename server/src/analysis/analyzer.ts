/**
 * The engine every front end uses: text in, findings, sites and function contexts out.
 *
 * Analysis runs in two steps so callers in other files count: `prepare` reads facts and runs
 * the flow for each file and feeds a ProjectIndex; `report` runs the rules against it. For a
 * single file, `analyzeText` does both.
 */
import type { Parser } from 'web-tree-sitter';

import { findRule, type RuleId } from '../rules/catalogue';
import { ALL_RULES } from '../rules/index';
import type { FindingDraft, RuleContext, RuleOptions } from '../rules/rule';
import type { Finding, Range, Related, Severity } from '../rules/types';
import { readFacts } from '../facts/read';
import { getParser } from '../parsing/parser';
import type { LineIndex, Span } from '../parsing/text';
import {
  describeContext,
  type FunctionSummary,
  type SiteSummary,
  summarizeFunction,
  summarizeSite,
} from './summaries';
import { analyzeFacts, type FileAnalysis } from './file-analysis';
import { ProjectIndex } from './project';
import { DEFAULT_SETTINGS, sleepingCallSet, type AnalysisSettings } from './settings';
import { Suppressions } from './suppressions';

export interface FileReport {
  readonly file: string;
  readonly findings: readonly Finding[];
  readonly sites: readonly SiteSummary[];
  readonly functions: readonly FunctionSummary[];
  /** Number of ERROR nodes: parts of the file the parser had to recover from. */
  readonly parseErrors: number;
}

export { describeContext };

export class Analyzer {
  private readonly ruleOptions: RuleOptions;

  private constructor(
    private readonly parser: Parser,
    readonly settings: AnalysisSettings,
  ) {
    this.ruleOptions = { sleepingCalls: sleepingCallSet(settings) };
  }

  /** Loads the parser (once per process) and returns an analyzer with these settings. */
  static async create(settings: AnalysisSettings = DEFAULT_SETTINGS): Promise<Analyzer> {
    return new Analyzer(await getParser(), settings);
  }

  /** Same parser, other settings. */
  withSettings(settings: AnalysisSettings): Analyzer {
    return new Analyzer(this.parser, settings);
  }

  /** Step one: facts, contexts and flow of one file. */
  prepare(file: string, text: string): FileAnalysis {
    const facts = readFacts(this.parser, file, text);
    return analyzeFacts(facts, text, {
      realModeFunctions: this.settings.realModeFunctions,
      realModePaths: this.settings.realModePaths,
    });
  }

  /** Step two: the rules, against callers recorded in `project`. */
  report(analysis: FileAnalysis, project: ProjectIndex): FileReport {
    const file = analysis.facts.file;
    const suppressions = new Suppressions(analysis.facts, analysis.lines);
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const rule of ALL_RULES) {
      const severity = this.severityOf(rule.id);
      if (severity === 'off') continue;
      const context: RuleContext = {
        analysis,
        project,
        options: this.ruleOptions,
        report: (draft) => {
          const key = `${rule.id}:${draft.at.start}`;
          if (seen.has(key)) return;
          seen.add(key);
          findings.push(toFinding(rule.id, severity, draft, analysis.lines, file, suppressions));
        },
      };
      rule.check(context);
    }
    findings.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
    return {
      file,
      findings,
      sites: analysis.sites.map((s) => summarizeSite(s, analysis.lines)),
      functions: analysis.functions.map((f) => summarizeFunction(f, analysis.lines)),
      parseErrors: analysis.facts.errorCount,
    };
  }

  /** Analyses one file on its own (callers in other files are not seen). */
  analyzeText(file: string, text: string, project: ProjectIndex = new ProjectIndex()): FileReport {
    const analysis = this.prepare(file, text);
    project.add(analysis);
    return this.report(analysis, project);
  }

  private severityOf(id: RuleId): Severity | 'off' {
    return this.settings.severity[id] ?? findRule(id)?.severity ?? 'warning';
  }
}

function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

function toFinding(
  rule: RuleId,
  severity: Severity,
  draft: FindingDraft,
  lines: LineIndex,
  file: string,
  suppressions: Suppressions,
): Finding {
  const related: Related[] = (draft.related ?? []).flatMap((r) => {
    if (r.span) return [{ file, range: toRange(lines, r.span), message: r.message }];
    if (r.elsewhere) {
      const at = { line: r.elsewhere.line, character: r.elsewhere.character };
      return [{ file: r.elsewhere.file, range: { start: at, end: at }, message: r.message }];
    }
    return [];
  });
  const range = toRange(lines, draft.at);
  return {
    rule,
    severity,
    message: draft.message,
    file,
    span: draft.at,
    range,
    related,
    fixes: (draft.fixes ?? []).map((f) => ({
      title: f.title,
      preferred: f.preferred ?? false,
      edits: [...f.edits]
        .sort((a, b) => a.span.start - b.span.start)
        .map((e) => ({ span: e.span, range: toRange(lines, e.span), newText: e.newText })),
    })),
    causes: draft.causes ?? [],
    explanation: draft.explanation,
    suppressed: suppressions.isSuppressed(rule, draft.at.start, range.start.line),
  };
}
