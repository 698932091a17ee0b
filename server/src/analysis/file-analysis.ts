/**
 * Everything rules read about one file: facts, each function's context and protection flow,
 * and the file's RCU lists (which heads and members are read or updated with `_rcu`).
 */
import { KNOWN_WRAPPERS, findPrimitive, type Primitive } from '../catalogue/primitives';
import {
  findAtomicContext,
  findDuty,
  entryState,
  type AtomicContext,
  type Duty,
} from '../context/duties';
import { runFlow, type FlowResult } from '../context/flow';
import { findLocalEffects } from '../context/wrappers';
import {
  callEvents,
  inferRestrictedContexts,
  type ContextOptions,
  type RestrictedContext,
} from '../context/realmode';
import type { State } from '../context/state';
import type { CallEvent, FileFacts, FunctionFact, Stmt } from '../facts/ir';
import { LineIndex, type Span } from '../parsing/text';

export interface FunctionAnalysis {
  readonly fact: FunctionFact;
  readonly restricted?: RestrictedContext;
  readonly duty?: Duty;
  readonly atomic?: AtomicContext;
  readonly flow: FlowResult;
}

/** One use of an RCU list primitive (or a wrapper that expands to one). */
export interface Site {
  readonly fn: FunctionAnalysis;
  readonly event: CallEvent;
  readonly primitive: Primitive;
  /** Set when the site is a wrapper macro such as for_each_netdev_rcu. */
  readonly wrapper?: string;
  readonly hasCond: boolean;
  /** Normalised list head (`&st->wins` -> `wins`). */
  readonly headKey?: string;
  /** The embedded node's member name. */
  readonly memberKey?: string;
  readonly states: readonly State[];
  /** The loop statement a loop macro heads. */
  readonly loopSpan?: Span;
}

export interface FileAnalysis {
  readonly facts: FileFacts;
  readonly text: string;
  readonly lines: LineIndex;
  readonly functions: readonly FunctionAnalysis[];
  readonly byName: ReadonlyMap<string, FunctionAnalysis>;
  readonly sites: readonly Site[];
  /** Heads and members that readers walk with `_rcu`/`_srcu`/`_lockless`, or `_rcu` mutators update. */
  readonly rcuHeads: ReadonlySet<string>;
  readonly rcuMembers: ReadonlySet<string>;
  /** Heads walked by `_rcu` readers (not updaters). */
  readonly readHeads: ReadonlySet<string>;
  readonly readMembers: ReadonlySet<string>;
  /** Members whose entries are removed with *_del_rcu or *_replace_rcu. */
  readonly deletedMembers: ReadonlySet<string>;
}

/** `&st->wins` -> `wins`; `&kv_bucket[key & 15]` -> `kv_bucket`; `&(x)->y.z` -> `z`. */
export function listKey(argument: string): string {
  const text = argument.replace(/\[[^\]]*\]/g, '').replace(/[\s()&*]/g, '');
  const parts = text.split(/->|\./);
  return parts[parts.length - 1] ?? text;
}

function resolvePrimitive(
  event: CallEvent,
  facts: FileFacts,
): { primitive: Primitive; wrapper?: string; passesCond?: boolean } | undefined {
  const direct = findPrimitive(event.callee);
  if (direct) return { primitive: direct };
  const wrapper = facts.wrappers.get(event.callee) ?? KNOWN_WRAPPERS.get(event.callee);
  if (!wrapper) return undefined;
  const base = findPrimitive(wrapper.expandsTo);
  return base
    ? { primitive: base, wrapper: event.callee, passesCond: wrapper.passesCond }
    : undefined;
}

function loopSpans(fn: FunctionFact): Map<CallEvent, Span> {
  const out = new Map<CallEvent, Span>();
  const visit = (s: Stmt): void => {
    if (s.kind === 'block') s.body.forEach(visit);
    else if (s.kind === 'if') {
      visit(s.then);
      if (s.otherwise) visit(s.otherwise);
    } else if (s.kind === 'loop') {
      for (const ev of s.events) if (ev.loop) out.set(ev, s.span);
      visit(s.body);
    } else if (s.kind === 'switch') visit(s.body);
  };
  visit(fn.body);
  return out;
}

/** Runs context inference and protection flow over a file's facts. */
export function analyzeFacts(
  facts: FileFacts,
  text: string,
  options: ContextOptions,
): FileAnalysis {
  const restricted = inferRestrictedContexts(facts, options);
  const localEffects = findLocalEffects(facts);
  const functions: FunctionAnalysis[] = facts.functions.map((fact) => {
    const duty = findDuty(fact);
    const atomic = findAtomicContext(fact);
    return {
      fact,
      restricted: restricted.get(fact),
      duty,
      atomic,
      flow: runFlow(fact, entryState(fact, duty, atomic), text, localEffects),
    };
  });
  const byName = new Map<string, FunctionAnalysis>();
  for (const fn of functions) if (!byName.has(fn.fact.name)) byName.set(fn.fact.name, fn);

  const sites: Site[] = [];
  const rcuHeads = new Set<string>();
  const rcuMembers = new Set<string>();
  const readHeads = new Set<string>();
  const readMembers = new Set<string>();
  const deletedMembers = new Set<string>();
  for (const fn of functions) {
    const loops = loopSpans(fn.fact);
    for (const event of callEvents(fn.fact)) {
      const states = fn.flow.visits.get(event) ?? [];
      const resolved = resolvePrimitive(event, facts);
      if (!resolved) continue;
      const { primitive, wrapper } = resolved;
      const args = event.args.map((a) => a.text);
      const headKey =
        !wrapper && primitive.headArg !== undefined && args[primitive.headArg]
          ? listKey(args[primitive.headArg])
          : undefined;
      const memberArg =
        primitive.memberArg !== undefined
          ? args[primitive.memberArg]
          : primitive.nodeArg !== undefined
            ? args[primitive.nodeArg]
            : undefined;
      const memberKey = !wrapper && memberArg ? listKey(memberArg) : undefined;
      const hasCond = wrapper
        ? Boolean(resolved.passesCond)
        : primitive.cond !== 'none' && args.length > primitive.arity;
      sites.push({
        fn,
        event,
        primitive,
        wrapper,
        hasCond,
        headKey,
        memberKey,
        states,
        loopSpan: loops.get(event),
      });
      if (primitive.flavor === 'plain') continue;
      if (headKey) rcuHeads.add(headKey);
      if (memberKey) rcuMembers.add(memberKey);
      if (primitive.kind === 'iterator' || primitive.kind === 'accessor') {
        if (headKey) readHeads.add(headKey);
        if (memberKey) readMembers.add(memberKey);
      }
      if (
        primitive.kind === 'update' &&
        (primitive.op === 'del' || primitive.op === 'replace') &&
        memberKey
      )
        deletedMembers.add(memberKey);
    }
  }
  sites.sort((a, b) => a.event.span.start - b.event.span.start);
  return {
    facts,
    text,
    lines: new LineIndex(text),
    functions,
    byName,
    sites,
    rcuHeads,
    rcuMembers,
    readHeads,
    readMembers,
    deletedMembers,
  };
}
