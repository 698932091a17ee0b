/**
 * Callers across the files analysed together: who calls each function, and whether each call
 * site already provides an RCU reader. Only summaries are kept, never trees or full facts.
 */
import type { Span } from '../parsing/text';
import { readerProtection } from '../context/protection';
import { findPrimitive } from '../catalogue/primitives';
import { callEvents } from '../context/realmode';
import type { FileAnalysis } from './file-analysis';

export interface CallSite {
  readonly file: string;
  readonly caller: string;
  readonly callerStatic: boolean;
  readonly callee: string;
  readonly span: Span;
  /** 0-based line of the call, for related information in other files. */
  readonly line: number;
  readonly character: number;
  /** Every path reaching the call holds a reader (or runs in real mode / atomic context). */
  readonly protectedHere: boolean;
  /** Why it is protected, for hovers. */
  readonly protection?: string;
}

interface Definition {
  readonly file: string;
  readonly isStatic: boolean;
  readonly addressTaken: boolean;
  /** Protected on entry by its own duty, context or real mode. */
  readonly selfProtected: boolean;
}

const RCU_ITERATOR = findPrimitive('list_for_each_entry_rcu');

export class ProjectIndex {
  private readonly definitions = new Map<string, Definition[]>();
  private readonly calls = new Map<string, CallSite[]>();
  private readonly files = new Set<string>();

  /** Records the definitions and call sites of one analysed file, replacing earlier ones. */
  add(analysis: FileAnalysis): void {
    const file = analysis.facts.file;
    if (this.files.has(file)) this.remove(file);
    this.files.add(file);
    for (const fn of analysis.functions) {
      const list = this.definitions.get(fn.fact.name) ?? [];
      list.push({
        file,
        isStatic: fn.fact.isStatic,
        addressTaken: analysis.facts.addressTaken.has(fn.fact.name),
        selfProtected: Boolean(fn.duty?.reader || fn.atomic || fn.restricted?.kind === 'real-mode'),
      });
      this.definitions.set(fn.fact.name, list);
      for (const ev of callEvents(fn.fact)) {
        if (ev.loop || findPrimitive(ev.callee)) continue;
        const states = fn.flow.visits.get(ev) ?? [];
        const protections = states.map((s) =>
          RCU_ITERATOR ? readerProtection(s, RCU_ITERATOR, false) : undefined,
        );
        const realMode = fn.restricted?.kind === 'real-mode';
        const protectedHere = realMode || (states.length > 0 && protections.every(Boolean));
        const position = analysis.lines.positionAt(ev.span.start);
        const site: CallSite = {
          file,
          caller: fn.fact.name,
          callerStatic: fn.fact.isStatic,
          callee: ev.callee,
          span: ev.calleeSpan,
          line: position.line,
          character: position.character,
          protectedHere,
          protection: realMode ? 'the caller runs in real mode' : protections[0],
        };
        const sites = this.calls.get(ev.callee) ?? [];
        sites.push(site);
        this.calls.set(ev.callee, sites);
      }
    }
  }

  /** Forgets a file, before it is re-analysed. */
  remove(file: string): void {
    if (!this.files.delete(file)) return;
    for (const [name, defs] of this.definitions) {
      const kept = defs.filter((d) => d.file !== file);
      if (kept.length > 0) this.definitions.set(name, kept);
      else this.definitions.delete(name);
    }
    for (const [name, sites] of this.calls) {
      const kept = sites.filter((s) => s.file !== file);
      if (kept.length > 0) this.calls.set(name, kept);
      else this.calls.delete(name);
    }
  }

  /** Call sites of a function defined in `file`; a static function is only called from its file. */
  callersOf(name: string, file: string, isStatic: boolean): CallSite[] {
    const sites = this.calls.get(name) ?? [];
    if (isStatic) return sites.filter((s) => s.file === file);
    const sameFile = sites.filter((s) => s.file === file);
    const elsewhere = sites.filter((s) => s.file !== file && !this.definedStaticIn(name, s.file));
    return [...sameFile, ...elsewhere];
  }

  private definedStaticIn(name: string, file: string): boolean {
    return (this.definitions.get(name) ?? []).some((d) => d.file === file && d.isStatic);
  }

  /** Whether the function's address escapes (function pointers, EXPORT_SYMBOL), hiding callers. */
  hasUnknownCallers(name: string, file: string): boolean {
    return (this.definitions.get(name) ?? []).some((d) => d.file === file && d.addressTaken);
  }

  /**
   * Whether a call site is protected, directly or because its caller is only ever entered
   * with a reader held. Depth-limited: three levels of callers.
   */
  isCallSiteProtected(site: CallSite, depth = 3, seen: Set<string> = new Set()): boolean {
    if (site.protectedHere) return true;
    return this.isEnteredProtected(site.caller, site.file, site.callerStatic, depth, seen);
  }

  isEnteredProtected(
    name: string,
    file: string,
    isStatic: boolean,
    depth = 3,
    seen: Set<string> = new Set(),
  ): boolean {
    const def = (this.definitions.get(name) ?? []).find((d) => d.file === file);
    if (def?.selfProtected) return true;
    if (depth <= 0 || seen.has(`${file}:${name}`) || this.hasUnknownCallers(name, file))
      return false;
    seen.add(`${file}:${name}`);
    const callers = this.callersOf(name, file, isStatic);
    return callers.length > 0 && callers.every((c) => this.isCallSiteProtected(c, depth - 1, seen));
  }
}
