/**
 * Code actions for rcu-lens diagnostics: the rule's own fixes (the safe one preferred), then
 * the suppression comments. Fixes were computed with the findings, for the analysed version;
 * if the document has moved on since, only suppressions are offered.
 */
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';

import type { Finding, Fix, Range } from '../rules/types';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import type { DiagnosticData } from './protocol';
import type { AnalysisSession, DocumentState } from './session';
import { suppressionActions } from './suppression';

/** Answers textDocument/codeAction. */
export async function onCodeAction(
  session: AnalysisSession,
  documents: TextDocuments<TextDocument>,
  params: CodeActionParams,
): Promise<CodeAction[]> {
  if (
    params.context.only &&
    !params.context.only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))
  )
    return [];
  const uri = params.textDocument.uri;
  const document = documents.get(uri);
  const state = document ? await session.current(document) : undefined;
  if (!state || !document) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== undefined && diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const finding = findFinding(state, diagnostic);
    if (!finding) continue;
    actions.push(...finding.fixes.map((fix) => fixAction(uri, fix, diagnostic)));
    if (state.kind === 'c' && state.report)
      actions.push(
        ...suppressionActions(uri, document.getText(), finding, state.report.functions, diagnostic),
      );
  }
  // The preferred fix first, so "auto fix" and a quick Enter pick it.
  return actions.sort((a, b) => Number(b.isPreferred ?? false) - Number(a.isPreferred ?? false));
}

function fixAction(uri: string, fix: Fix, diagnostic: Diagnostic): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.preferred,
    edit: {
      changes: { [uri]: fix.edits.map((edit) => ({ range: edit.range, newText: edit.newText })) },
    },
  };
}

/**
 * The finding behind a diagnostic: through its `data` when that still matches, else by rule
 * and range (clients such as Neovim 0.7 rebuild diagnostics and may drop `data`).
 */
export function findFinding(state: DocumentState, diagnostic: Diagnostic): Finding | undefined {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  if (data && data.version === state.version && typeof data.index === 'number') {
    const finding = state.findings[data.index];
    if (finding && finding.rule === data.rule && sameRange(finding.range, diagnostic.range))
      return finding;
  }
  return state.findings.find(
    (f) => !f.suppressed && f.rule === diagnostic.code && sameRange(f.range, diagnostic.range),
  );
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
