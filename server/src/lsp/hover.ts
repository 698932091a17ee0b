/**
 * Hovers. On an RCU primitive: what it does, the protection it needs, its counterparts and
 * how a debug kernel checks it. On a function name: the context rcu-lens inferred, with the
 * evidence and the callers' duty. On a flagged site: the finding's explanation. When several
 * apply they are shown together, the finding first.
 */
import {
  MarkupKind,
  type Hover,
  type HoverParams,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';

import type { FunctionSummary, SiteSummary } from '../analysis/summaries';
import { findPrimitive, KNOWN_WRAPPERS, type Primitive } from '../catalogue/primitives';
import type { AnalysisSession, DocumentState } from './session';
import { rangeContains, wordAt } from './words';

const SEPARATOR = '\n\n---\n\n';

/** Answers textDocument/hover. */
export async function onHover(
  session: AnalysisSession,
  documents: TextDocuments<TextDocument>,
  params: HoverParams,
): Promise<Hover | null> {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  const current = await session.current(document);
  const word = wordAt(document, params.position);
  const sections = [
    ...(current ? findingSections(current, params.position) : []),
    ...(word ? primitiveSections(word.text, current, params.position) : []),
    ...(word && current ? functionSections(word.text, current) : []),
  ];
  if (sections.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join(SEPARATOR) },
    range: word?.range,
  };
}

function findingSections(state: DocumentState, position: HoverParams['position']): string[] {
  return state.findings
    .filter((f) => !f.suppressed && rangeContains(f.range, position))
    .map((f) => `**rcu-lens: ${f.rule}**\n\n${f.explanation}`);
}

function primitiveSections(
  name: string,
  state: DocumentState | undefined,
  position: HoverParams['position'],
): string[] {
  const wrapper = KNOWN_WRAPPERS.get(name) ?? state?.analysis?.facts.wrappers.get(name);
  const primitive = findPrimitive(name) ?? (wrapper ? findPrimitive(wrapper.expandsTo) : undefined);
  if (!primitive) return [];
  const site = state?.report?.sites.find((s) => rangeContains(s.range, position));
  const title = wrapper
    ? `**${name}** wraps \`${primitive.name}\`${wrapper.passesCond ? ' and passes a lockdep cond' : ''}`
    : `**${name}**: ${describeKind(primitive)}`;
  const lines = [title, primitive.summary, `*Needs:* ${protectionNeeded(primitive)}`];
  const counterparts = describeCounterparts(primitive);
  if (counterparts) lines.push(`*Counterparts:* ${counterparts}`);
  lines.push(`*Checked at run time:* ${describeRuntimeCheck(primitive)}`);
  if (site) lines.push(describeSite(site, state?.report?.functions ?? []));
  return [lines.join('\n\n')];
}

function describeKind(p: Primitive): string {
  const flavor = {
    rcu: 'lockdep-checked RCU',
    srcu: 'SRCU',
    lockless: 'lockless',
    plain: 'plain (not RCU-safe)',
  }[p.flavor];
  const kind = {
    iterator: 'list iterator',
    accessor: 'list accessor',
    update: 'list update',
    dereference: 'pointer load',
  }[p.kind];
  return `${flavor} ${kind}`;
}

function protectionNeeded(p: Primitive): string {
  if (p.kind === 'update') {
    return p.flavor === 'plain'
      ? 'the update-side lock, and no concurrent RCU readers of this list'
      : 'updaters serialised by the update-side lock; readers may run at the same time';
  }
  switch (p.flavor) {
    case 'rcu':
      return `an RCU reader (rcu_read_lock(), or a region with preemption, bottom halves or interrupts disabled)${p.cond === 'optional' ? ', or the update-side lock passed as `cond` (`lockdep_is_held(&lock)`)' : ''}`;
    case 'srcu':
      return "the SRCU domain's read lock, named in the mandatory `cond` (`srcu_read_lock_held(ssp)`), or the update-side lock";
    case 'lockless':
      return 'nothing that is checked: the caller guarantees the entries stay alive (real mode, or updaters that free only after a grace period)';
    case 'plain':
      return 'the update-side lock, or a list that no RCU reader walks';
  }
}

function describeCounterparts(p: Primitive): string | undefined {
  const parts = [
    p.lockless ? `lockless: \`${p.lockless}\`` : undefined,
    p.checked ? `lockdep-checked: \`${p.checked}\`` : undefined,
    p.rcuCounterpart ? `RCU-safe: \`${p.rcuCounterpart}\`` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function describeRuntimeCheck(p: Primitive): string {
  switch (p.runtimeCheck) {
    case 'list':
      return 'with CONFIG_PROVE_RCU_LIST, lockdep checks for a reader or the `cond` on every walk';
    case 'prove':
      return 'with CONFIG_PROVE_RCU, the rcu_dereference() inside checks for a reader';
    case 'none':
      return 'no run-time check';
  }
}

function describeSite(site: SiteSummary, functions: readonly FunctionSummary[]): string {
  const fn = functions.find((f) => f.name === site.function);
  const context = fn ? fn.label : site.context;
  const protection = site.protection
    ? `protected by ${site.protection}`
    : 'no protection found on every path';
  const evidence = fn && fn.evidence.length > 0 ? `\n\n${evidenceList(fn)}` : '';
  return `*Here:* in \`${site.function}()\`, ${context}; ${protection}.${evidence}`;
}

function functionSections(name: string, state: DocumentState): string[] {
  const fn = state.report?.functions.find((f) => f.name === name);
  if (!fn) return [];
  const lines = [`**${fn.name}()** runs in ${fn.label}.`];
  if (fn.evidence.length > 0) lines.push(evidenceList(fn));
  if (fn.duty) lines.push(`*Callers' duty:* ${fn.duty}.`);
  if (fn.context === 'process' && fn.evidence.length === 0 && !fn.duty)
    lines.push('Nothing in its definition, callers or settings restricts it.');
  return [lines.join('\n\n')];
}

function evidenceList(fn: FunctionSummary): string {
  const steps = fn.evidence.map(
    (e) => `- ${e.message}${e.range ? ` (line ${e.range.start.line + 1})` : ''}`,
  );
  return ['Evidence:', ...steps].join('\n');
}
