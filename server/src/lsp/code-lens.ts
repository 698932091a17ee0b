/**
 * Code lenses on functions that do not run in plain process context: "real mode, via
 * kvmppc_rm_h_bind_win" above the definition. The lens runs `rcuLens.showContext`, which the
 * client implements: a quick pick of the evidence chain that jumps to each step.
 */
import type { CodeLens, CodeLensParams, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';

import type { FunctionSummary } from '../analysis/summaries';
import { SHOW_CONTEXT_COMMAND, type ContextAtParams, type ShowContextArgs } from './protocol';
import type { AnalysisSession } from './session';
import { rangeContains } from './words';

/** Answers textDocument/codeLens. */
export async function onCodeLens(
  session: AnalysisSession,
  documents: TextDocuments<TextDocument>,
  params: CodeLensParams,
): Promise<CodeLens[]> {
  const document = documents.get(params.textDocument.uri);
  const state = document ? await session.current(document) : undefined;
  if (!state?.report) return [];
  return state.report.functions
    .filter((fn) => fn.context !== 'process')
    .map((fn) => ({
      range: fn.nameRange,
      command: {
        title: fn.label,
        command: SHOW_CONTEXT_COMMAND,
        arguments: [contextArgs(state.uri, fn)],
      },
    }));
}

/** Answers rcuLens/contextAt: the context of the function at (or named at) a position. */
export async function onContextAt(
  session: AnalysisSession,
  documents: TextDocuments<TextDocument>,
  params: ContextAtParams,
): Promise<ShowContextArgs | null> {
  const document = documents.get(params.textDocument.uri);
  const state = document ? await session.current(document) : undefined;
  if (!state?.report || !state.analysis) return null;
  const offset = state.analysis.lines.offsetAt(params.position);
  const fn =
    state.report.functions.find((f) => rangeContains(f.nameRange, params.position)) ??
    state.report.functions.find((f) => f.span.start <= offset && offset < f.span.end);
  return fn ? contextArgs(state.uri, fn) : null;
}

/** The command argument for one function: its label and its evidence, root first. */
export function contextArgs(uri: string, fn: FunctionSummary): ShowContextArgs {
  const steps = fn.evidence.map((e) => ({
    message: e.message,
    uri: e.range ? uri : undefined,
    range: e.range,
  }));
  const duty = fn.duty ? [{ message: `callers' duty: ${fn.duty}` }] : [];
  return {
    uri,
    function: fn.name,
    label: fn.label,
    evidence: [
      ...steps,
      ...duty,
      { message: `${fn.name}() is defined here`, uri, range: fn.nameRange },
    ],
  };
}
