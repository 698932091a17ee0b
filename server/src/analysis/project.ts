/**
 * Callers across the files analysed together: who calls each function, and whether each call
 * site already provides an RCU reader. Only summaries are kept, never trees or full facts.
 */
import type { Span } from '../parsing/text';
import {
  commonSrcuDomain,
  holdsSrcu,
  readerProtection,
  sleepingLocksHeld,
} from '../context/protection';
import { readerTokensUsed } from '../context/wrappers';
import { findPrimitive } from '../catalogue/primitives';
import { callEvents } from '../context/realmode';
import type { AddressUse, CallEvent } from '../facts/ir';
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
  /**
   * Every path reaching the call holds an SRCU reader: enough for a callee whose walks have no
   * lockdep check of their own (list_next_or_null_rcu() and the other accessors).
   */
  readonly srcuHere: boolean;
  /** Sleeping locks held on every path reaching the call (`sec_mtx`), for messages. */
  readonly locksHere: readonly string[];
  /** The SRCU domain held on every path reaching the call, for messages. */
  readonly srcuDomain?: string;
  /**
   * For a call the analysis follows through a pointer: how (`through ->xpi_xprt`, `passed to
   * nexthop_for_each_fib6_nh()`). Such a call can vouch for a reader, but it is never blamed.
   */
  readonly via?: string;
}

interface Definition {
  readonly file: string;
  readonly isStatic: boolean;
  readonly uses: readonly AddressUse[];
  /** Protected on entry by its own duty, context or real mode. */
  readonly selfProtected: boolean;
  /** Readers it drops without taking them: its caller's (pin_kill() drops rcu_read_lock()). */
  readonly dropsCallersReader: ReadonlySet<string>;
}

const RCU_ITERATOR = findPrimitive('list_for_each_entry_rcu');

export class ProjectIndex {
  private readonly definitions = new Map<string, Definition[]>();
  private readonly calls = new Map<string, CallSite[]>();
  /** Calls through a member, `x->field(...)`, by field. */
  private readonly memberCalls = new Map<string, CallSite[]>();
  /** Calls that pass a name as an argument, by that name. */
  private readonly passedTo = new Map<string, CallSite[]>();
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
        uses: analysis.facts.addressUses.get(fn.fact.name) ?? [],
        dropsCallersReader: readerTokensUsed(fn.fact).callersHold,
        selfProtected: Boolean(fn.duty?.reader || fn.atomic || fn.restricted?.kind === 'real-mode'),
      });
      this.definitions.set(fn.fact.name, list);
      for (const ev of callEvents(fn.fact)) {
        if (ev.loop || findPrimitive(ev.callee)) continue;
        const member = /(?:->|\.)\s*(\w+)$/.exec(ev.callee)?.[1];
        const states = fn.flow.visits.get(ev) ?? [];
        const protections = states.map((s) =>
          RCU_ITERATOR ? readerProtection(s, RCU_ITERATOR, false) : undefined,
        );
        const realMode = fn.restricted?.kind === 'real-mode';
        const protectedHere = realMode || (states.length > 0 && protections.every(Boolean));
        const srcuHere = states.length > 0 && states.every(holdsSrcu);
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
          srcuHere,
          locksHere: sleepingLocksHeld(states),
          srcuDomain: commonSrcuDomain(states),
          protection: realMode ? 'the caller runs in real mode' : protections[0],
        };
        if (member) push(this.memberCalls, member, { ...site, via: `through \`->${member}\`` });
        else push(this.calls, ev.callee, site);
        for (const name of passedNames(ev, analysis.facts.addressUses)) {
          push(this.passedTo, name, { ...site, callee: name, via: `passed to \`${ev.callee}()\`` });
        }
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
    for (const map of [this.calls, this.memberCalls, this.passedTo]) {
      for (const [name, sites] of map) {
        const kept = sites.filter((s) => s.file !== file);
        if (kept.length > 0) map.set(name, kept);
        else map.delete(name);
      }
    }
  }

  /**
   * Call sites of a function defined in `file`, direct ones first, then those through the ops
   * members it is stored in and the calls it is passed to. A static function is only called
   * (or passed) from its own file; its ops table may be called from anywhere.
   */
  callersOf(name: string, file: string, isStatic: boolean): CallSite[] {
    const visible = (sites: readonly CallSite[]): CallSite[] =>
      isStatic
        ? sites.filter((s) => s.file === file)
        : sites.filter((s) => s.file === file || !this.definedStaticIn(name, s.file));
    const direct = visible(this.calls.get(name) ?? []);
    const fields = new Set(
      this.usesOf(name, file).flatMap((u) => (u.kind === 'member' ? [u.field] : [])),
    );
    const members = [...fields].flatMap((f) => this.memberCalls.get(f) ?? []);
    return [...direct, ...members, ...visible(this.passedTo.get(name) ?? [])];
  }

  private usesOf(name: string, file: string): readonly AddressUse[] {
    return (this.definitions.get(name) ?? []).find((d) => d.file === file)?.uses ?? [];
  }

  private definedStaticIn(name: string, file: string): boolean {
    return (this.definitions.get(name) ?? []).some((d) => d.file === file && d.isStatic);
  }

  /**
   * Whether the function's address escapes where the calls cannot be followed: stored or
   * returned, exported, handed to a call that defers it, or put in an ops member that no
   * analysed file calls.
   */
  hasUnknownCallers(name: string, file: string): boolean {
    // An exported function seen with callers in other files is analysed with its users: the
    // export alone does not hide callers then.
    const usersSeen = (this.calls.get(name) ?? []).some((c) => c.file !== file);
    return this.usesOf(name, file).some(
      (u) =>
        u.kind === 'other' ||
        (u.kind === 'export' && !usersSeen) ||
        (u.kind === 'member' && !this.memberCalls.has(u.field)),
    );
  }

  /** Whether some definition of `name` drops a reader `token` that its callers took. */
  dropsCallersReader(name: string, token: string): boolean {
    return (this.definitions.get(name) ?? []).some((d) => d.dropsCallersReader.has(token));
  }

  /**
   * Whether a call site is protected, directly or because its caller is only ever entered
   * with a reader held. Depth-limited: three levels of callers.
   */
  isCallSiteProtected(
    site: CallSite,
    depth = 3,
    seen: Set<string> = new Set(),
    srcuEnough = false,
  ): boolean {
    if (site.protectedHere || (srcuEnough && site.srcuHere)) return true;
    return this.isEnteredProtected(
      site.caller,
      site.file,
      site.callerStatic,
      depth,
      seen,
      srcuEnough,
    );
  }

  /** `srcuEnough`: an SRCU reader counts, for callees whose walks are not lockdep-checked. */
  isEnteredProtected(
    name: string,
    file: string,
    isStatic: boolean,
    depth = 3,
    seen: Set<string> = new Set(),
    srcuEnough = false,
  ): boolean {
    const def = (this.definitions.get(name) ?? []).find((d) => d.file === file);
    if (def?.selfProtected) return true;
    const key = `${file}:${name}`;
    // `seen` is the chain of callers being judged: a call back into it (recursion) adds
    // nothing, and the functions above decide. Siblings that share a caller each judge it.
    if (seen.has(key)) return true;
    if (depth <= 0 || this.hasUnknownCallers(name, file)) return false;
    seen.add(key);
    const callers = this.callersOf(name, file, isStatic);
    const entered =
      callers.length > 0 &&
      callers.every((c) => this.isCallSiteProtected(c, depth - 1, seen, srcuEnough));
    seen.delete(key);
    return entered;
  }
}

function push(map: Map<string, CallSite[]>, key: string, site: CallSite): void {
  const list = map.get(key);
  if (list) list.push(site);
  else map.set(key, [site]);
}

/** The file's own functions that a call passes as arguments (`fn`, `&fn`). */
function passedNames(ev: CallEvent, uses: ReadonlyMap<string, readonly AddressUse[]>): string[] {
  return ev.args.flatMap((a) => {
    const name = /^&?\s*([A-Za-z_]\w*)$/.exec(a.text)?.[1];
    const passed =
      name && uses.get(name)?.some((u) => u.kind === 'argument' && u.callee === ev.callee);
    return passed ? [name] : [];
  });
}
