/**
 * Protection states: which readers, locks and contexts are in force at a point of a path.
 *
 * A state maps tokens to counts. Token names:
 * - `rcu`, `rcu_bh`, `rcu_sched`, `rcu_trace`, `srcu:<domain>`: reader sections;
 * - `preempt`, `irq`, `bh`: disabled preemption, interrupts, bottom halves;
 * - `spin:<lock>` (spinning locks), `mutex:<lock>` (sleeping locks), `held:<lock>` (asserted);
 * - `instr`: inside instrumentation_begin()/instrumentation_end();
 * - `ctx:<kind>`: the function's own context (an atomic callback, real mode);
 * - `del:<var>@<offset>`: var was unlinked with *_del_rcu at offset and not yet reclaimed.
 * A `#g<block>` suffix marks a token taken by guard() and released when that block ends;
 * `#a` marks an asserted token, which never has to be released.
 */
export type State = ReadonlyMap<string, number>;

export const EMPTY_STATE: State = new Map();

const MAX_COUNT = 2;
export const MAX_STATES = 64;

/** The token without its guard or assertion suffix. */
export function baseToken(token: string): string {
  const hash = token.indexOf('#');
  return hash < 0 ? token : token.slice(0, hash);
}

/** Keys already computed: states are immutable and shared along paths, so each is keyed once. */
const KEYS = new WeakMap<State, string>();

/** A stable key for deduplicating states. */
export function stateKey(state: State): string {
  let key = KEYS.get(state);
  if (key === undefined) {
    key = [...state.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([t, n]) => `${t}=${n}`)
      .join(',');
    KEYS.set(state, key);
  }
  return key;
}

export function addToken(state: State, token: string): State {
  const next = new Map(state);
  next.set(token, Math.min(MAX_COUNT, (state.get(token) ?? 0) + 1));
  return next;
}

/** Drops one count of a token; returns undefined when the token was not held. */
export function removeToken(state: State, token: string): State | undefined {
  const count = state.get(token);
  if (!count) return undefined;
  const next = new Map(state);
  if (count <= 1) next.delete(token);
  else next.set(token, count - 1);
  return next;
}

export function dropTokens(state: State, predicate: (token: string) => boolean): State {
  let next: Map<string, number> | undefined;
  for (const token of state.keys()) {
    if (predicate(token)) {
      next ??= new Map(state);
      next.delete(token);
    }
  }
  return next ?? state;
}

/** True when a token with this base name is held, whatever its suffix. */
export function holds(state: State, predicate: (base: string) => boolean): boolean {
  for (const token of state.keys()) if (predicate(baseToken(token))) return true;
  return false;
}

/** A set of states, deduplicated and capped. */
export class StateSet {
  private readonly byKey = new Map<string, State>();

  static of(...states: State[]): StateSet {
    const set = new StateSet();
    for (const s of states) set.add(s);
    return set;
  }

  add(state: State): void {
    if (this.byKey.size >= MAX_STATES) return;
    const key = stateKey(state);
    if (!this.byKey.has(key)) this.byKey.set(key, state);
  }

  addAll(other: StateSet): void {
    for (const s of other.states()) this.add(s);
  }

  map(f: (s: State) => State): StateSet {
    const out = new StateSet();
    for (const s of this.byKey.values()) out.add(f(s));
    return out;
  }

  /** Maps each state, dropping those mapped to undefined. */
  filterMap(f: (s: State) => State | undefined): StateSet {
    const out = new StateSet();
    for (const s of this.byKey.values()) {
      const next = f(s);
      if (next) out.add(next);
    }
    return out;
  }

  states(): State[] {
    return [...this.byKey.values()];
  }

  get size(): number {
    return this.byKey.size;
  }

  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }
}
