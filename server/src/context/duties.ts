/**
 * What a function may assume on entry: protection its callers must provide (stated by a
 * comment, a naming convention or a sparse annotation) and atomic contexts it runs in.
 */
import { BLOCKING_GRACE_PERIODS, effectsOf, lockKey } from '../catalogue/calls';
import { findPrimitive, KNOWN_WRAPPERS } from '../catalogue/primitives';
import { findCallerReader } from './callbacks';
import { callEvents } from './realmode';
import type { FunctionFact } from '../facts/ir';
import type { Span } from '../parsing/text';
import { addToken, EMPTY_STATE, type State } from './state';

export interface Duty {
  /** Callers must hold an RCU reader. */
  readonly reader: boolean;
  /** The reader's state token when it is not plain rcu_read_lock(): `rcu_bh`, `srcu:<domain>`. */
  readonly token?: string;
  /** Callers must hold a lock (its key, or `doc` when only a comment names it). */
  readonly lock?: string;
  readonly because: string;
  readonly span?: Span;
}

export interface AtomicContext {
  readonly reason: string;
  readonly span?: Span;
}

const READER_DUTY_TOPIC =
  /\brcu_read_lock\b|\bRCU[- ]read(er|[- ]side| lock)\b|\bRCU critical section\b|\bunder RCU\b|\bRCU[- ]protected\b|\brcu_read_lock_held\b|\bRCU reader\b|\bRCU( read)? lock\b|\bhold(s|ing)? (the )?RCU\b|\bin RCU context\b/i;
// Words that make a sentence about the reader a duty. "under" and "inside" alone are not
// among them: "readers walk the list under rcu_read_lock()" describes, it does not ask.
const DUTY_VERB =
  /\b(must|should|caller|callers|called|call|invoked|hold|holds|held|holding|needs?|requires?|expects?|assumes?)\b/i;
// Wordings seen in 6.1: "can only be called with bucket lock taken", "called under the
// xxx lock", "with the table lock held", "Caller must hold", "requires rtnl".
const LOCK_DUTY =
  /\b(must|should) (be called with|hold)\b|\bcalled (with|under|while holding) (the )?\S+( \S+){0,2} (held|locked|taken|acquired|lock|mutex|spinlock)\b|\bcaller (must )?holds?\b|\bwith (the )?\S+( \S+){0,2} (held|taken|acquired)\b|\bmust be held\b|\block(ed)? by (the )?caller\b|\b(requires|needs) (the )?\S+ (lock|mutex) (to be )?held\b|\bcalled with (local )?(interrupts|irqs|preemption|bottom halves|BHs?) (disabled|off)\b|\blocked by &?[\w>.-]*(lock|mutex|sem)\w*\b/i;

/** The protection a function's callers must provide, if the code says so. */
export function findDuty(fn: FunctionFact): Duty | undefined {
  const mustHold = fn.attributes.find((a) => a.name === '__must_hold');
  if (mustHold)
    return {
      reader: false,
      lock: lockKey(mustHold.argument),
      because: `annotated \`__must_hold(${mustHold.argument})\``,
      span: mustHold.span,
    };
  const comment = fn.leadingComment;
  // A function that waits for a grace period cannot be entered inside a reader, whatever its
  // comment says about RCU (synchronize_rcu()'s own kernel-doc describes readers at length).
  const waits = waitsForGracePeriod(fn);
  if (comment && !waits && statesReaderDuty(comment.text)) {
    return {
      reader: true,
      because: 'its comment says callers provide the RCU reader',
      span: comment.span,
    };
  }
  if (/_rcu$/.test(fn.name) && !waits && !findPrimitive(fn.name) && readsUnderRcu(fn)) {
    return {
      reader: true,
      because: `its name ends in \`_rcu\`: by kernel convention, callers hold the RCU reader`,
      span: fn.nameSpan,
    };
  }
  if (comment && LOCK_DUTY.test(comment.text))
    return {
      reader: false,
      lock: 'doc',
      because: 'its comment says callers hold the update lock',
      span: comment.span,
    };
  if (/_locked$|^__\w+_locked/.test(fn.name))
    return {
      reader: false,
      lock: 'doc',
      because: `its name ends in \`_locked\`: callers hold the lock`,
      span: fn.nameSpan,
    };
  const unseen = waits ? undefined : findCallerReader(fn);
  if (unseen)
    return { reader: true, token: unseen.token, because: unseen.because, span: fn.nameSpan };
  return undefined;
}

/** Atomic contexts known from a function's signature: timers, RCU callbacks, interrupts. */
export function findAtomicContext(fn: FunctionFact): AtomicContext | undefined {
  // Callbacks take their timer, rcu_head or tasklet as their one argument: a function with
  // more (kvfree_call_rcu(head, func)) only queues one.
  for (const p of fn.parameters.length === 1 ? fn.parameters : []) {
    if (/\bstruct\s+timer_list\s*\*/.test(p.type))
      return {
        reason: `a timer callback (\`struct timer_list *${p.name}\`), which runs in softirq context`,
      };
    if (/\bstruct\s+rcu_head\s*\*/.test(p.type))
      return {
        reason: `an RCU callback (\`struct rcu_head *${p.name}\`), which runs in softirq context`,
      };
    if (/\bstruct\s+hrtimer\s*\*/.test(p.type) && /hrtimer_restart/.test(fn.returnType))
      return { reason: 'an hrtimer callback, which runs in hard interrupt context' };
    if (/\bstruct\s+tasklet_struct\s*\*/.test(p.type))
      return { reason: 'a tasklet, which runs in softirq context' };
  }
  if (/\birqreturn_t\b/.test(fn.returnType))
    return { reason: 'an interrupt handler (returns irqreturn_t)' };
  // Functions kept off kprobes run on the kprobe and exception paths, which the
  // architectures enter with preemption disabled (Documentation/trace/kprobes.rst).
  if (fn.symbolMacros?.includes('NOKPROBE_SYMBOL'))
    return {
      reason: 'on the kprobe/exception path (NOKPROBE_SYMBOL), which runs with preemption disabled',
    };
  return undefined;
}

/** The state a function's body starts in. */
export function entryState(
  fn: FunctionFact,
  duty: Duty | undefined,
  atomic: AtomicContext | undefined,
): State {
  let state = EMPTY_STATE;
  for (const token of impliedLocks(fn)) state = addToken(state, `${token}#a`);
  if (duty?.lock) state = addToken(state, `held:${duty.lock}#a`);
  if (duty?.reader) state = addToken(state, `${duty.token ?? 'rcu'}#a`);
  if (atomic) state = addToken(state, 'ctx:atomic#a');
  return state;
}

/**
 * Whether one sentence of the comment puts a reader on the callers: it names the reader and
 * a duty ("must be called under rcu_read_lock()", "Caller holds the RCU read lock"). Testing
 * the sentences apart keeps prose that only explains RCU from reading as a duty.
 */
export function statesReaderDuty(comment: string): boolean {
  return comment
    .split(/[.;!?](?=\s|$)|\n\s*\*?\s*\n/)
    .some((sentence) => READER_DUTY_TOPIC.test(sentence) && DUTY_VERB.test(sentence));
}

/** Whether the function itself blocks for a grace period. */
function waitsForGracePeriod(fn: FunctionFact): boolean {
  return callEvents(fn).some((ev) => BLOCKING_GRACE_PERIODS.has(ev.callee));
}

/**
 * Locks an update-side dereference anywhere in the body says the callers hold:
 * `rtnl_dereference()` or `rcu_dereference_protected(p, lockdep_is_held(&lock))` checks the
 * lock is held, and nothing in between takes it.
 */
function impliedLocks(fn: FunctionFact): Set<string> {
  const implied = new Set<string>();
  const taken = new Set<string>();
  for (const ev of callEvents(fn)) {
    for (const e of effectsOf(
      ev.callee,
      ev.args.map((a) => a.text),
    )) {
      if (e.kind === 'acquire') taken.add(e.token.replace(/^(spin|mutex):/, ''));
      else if (e.kind === 'assert' && e.token.startsWith('implied:')) implied.add(e.token);
    }
  }
  return new Set([...implied].filter((t) => !taken.has(t.slice('implied:'.length))));
}

/**
 * Whether a function reads RCU-protected data itself: the `_rcu` suffix means "call me under
 * the reader" on lookups, but "frees through RCU" on helpers such as ext4_kvfree_array_rcu().
 */
function readsUnderRcu(fn: FunctionFact): boolean {
  return callEvents(fn).some((ev) => {
    const p = findPrimitive(ev.callee);
    if (p)
      return (
        p.kind === 'dereference' ||
        ((p.kind === 'iterator' || p.kind === 'accessor') && p.flavor !== 'plain')
      );
    const frees = effectsOf(
      ev.callee,
      ev.args.map((a) => a.text),
    ).some((e) => e.kind === 'grace-period' || e.kind === 'deferred-free');
    return !frees && (KNOWN_WRAPPERS.has(ev.callee) || /_rcu$/.test(ev.callee));
  });
}
