/**
 * The facts rcu-lens keeps about a file once its parse tree is gone: functions with a small
 * statement tree of their bodies, the calls in evaluation order, and file-level declarations.
 */
import type { Span } from '../parsing/text';

/** A call, or a loop macro's header, with its arguments. */
export interface CallEvent {
  /** The called name: an identifier, or the source text of a computed callee. */
  readonly callee: string;
  readonly calleeSpan: Span;
  /** From the callee to the closing parenthesis. */
  readonly span: Span;
  readonly args: readonly Argument[];
  /** True for a loop macro that heads a loop body. */
  readonly loop: boolean;
  /** For `guard(x)(...)`: the guard class `x`. */
  readonly guardClass?: string;
}

export interface Argument {
  readonly text: string;
  readonly span: Span;
}

export type Stmt =
  | { readonly kind: 'block'; readonly span: Span; readonly body: readonly Stmt[] }
  | { readonly kind: 'events'; readonly span: Span; readonly events: readonly CallEvent[] }
  | {
      readonly kind: 'if';
      readonly span: Span;
      readonly condition: string;
      readonly events: readonly CallEvent[];
      readonly then: Stmt;
      readonly otherwise?: Stmt;
    }
  | {
      readonly kind: 'loop';
      readonly span: Span;
      /** Events of the loop header: the macro iterator, or a `for`/`while` condition. */
      readonly events: readonly CallEvent[];
      readonly body: Stmt;
      /** `do { } while (0)` runs its body exactly once. */
      readonly once: boolean;
      /** For scoped_guard(): the guard class. */
      readonly scopedGuard?: { readonly guardClass: string; readonly argument: string };
    }
  | {
      readonly kind: 'switch';
      readonly span: Span;
      readonly events: readonly CallEvent[];
      readonly body: Stmt;
    }
  | { readonly kind: 'case'; readonly span: Span; readonly isDefault: boolean }
  | { readonly kind: 'return'; readonly span: Span; readonly events: readonly CallEvent[] }
  | { readonly kind: 'goto'; readonly span: Span; readonly label: string }
  | { readonly kind: 'label'; readonly span: Span; readonly label: string }
  | { readonly kind: 'break'; readonly span: Span }
  | { readonly kind: 'continue'; readonly span: Span };

export interface FunctionFact {
  readonly name: string;
  readonly nameSpan: Span;
  /** The whole definition, header included. */
  readonly span: Span;
  /** The header, from its first token to the opening brace. */
  readonly headerSpan: Span;
  readonly body: Stmt;
  readonly isStatic: boolean;
  /** Attribute macros on the header: `noinstr`, `__must_hold(&l)`, ... */
  readonly attributes: readonly {
    readonly name: string;
    readonly argument: string;
    readonly span: Span;
  }[];
  /** For functions defined through a macro, such as SYSCALL_DEFINE3. */
  readonly definedBy?: string;
  /** The comment right above the function, if any. */
  readonly leadingComment?: { readonly text: string; readonly span: Span };
  /** Comments inside the body (for annotations). */
  readonly innerComments: readonly { readonly text: string; readonly span: Span }[];
  readonly returnType: string;
  /** Parameter and local variable types by name, e.g. `k` -> `struct knock *`. */
  readonly variables: ReadonlyMap<string, string>;
  readonly parameters: readonly { readonly name: string; readonly type: string }[];
  /** Ops-table members this function is installed as (`.ndo_start_xmit = fn`). */
  readonly registeredAs?: readonly RegisteredAs[];
  /** File-level macros naming the function: NOKPROBE_SYMBOL, EXPORT_SYMBOL, ... */
  readonly symbolMacros?: readonly string[];
}

/** A designated-initialiser member that installs a function as a callback. */
export interface RegisteredAs {
  /** The struct type initialised, such as `seq_operations`, when the declaration names it. */
  readonly type?: string;
  readonly variable?: string;
  readonly field: string;
  /** The initialised variable is registered with atomic_notifier_chain_register(). */
  readonly atomicChain: boolean;
  /** The other members of the same table, with the reader tokens each one releases. */
  readonly siblings: ReadonlyMap<
    string,
    { readonly fn: string; readonly releases: readonly string[] }
  >;
}

/** A `#define` whose body uses an RCU list primitive. */
export interface WrapperMacro {
  readonly name: string;
  /** The primitive the body expands to. */
  readonly expandsTo: string;
  /** Whether the body passes a lockdep `cond` to it. */
  readonly passesCond: boolean;
}

/** A use of a function's name other than a direct call. */
export type AddressUse =
  /** `.field = fn` in an initialiser, or `ops->field = fn`: called as `x->field(...)`. */
  | { readonly kind: 'member'; readonly field: string }
  /** Passed to `callee(...)`, which is taken to call it before returning. */
  | { readonly kind: 'argument'; readonly callee: string }
  /** EXPORT_SYMBOL(fn) and kin: callers in other modules. */
  | { readonly kind: 'export' }
  /** Anything else: stored, returned, passed to a call that defers it. */
  | { readonly kind: 'other' };

export interface FileFacts {
  readonly file: string;
  readonly functions: readonly FunctionFact[];
  /** struct name -> name of its `struct rcu_head` field. */
  readonly rcuHeadFields: ReadonlyMap<string, string>;
  readonly wrappers: ReadonlyMap<string, WrapperMacro>;
  /** Whether a SLAB_TYPESAFE_BY_RCU cache is created in the file. */
  readonly typesafeByRcu: boolean;
  /** The file's functions used other than as a direct callee, with each such use. */
  readonly addressUses: ReadonlyMap<string, readonly AddressUse[]>;
  /** Number of ERROR nodes in the tree: damage the parser recovered from. */
  readonly errorCount: number;
  /** Comments of the whole file, for suppressions. */
  readonly comments: readonly { readonly text: string; readonly span: Span }[];
}
