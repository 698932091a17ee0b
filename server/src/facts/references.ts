/**
 * Where a file uses a function other than by calling it. A function whose address escapes has
 * callers the analysis cannot see, unless the escape is one it can follow: a member of an ops
 * table (`.xpi_xprt = fn`), whose calls look like `ops->xpi_xprt(...)`, or an argument to a
 * call that runs it there and then (`nexthop_for_each_fib6_nh(nh, fn, &arg)`).
 *
 * Read from the masking pass's tokens, like the registrations.
 */
import type { Token } from '../parsing/lexer';
import type { AddressUse } from './ir';

/**
 * Calls that keep a function to run it later, in a context of their own: what holds around
 * them says nothing about the callback.
 */
const DEFERRING_CALL =
  /^(INIT_(DELAYED_|RCU_)?WORK(_ONSTACK)?|INIT_DEFERRABLE_WORK|timer_setup|hrtimer_setup|setup_timer|tasklet_(init|setup)|call_rcu(_hurry)?|call_srcu|kthread_(run|create\w*)|request_(threaded_)?irq|devm_request_(threaded_)?irq|queue_\w+|schedule_\w+|init_irq_work|\w*register\w*|\w*notifier\w*|\w*_add_action\w*)$/;
const SYMBOL_MACRO = /^(EXPORT_SYMBOL\w*|NOKPROBE_SYMBOL|EXPORT_TRACEPOINT_SYMBOL\w*)$/;

/** The uses of each of `names` other than direct calls and declarations. */
export function findAddressUses(
  tokens: readonly Token[],
  names: ReadonlySet<string>,
): Map<string, AddressUse[]> {
  const out = new Map<string, AddressUse[]>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'ident' || !names.has(t.text)) continue;
    const prev = tokens[i - 1]?.text;
    if (tokens[i + 1]?.text === '(' || prev === '.' || prev === '->') continue;
    // `struct demo_route route`: a tag that shares the function's name is not a use of it.
    if (prev === 'struct' || prev === 'union' || prev === 'enum') continue;
    const use = classify(tokens, i);
    const list = out.get(t.text) ?? [];
    list.push(use);
    out.set(t.text, list);
  }
  return out;
}

function classify(tokens: readonly Token[], i: number): AddressUse {
  const start = tokens[i - 1]?.text === '&' ? i - 1 : i;
  const before = tokens[start - 1]?.text;
  const after = tokens[i + 1]?.text;
  if (before === '=' && tokens[start - 2]?.kind === 'ident') {
    const dot = tokens[start - 3]?.text;
    if (dot === '.' || dot === '->') return { kind: 'member', field: tokens[start - 2].text };
  }
  if ((before === '(' || before === ',') && (after === ',' || after === ')')) {
    const callee = enclosingCallee(tokens, start - 1);
    if (callee && SYMBOL_MACRO.test(callee)) return { kind: 'export' };
    if (callee && !DEFERRING_CALL.test(callee)) return { kind: 'argument', callee };
  }
  return { kind: 'other' };
}

/** The identifier called by the argument list that token `at` (a `(` or `,`) belongs to. */
function enclosingCallee(tokens: readonly Token[], at: number): string | undefined {
  let depth = 0;
  for (let k = at; k >= 0 && at - k < 256; k--) {
    const text = tokens[k].text;
    if (text === ')' || text === ']' || text === '}') depth++;
    else if (text === '[' || text === '{' || text === ';') {
      if (depth === 0) return undefined;
      depth--;
    } else if (text === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const callee = tokens[k - 1];
      return callee?.kind === 'ident' ? callee.text : undefined;
    }
  }
  return undefined;
}
