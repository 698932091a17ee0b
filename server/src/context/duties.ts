/**
 * What a function may assume on entry: protection its callers must provide (stated by a
 * comment, a naming convention or a sparse annotation) and atomic contexts it runs in.
 */
import { lockKey } from '../catalogue/calls';
import { findPrimitive } from '../catalogue/primitives';
import type { FunctionFact } from '../facts/ir';
import type { Span } from '../parsing/text';
import { addToken, EMPTY_STATE, type State } from './state';

export interface Duty {
  /** Callers must hold an RCU reader. */
  readonly reader: boolean;
  /** Callers must hold a lock (its key, or `doc` when only a comment names it). */
  readonly lock?: string;
  readonly because: string;
  readonly span?: Span;
}

export interface AtomicContext {
  readonly reason: string;
  readonly span?: Span;
}

const READER_DUTY_TOPIC = /\brcu_read_lock\b|\bRCU[- ]read(er|[- ]side| lock)\b|\bRCU critical section\b|\bunder RCU\b|\bRCU[- ]protected\b|\brcu_read_lock_held\b|\bRCU reader\b/i;
const DUTY_VERB = /\b(must|caller|callers|called|call|hold|holds|held|holding|under|within|inside|needs?|requires?|expects?|assumes?)\b/i;
const LOCK_DUTY = /\b(must|should) (be called with|hold)\b|\bcalled with \S+( \S+)? (held|locked)\b|\bcaller (must )?holds?\b|\bwith \S+ held\b|\bmust be held\b|\block(ed)? by (the )?caller\b/i;

/** The protection a function's callers must provide, if the code says so. */
export function findDuty(fn: FunctionFact): Duty | undefined {
  const mustHold = fn.attributes.find((a) => a.name === '__must_hold');
  if (mustHold) return { reader: false, lock: lockKey(mustHold.argument), because: `annotated \`__must_hold(${mustHold.argument})\``, span: mustHold.span };
  const comment = fn.leadingComment;
  if (comment && READER_DUTY_TOPIC.test(comment.text) && DUTY_VERB.test(comment.text)) {
    return { reader: true, because: 'its comment says callers provide the RCU reader', span: comment.span };
  }
  if (/_rcu$/.test(fn.name) && !findPrimitive(fn.name)) {
    return { reader: true, because: `its name ends in \`_rcu\`: by kernel convention, callers hold the RCU reader`, span: fn.nameSpan };
  }
  if (comment && LOCK_DUTY.test(comment.text)) return { reader: false, lock: 'doc', because: 'its comment says callers hold the update lock', span: comment.span };
  if (/_locked$|^__\w+_locked/.test(fn.name)) return { reader: false, lock: 'doc', because: `its name ends in \`_locked\`: callers hold the lock`, span: fn.nameSpan };
  return undefined;
}

/** Atomic contexts known from a function's signature: timers, RCU callbacks, interrupts. */
export function findAtomicContext(fn: FunctionFact): AtomicContext | undefined {
  for (const p of fn.parameters) {
    if (/\bstruct\s+timer_list\s*\*/.test(p.type)) return { reason: `a timer callback (\`struct timer_list *${p.name}\`), which runs in softirq context` };
    if (/\bstruct\s+rcu_head\s*\*/.test(p.type)) return { reason: `an RCU callback (\`struct rcu_head *${p.name}\`), which runs in softirq context` };
    if (/\bstruct\s+hrtimer\s*\*/.test(p.type) && /hrtimer_restart/.test(fn.returnType)) return { reason: 'an hrtimer callback, which runs in hard interrupt context' };
    if (/\bstruct\s+tasklet_struct\s*\*/.test(p.type)) return { reason: 'a tasklet, which runs in softirq context' };
  }
  if (/\birqreturn_t\b/.test(fn.returnType)) return { reason: 'an interrupt handler (returns irqreturn_t)' };
  return undefined;
}

/** The state a function's body starts in. */
export function entryState(duty: Duty | undefined, atomic: AtomicContext | undefined): State {
  let state = EMPTY_STATE;
  if (duty?.lock) state = addToken(state, `held:${duty.lock}#a`);
  if (duty?.reader) state = addToken(state, 'rcu#a');
  if (atomic) state = addToken(state, 'ctx:atomic#a');
  return state;
}
