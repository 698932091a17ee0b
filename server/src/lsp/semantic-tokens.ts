/**
 * Semantic tokens for RCU code: which walks are lockdep-checked, lockless or plain, which
 * calls open and close readers, and which functions run in a restricted context. The legend
 * is documented in docs/editor.md, and package.json maps every type to TextMate scopes so
 * themes without semantic colours still show them.
 */
import {
  SemanticTokensBuilder,
  type SemanticTokens,
  type SemanticTokensLegend,
  type SemanticTokensParams,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';

import type { FileAnalysis, Site } from '../analysis/file-analysis';
import type { SiteSummary } from '../analysis/summaries';
import { BLOCKING_GRACE_PERIODS, effectsOf, READER_TOKENS } from '../catalogue/calls';
import { needsReader } from '../catalogue/primitives';
import { callEvents } from '../context/realmode';
import type { CallEvent } from '../facts/ir';
import type { Span } from '../parsing/text';
import type { AnalysisSession } from './session';

export const TOKEN_TYPES = [
  'rcuIterator',
  'rcuAccessor',
  'rcuUpdate',
  'rcuReader',
  'rcuGracePeriod',
  'rcuFunction',
] as const;
export const TOKEN_MODIFIERS = [
  'checked',
  'lockless',
  'srcu',
  'plain',
  'realMode',
  'unprotected',
] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const LEGEND: SemanticTokensLegend = {
  tokenTypes: [...TOKEN_TYPES],
  tokenModifiers: [...TOKEN_MODIFIERS],
};

/** One token before encoding. */
export interface RcuToken {
  readonly span: Span;
  readonly type: TokenType;
  readonly modifiers: readonly TokenModifier[];
}

/** Answers textDocument/semanticTokens/full. */
export async function onSemanticTokens(
  session: AnalysisSession,
  documents: TextDocuments<TextDocument>,
  params: SemanticTokensParams,
): Promise<SemanticTokens> {
  const document = documents.get(params.textDocument.uri);
  const state = document ? await session.current(document) : undefined;
  if (!state?.analysis || !state.report) return { data: [] };
  return encodeTokens(state.analysis, collectTokens(state.analysis, state.report.sites));
}

/** Every RCU token of a file, in no particular order. `summaries` are index-aligned with the sites. */
export function collectTokens(
  analysis: FileAnalysis,
  summaries: readonly SiteSummary[],
): RcuToken[] {
  const tokens = analysis.sites.flatMap((site, i) => siteToken(analysis, site, summaries[i]) ?? []);
  const siteStarts = new Set(analysis.sites.map((s) => s.event.calleeSpan.start));
  for (const fn of analysis.functions) {
    const realMode = fn.restricted ? (['realMode'] as const) : [];
    for (const event of callEvents(fn.fact)) {
      if (siteStarts.has(event.calleeSpan.start)) continue;
      const type = callType(event);
      if (type)
        tokens.push({
          span: event.calleeSpan,
          type,
          modifiers: [
            ...realMode,
            ...(/srcu/.test(event.callee) || event.guardClass === 'srcu'
              ? (['srcu'] as const)
              : []),
          ],
        });
    }
  }
  tokens.push(...functionTokens(analysis));
  return tokens;
}

function siteToken(
  analysis: FileAnalysis,
  site: Site,
  summary: SiteSummary | undefined,
): RcuToken | undefined {
  const p = site.primitive;
  const onRcuList =
    (site.headKey !== undefined && analysis.rcuHeads.has(site.headKey)) ||
    (site.memberKey !== undefined && analysis.rcuMembers.has(site.memberKey));
  // Plain list code is everywhere; only plain code on a list that RCU readers walk is of interest.
  if (p.flavor === 'plain' && !onRcuList) return undefined;
  const type: TokenType =
    p.kind === 'iterator' ? 'rcuIterator' : p.kind === 'update' ? 'rcuUpdate' : 'rcuAccessor';
  const modifiers: TokenModifier[] = [];
  if (p.flavor === 'rcu' || p.flavor === 'srcu') modifiers.push('checked');
  if (p.flavor === 'srcu') modifiers.push('srcu');
  if (p.flavor === 'lockless') modifiers.push('lockless');
  if (p.flavor === 'plain') modifiers.push('plain');
  if (site.fn.restricted) modifiers.push('realMode');
  if (needsReader(p) && !site.fn.restricted && summary?.protection === undefined)
    modifiers.push('unprotected');
  return { span: site.event.calleeSpan, type, modifiers };
}

/** Readers and grace periods, which are not list primitives. */
function callType(event: CallEvent): TokenType | undefined {
  if (event.guardClass === 'rcu' || event.guardClass === 'srcu') return 'rcuReader';
  const effects = effectsOf(
    event.callee,
    event.args.map((a) => a.text),
  );
  const reader = effects.some(
    (e) =>
      (e.kind === 'acquire' || e.kind === 'release') &&
      (READER_TOKENS.has(e.token) || e.token.startsWith('srcu:')),
  );
  if (reader) return 'rcuReader';
  if (
    BLOCKING_GRACE_PERIODS.has(event.callee) ||
    effects.some((e) => e.kind === 'grace-period' || e.kind === 'deferred-free')
  )
    return 'rcuGracePeriod';
  return undefined;
}

/** Names of functions with a non-process context or a reader duty, where defined and called. */
function functionTokens(analysis: FileAnalysis): RcuToken[] {
  const marked = new Map(
    analysis.functions
      .filter((fn) => fn.restricted || fn.atomic || fn.duty?.reader)
      .map((fn) => [fn.fact.name, fn]),
  );
  const tokens: RcuToken[] = [];
  for (const fn of marked.values())
    tokens.push({
      span: fn.fact.nameSpan,
      type: 'rcuFunction',
      modifiers: fn.restricted ? ['realMode'] : [],
    });
  for (const caller of analysis.functions) {
    for (const event of callEvents(caller.fact)) {
      const callee = marked.get(event.callee);
      if (callee && !event.loop)
        tokens.push({
          span: event.calleeSpan,
          type: 'rcuFunction',
          modifiers: callee.restricted ? ['realMode'] : [],
        });
    }
  }
  return tokens;
}

/** Sorts, drops overlaps and multi-line spans, and encodes relative to the previous token. */
export function encodeTokens(analysis: FileAnalysis, tokens: readonly RcuToken[]): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  const sorted = [...tokens].sort((a, b) => a.span.start - b.span.start);
  let lastEnd = -1;
  for (const token of sorted) {
    if (token.span.start < lastEnd || token.span.end <= token.span.start) continue;
    const start = analysis.lines.positionAt(token.span.start);
    const end = analysis.lines.positionAt(token.span.end);
    if (start.line !== end.line) continue;
    const modifiers = token.modifiers.reduce(
      (bits, m) => bits | (1 << TOKEN_MODIFIERS.indexOf(m)),
      0,
    );
    builder.push(
      start.line,
      start.character,
      end.character - start.character,
      TOKEN_TYPES.indexOf(token.type),
      modifiers,
    );
    lastEnd = token.span.end;
  }
  return builder.build();
}
