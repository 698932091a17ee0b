/**
 * Plain-data summaries of sites and functions, for the `sites` command, hovers and code lenses.
 */
import type { Range } from '../rules/types';
import type { LineIndex, Span } from '../parsing/text';
import type { FunctionAnalysis, Site } from './file-analysis';
import { readerProtection } from '../context/protection';

export type ContextKind = 'real-mode' | 'noinstr' | 'idle' | 'atomic' | 'process';

export interface SiteSummary {
  readonly primitive: string;
  /** The wrapper macro used at the site, when it is one. */
  readonly wrapper?: string;
  readonly kind: string;
  readonly flavor: string;
  readonly function: string;
  readonly context: ContextKind;
  readonly span: Span;
  readonly range: Range;
  /** What protects the site on every path, when something does. */
  readonly protection?: string;
}

export interface FunctionSummary {
  readonly name: string;
  readonly nameSpan: Span;
  readonly nameRange: Range;
  readonly span: Span;
  readonly context: ContextKind;
  /** Short label such as "real mode, via kvmppc_rm_h_put_tce". */
  readonly label: string;
  readonly evidence: readonly { readonly message: string; readonly range?: Range }[];
  readonly duty?: string;
}

function contextOf(fn: FunctionAnalysis): ContextKind {
  return fn.restricted?.kind ?? (fn.atomic ? 'atomic' : 'process');
}

/** A short label for a function's context. */
export function describeContext(fn: FunctionAnalysis): string {
  const r = fn.restricted;
  if (r?.kind === 'real-mode')
    return r.callers.length > 0 ? `real mode, via ${r.callers[r.callers.length - 1]}` : 'real mode';
  if (r?.kind === 'noinstr') return 'noinstr: RCU may not be watching';
  if (r?.kind === 'idle') return 'idle: RCU not watching';
  if (fn.atomic) return `atomic: ${fn.atomic.reason}`;
  return 'process context';
}

export function summarizeSite(site: Site, lines: LineIndex): SiteSummary {
  const protections = site.states.map((s) => readerProtection(s, site.primitive, site.hasCond));
  const protection =
    protections.length > 0 && protections.every(Boolean) ? protections[0] : undefined;
  return {
    primitive: site.primitive.name,
    wrapper: site.wrapper,
    kind: site.primitive.kind,
    flavor: site.primitive.flavor,
    function: site.fn.fact.name,
    context: contextOf(site.fn),
    span: site.event.calleeSpan,
    range: {
      start: lines.positionAt(site.event.calleeSpan.start),
      end: lines.positionAt(site.event.calleeSpan.end),
    },
    protection,
  };
}

export function summarizeFunction(fn: FunctionAnalysis, lines: LineIndex): FunctionSummary {
  const range = (s: Span): Range => ({
    start: lines.positionAt(s.start),
    end: lines.positionAt(s.end),
  });
  const evidence = fn.restricted
    ? fn.restricted.evidence.map((e) => ({
        message: e.message,
        range: e.span ? range(e.span) : undefined,
      }))
    : fn.atomic
      ? [{ message: `it is ${fn.atomic.reason}` }]
      : [];
  return {
    name: fn.fact.name,
    nameSpan: fn.fact.nameSpan,
    nameRange: range(fn.fact.nameSpan),
    span: fn.fact.span,
    context: contextOf(fn),
    label: describeContext(fn),
    evidence,
    duty: fn.duty?.because,
  };
}
