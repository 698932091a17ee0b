/**
 * Wording shared by the rules: how a context is named, and its evidence as related
 * information and as a hover list.
 */
import type { RestrictedContext } from '../context/realmode';
import type { RelatedDraft } from './rule';

/** "in real mode (MMU off)", "in noinstr code outside an instrumentation window", ... */
export function contextPhrase(context: RestrictedContext): string {
  switch (context.kind) {
    case 'real-mode':
      return context.callers.length > 0
        ? `in real mode (MMU off), via ${context.callers.map((c) => `\`${c}\``).join(' → ')}`
        : 'in real mode (MMU off)';
    case 'noinstr':
      return 'in noinstr code outside instrumentation_begin()/instrumentation_end()';
    case 'idle':
      return 'in the idle loop, where RCU is not watching';
  }
}

/** The evidence chain as related information, root first. */
export function evidenceRelated(context: RestrictedContext): RelatedDraft[] {
  return context.evidence.map((e) => ({ span: e.span, message: e.message }));
}

/** The evidence chain as a Markdown list. */
export function evidenceMarkdown(context: RestrictedContext): string {
  return ['Evidence:', ...context.evidence.map((e) => `- ${e.message}`)].join('\n');
}
