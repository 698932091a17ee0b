/**
 * Where a function runs: real mode, noinstr code, the idle loop, an atomic callback, or
 * ordinary process context; and the evidence for it, kept for hovers and related information.
 * See reference/real-mode-contexts.md for the signatures.
 */
import * as path from 'node:path';

import picomatch from 'picomatch';

import type { FileFacts, FunctionFact } from '../facts/ir';
import type { Span } from '../parsing/text';

/** Contexts in which lockdep, tracing and `_rcu` checks must not run. */
export type RestrictedKind = 'real-mode' | 'noinstr' | 'idle';

export interface Evidence {
  readonly message: string;
  /** Where the evidence is, when it is in the analysed file. */
  readonly span?: Span;
}

export interface RestrictedContext {
  readonly kind: RestrictedKind;
  /** Evidence, root first; for a propagated context the last steps are the callers. */
  readonly evidence: readonly Evidence[];
  /** Names from the root function down to this one's caller, for propagated contexts. */
  readonly callers: readonly string[];
}

export interface ContextOptions {
  /** Function names or globs that run in real mode. */
  readonly realModeFunctions: readonly string[];
  /** File path globs whose functions run in real mode. */
  readonly realModePaths: readonly string[];
}

/**
 * The C functions the PowerPC real-mode hypercall dispatcher calls
 * (hcall_real_table in arch/powerpc/kvm/book3s_hv_rmhandlers.S, Linux 6.1).
 */
const HCALL_REAL_TABLE = new Set([
  'kvmppc_h_enter',
  'kvmppc_h_remove',
  'kvmppc_h_bulk_remove',
  'kvmppc_h_protect',
  'kvmppc_h_read',
  'kvmppc_h_clear_ref',
  'kvmppc_h_clear_mod',
  'kvmppc_h_cede',
  'kvmppc_h_set_dabr',
  'kvmppc_h_set_xdabr',
  'kvmppc_rm_h_confer',
  'kvmppc_rm_h_page_init',
  'kvmppc_rm_h_random',
  'xics_rm_h_xirr',
  'xics_rm_h_xirr_x',
  'xics_rm_h_ipi',
  'xics_rm_h_cppr',
  'xics_rm_h_eoi',
]);

const REAL_MODE_NAME = /^(kvmppc_rm_|xics_rm_|icp_rm_)/;
// "real-mode area (RMA)" names guest memory, not the context the code runs in.
const REAL_MODE_PHRASE =
  /\breal[- ]mode\b(?![- ]area\b)|\bMMU (is |turned |switched )?off\b|\brelocation (is |turned )?off\b|\b(data |instruction )?relocation disabled\b|\bMMU disabled\b|\btranslation (is )?off\b/i;
const VIRTUAL_MODE_PHRASE = /\bvirtual[- ]mode\b/i;
const EITHER_MODE_PHRASE =
  /\b(either|both|any) modes?\b|\bmay run in real[- ]mode\b|\bor real[- ]mode\b|\breal[- ]mode or\b/i;
const ANNOTATION = /rcu-lens:\s*real-mode\b/;

function compileGlobs(globs: readonly string[]): (s: string) => boolean {
  if (globs.length === 0) return () => false;
  const matchers = globs.map((g) => picomatch(g, { dot: true }));
  return (s) => matchers.some((m) => m(s));
}

/** Evidence that a function itself (not through callers) runs in real mode. */
function ownRealModeEvidence(fn: FunctionFact, file: string, options: ContextOptions): Evidence[] {
  const evidence: Evidence[] = [];
  const posixFile = file.split(path.sep).join('/');
  const annotated = [fn.leadingComment, ...fn.innerComments].find(
    (c) => c && ANNOTATION.test(c.text),
  );
  if (annotated)
    evidence.push({ message: 'annotated `rcu-lens: real-mode`', span: annotated.span });
  if (compileGlobs(options.realModeFunctions)(fn.name))
    evidence.push({ message: `\`${fn.name}\` matches the rcuLens.realMode.functions setting` });
  if (compileGlobs(options.realModePaths)(posixFile))
    evidence.push({ message: 'the file matches the rcuLens.realMode.paths setting' });
  if (HCALL_REAL_TABLE.has(fn.name))
    evidence.push({
      message: `\`${fn.name}\` is listed in hcall_real_table (book3s_hv_rmhandlers.S)`,
      span: fn.nameSpan,
    });
  else if (REAL_MODE_NAME.test(fn.name))
    evidence.push({
      message: `\`${fn.name}\` follows the PowerPC KVM real-mode naming convention (kvmppc_rm_*, xics_rm_*, icp_rm_*)`,
      span: fn.nameSpan,
    });
  else if (/\/arch\/powerpc\/kvm\//.test(`/${posixFile}`) && /_rm_/.test(fn.name))
    evidence.push({
      message: `\`${fn.name}\` is an \`_rm_\` function under arch/powerpc/kvm/`,
      span: fn.nameSpan,
    });
  if (/(^|\/)book3s_hv_rm_\w+\.c$/.test(posixFile))
    evidence.push({ message: `${path.basename(file)} is a PowerPC KVM real-mode source file` });
  if (fn.definedBy === 'DEFINE_INTERRUPT_HANDLER_NMI' && /(^|\/)arch\/powerpc\//.test(posixFile)) {
    evidence.push({
      message: 'a PowerPC NMI interrupt handler, which may run in real mode',
      span: fn.nameSpan,
    });
  }
  const comment = fn.leadingComment;
  if (
    comment &&
    REAL_MODE_PHRASE.test(comment.text) &&
    (!VIRTUAL_MODE_PHRASE.test(comment.text) || EITHER_MODE_PHRASE.test(comment.text))
  ) {
    evidence.push({
      message: `its comment says "${quoteSentence(comment.text, REAL_MODE_PHRASE)}"`,
      span: comment.span,
    });
  }
  return evidence;
}

const QUOTE_MAX = 90;

/**
 * The sentence of a comment that matches `phrase`, without comment markers and cut to about
 * QUOTE_MAX characters around the match, so the evidence quotes what the author wrote.
 */
export function quoteSentence(comment: string, phrase: RegExp): string {
  const text = comment
    .replace(/^\s*\/\*+|\*+\/\s*$/g, '')
    .replace(/^\s*(\*|\/\/)\s?/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  const match = phrase.exec(text);
  if (!match) return text.slice(0, QUOTE_MAX);
  const before = text.slice(0, match.index);
  const start = Math.max(before.search(/[^.!?:;]*$/), 0);
  const rest = text.slice(match.index);
  const stop = rest.search(/[.!?;](\s|$)/);
  let sentence = text.slice(start, stop < 0 ? text.length : match.index + stop + 1).trim();
  if (sentence.length > QUOTE_MAX) {
    const from = Math.max(0, match.index - start - 30);
    sentence = `${from > 0 ? '…' : ''}${sentence.slice(from, from + QUOTE_MAX).trim()}…`;
  }
  return sentence;
}

/** Infers the restricted context of every function in a file, with in-file propagation. */
export function inferRestrictedContexts(
  facts: FileFacts,
  options: ContextOptions,
): Map<FunctionFact, RestrictedContext> {
  const out = new Map<FunctionFact, RestrictedContext>();
  const byName = new Map<string, FunctionFact>();
  for (const fn of facts.functions) byName.set(fn.name, fn);

  const queue: FunctionFact[] = [];
  for (const fn of facts.functions) {
    const evidence = ownRealModeEvidence(fn, facts.file, options);
    if (evidence.length > 0) {
      out.set(fn, { kind: 'real-mode', evidence, callers: [] });
      queue.push(fn);
      continue;
    }
    const noinstr = fn.attributes.find((a) => a.name === 'noinstr');
    if (noinstr) {
      out.set(fn, {
        kind: 'noinstr',
        evidence: [
          {
            message:
              'marked `noinstr`: RCU may not be watching outside instrumentation_begin()/instrumentation_end()',
            span: noinstr.span,
          },
        ],
        callers: [],
      });
      continue;
    }
    const idle = fn.attributes.find((a) => a.name === '__cpuidle');
    if (idle)
      out.set(fn, {
        kind: 'idle',
        evidence: [
          { message: 'marked `__cpuidle`: RCU is not watching in the idle loop', span: idle.span },
        ],
        callers: [],
      });
  }

  while (queue.length > 0) {
    const caller = queue.shift() as FunctionFact;
    const context = out.get(caller) as RestrictedContext;
    for (const ev of callEvents(caller)) {
      const callee = byName.get(ev.callee);
      if (!callee || callee === caller || out.get(callee)?.kind === 'real-mode') continue;
      out.set(callee, {
        kind: 'real-mode',
        evidence: [
          ...context.evidence,
          { message: `called from real-mode \`${caller.name}\``, span: ev.span },
        ],
        callers: [...context.callers, caller.name],
      });
      queue.push(callee);
    }
  }
  return out;
}

/** Every call event in a function body, in source order. */
export function callEvents(fn: FunctionFact): import('../facts/ir').CallEvent[] {
  const out: import('../facts/ir').CallEvent[] = [];
  const visit = (s: import('../facts/ir').Stmt): void => {
    switch (s.kind) {
      case 'block':
        s.body.forEach(visit);
        break;
      case 'events':
      case 'return':
        out.push(...s.events);
        break;
      case 'if':
        out.push(...s.events);
        visit(s.then);
        if (s.otherwise) visit(s.otherwise);
        break;
      case 'loop':
        out.push(...s.events);
        visit(s.body);
        break;
      case 'switch':
        out.push(...s.events);
        visit(s.body);
        break;
      default:
        break;
    }
  };
  visit(fn.body);
  return out;
}
