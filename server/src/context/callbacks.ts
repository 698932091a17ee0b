/**
 * Readers that a function's callers provide without the analysis seeing the call: the kernel
 * core calls many callbacks from inside a reader, and a function that uses rcu_dereference()
 * with no reader of its own tells, by that use, that its callers hold one.
 *
 * Each entry here is about who calls the callback, so it is a statement about the core, not
 * about the driver: see Documentation/RCU/lockdep.rst for why PROVE_RCU_LIST stays quiet in
 * these functions, and the sources named in each reason.
 */
import { READER_TOKENS, effectsOf } from '../catalogue/calls';
import type { FunctionFact, RegisteredAs } from '../facts/ir';
import { callEvents } from './realmode';

/** A reader the callers hold, as a state token, and why the analysis believes it. */
export interface CallerReader {
  readonly token: string;
  readonly because: string;
}

interface Dispatch {
  readonly type: string;
  readonly fields: readonly string[];
  readonly token: string;
  readonly caller: string;
}

/** Ops members the core calls inside a reader (Linux 6.1 callers named in `caller`). */
const DISPATCHED_UNDER_READER: readonly Dispatch[] = [
  {
    type: 'net_device_ops',
    fields: ['ndo_start_xmit', 'ndo_select_queue'],
    token: 'rcu_bh',
    caller: '__dev_queue_xmit() inside rcu_read_lock_bh()',
  },
  {
    type: 'Qdisc_ops',
    fields: ['enqueue'],
    token: 'rcu_bh',
    caller: '__dev_xmit_skb() inside rcu_read_lock_bh()',
  },
  {
    type: 'tcf_proto_ops',
    fields: ['classify'],
    token: 'rcu',
    caller: 'tcf_classify(), from the transmit or receive path inside an RCU reader',
  },
  {
    type: 'tc_action_ops',
    fields: ['act'],
    token: 'rcu',
    caller: 'tcf_action_exec(), from the transmit or receive path inside an RCU reader',
  },
  {
    type: 'nf_hook_ops',
    fields: ['hook'],
    token: 'rcu',
    caller: 'nf_hook() inside rcu_read_lock()',
  },
  {
    type: 'nft_expr_ops',
    fields: ['eval'],
    token: 'rcu',
    caller: 'nft_do_chain(), from a netfilter hook inside rcu_read_lock()',
  },
  {
    type: 'xt_match',
    fields: ['match'],
    token: 'rcu',
    caller: 'the x_tables walkers, from a netfilter hook inside rcu_read_lock()',
  },
  {
    type: 'xt_target',
    fields: ['target'],
    token: 'rcu',
    caller: 'the x_tables walkers, from a netfilter hook inside rcu_read_lock()',
  },
  {
    type: 'ip_vs_scheduler',
    fields: ['schedule'],
    token: 'rcu',
    caller: 'the IPVS netfilter hooks inside rcu_read_lock()',
  },
  {
    type: 'packet_type',
    fields: ['func'],
    token: 'rcu',
    caller: '__netif_receive_skb_core() inside rcu_read_lock()',
  },
  {
    type: 'net_protocol',
    fields: ['handler', 'err_handler'],
    token: 'rcu',
    caller: 'ip_local_deliver_finish() inside rcu_read_lock()',
  },
  {
    type: 'inet6_protocol',
    fields: ['handler', 'err_handler'],
    token: 'rcu',
    caller: 'ip6_input_finish() inside rcu_read_lock()',
  },
  {
    type: 'net_device_ops',
    fields: ['ndo_fill_forward_path'],
    token: 'rcu',
    caller: 'dev_fill_forward_path(), whose callers (flow offload, nft) hold rcu_read_lock()',
  },
  {
    type: 'napi_struct',
    fields: ['poll'],
    token: 'bh',
    caller: 'net_rx_action() in softirq, with bottom halves disabled',
  },
  {
    type: 'packet_offload',
    fields: ['gro_receive', 'gro_complete'],
    token: 'rcu',
    caller: 'dev_gro_receive() and napi_gro_complete() inside rcu_read_lock()',
  },
  {
    type: 'net_offload',
    fields: ['gro_receive', 'gro_complete'],
    token: 'rcu',
    caller: 'the GRO callbacks of the layer below, inside the reader of dev_gro_receive()',
  },
  {
    type: 'nft_set_type',
    fields: ['lookup'],
    token: 'rcu',
    caller: 'the nft lookup expressions, from nft_do_chain() inside the netfilter hook reader',
  },
  {
    type: 'ip_vs_protocol',
    fields: ['app_conn_bind'],
    token: 'rcu',
    caller: 'ip_vs_bind_app(), from the IPVS hooks and ip_vs_conn_new() inside rcu_read_lock()',
  },
  {
    // kernel/sched/core.c calls these with the runqueue's raw spinlock held, IRQs off.
    type: 'sched_class',
    fields: [
      'enqueue_task',
      'dequeue_task',
      'yield_task',
      'check_preempt_curr',
      'pick_next_task',
      'put_prev_task',
      'set_next_task',
      'task_tick',
      'task_woken',
      'switched_from',
      'switched_to',
      'prio_changed',
      'update_curr',
      'rq_online',
      'rq_offline',
    ],
    token: 'irq',
    caller: 'the scheduler core with the runqueue lock held and interrupts disabled',
  },
];

const DEREFERENCES: Readonly<Record<string, string>> = {
  rcu_dereference: 'rcu',
  rcu_dereference_bh: 'rcu_bh',
  rcu_dereference_sched: 'rcu_sched',
};

const READER_NAME: Readonly<Record<string, string>> = {
  rcu: 'rcu_read_lock()',
  rcu_bh: 'rcu_read_lock_bh()',
  rcu_sched: 'rcu_read_lock_sched()',
};

/** The reader a function's unseen callers hold, if the code shows one. */
export function findCallerReader(fn: FunctionFact): CallerReader | undefined {
  for (const r of fn.registeredAs ?? []) {
    const found = fromRegistration(r);
    if (found) return found;
  }
  return fromDereference(fn);
}

function fromRegistration(r: RegisteredAs): CallerReader | undefined {
  const dispatch = DISPATCHED_UNDER_READER.find(
    (d) => d.type === r.type && d.fields.includes(r.field),
  );
  if (dispatch)
    return {
      token: dispatch.token,
      because: `it is \`->${r.field}\` of \`struct ${r.type}\`, which the kernel calls from ${dispatch.caller}`,
    };
  if (r.atomicChain && r.field === 'notifier_call') {
    return {
      token: 'rcu',
      because: `\`${r.variable}\` is on an atomic notifier chain, whose callbacks atomic_notifier_call_chain() runs inside rcu_read_lock()`,
    };
  }
  return fromSeqOperations(r);
}

/**
 * seq_file calls ->next and ->show between ->start and ->stop. When ->stop releases a reader
 * (and so ->start took it), both run inside that reader.
 */
function fromSeqOperations(r: RegisteredAs): CallerReader | undefined {
  if (r.field !== 'show' && r.field !== 'next') return undefined;
  const stop = r.siblings.get('stop');
  if (!stop || !r.siblings.has('start')) return undefined;
  const token =
    stop.releases.find((t) => READER_TOKENS.has(t)) ??
    stop.releases.find((t) => t.startsWith('srcu:'));
  if (!token) return undefined;
  const reader = READER_NAME[token] ?? `srcu_read_lock(${token.slice(5)})`;
  return {
    token,
    because: `it is \`->${r.field}\` of a seq_operations table whose \`->stop\` (\`${stop.fn}()\`) releases ${reader}, which \`->start\` takes`,
  };
}

/** rcu_dereference() with no reader of the function's own: PROVE_RCU needs the callers' one. */
function fromDereference(fn: FunctionFact): CallerReader | undefined {
  const events = callEvents(fn);
  const deref = events.find((ev) => ev.callee in DEREFERENCES);
  if (!deref) return undefined;
  const takesReader = events.some((ev) =>
    effectsOf(
      ev.callee,
      ev.args.map((a) => a.text),
    ).some(
      (e) =>
        e.kind === 'acquire' &&
        (READER_TOKENS.has(e.token) ||
          e.token.startsWith('srcu:') ||
          e.token === 'preempt' ||
          e.token === 'irq' ||
          e.token === 'bh'),
    ),
  );
  if (takesReader) return undefined;
  return {
    token: DEREFERENCES[deref.callee],
    because: `it calls \`${deref.callee}()\` without a reader of its own, so CONFIG_PROVE_RCU already requires its callers to hold ${READER_NAME[DEREFERENCES[deref.callee]]}`,
  };
}
