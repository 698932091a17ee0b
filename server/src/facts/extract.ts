/**
 * Turns a parse tree of masked kernel C into FileFacts. The tree is only read here; callers
 * free it as soon as this returns.
 */
import type { Node, Tree } from 'web-tree-sitter';

import { findPrimitive, KNOWN_WRAPPERS } from '../catalogue/primitives';
import type { MaskResult } from '../parsing/mask';
import type { Span } from '../parsing/text';
import type { Argument, CallEvent, FileFacts, FunctionFact, Stmt, WrapperMacro } from './ir';
import { findAddressUses } from './references';
import { attachRegistrations, findRegistrations } from './registrations';

/** Containers at file level whose children may be functions. */
const CONTAINERS = new Set([
  'ERROR',
  'preproc_if',
  'preproc_ifdef',
  'preproc_else',
  'preproc_elif',
  'preproc_elifdef',
  'linkage_specification',
  'declaration_list',
]);

const FUNCTION_MACRO = /^[A-Z][A-Z0-9_]*$/;

/**
 * Nesting deeper than this is not followed (generated or hostile input); the rest of the
 * file is still analysed. Real kernel functions stay far below it.
 */
const MAX_DEPTH = 200;

class Extractor {
  private readonly functions: FunctionFact[] = [];
  private errorCount = 0;

  constructor(
    private readonly original: string,
    private readonly mask: MaskResult,
  ) {}

  run(file: string, tree: Tree): FileFacts {
    this.collect(tree.rootNode);
    this.countErrors(tree.rootNode);
    return {
      file,
      functions: attachRegistrations(this.functions, findRegistrations(this.mask.tokens)),
      rcuHeadFields: findRcuHeadFields(this.original),
      wrappers: findWrappers(this.mask),
      typesafeByRcu: this.original.includes('SLAB_TYPESAFE_BY_RCU'),
      addressUses: findAddressUses(this.mask.tokens, new Set(this.functions.map((fn) => fn.name))),
      errorCount: this.errorCount,
      comments: this.mask.comments.map((c) => ({
        text: c.text,
        span: { start: c.start, end: c.end },
      })),
    };
  }

  private countErrors(root: Node): void {
    this.errorCount = root.descendantsOfType('ERROR').length;
  }

  /** Finds function definitions, walking into ERROR and preprocessor containers. */
  private collect(node: Node): void {
    const children = node.children;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (!child) continue;
      if (child.type === 'function_definition') {
        this.addFunction(child);
      } else if (CONTAINERS.has(child.type)) {
        this.collect(child);
      } else if (child.type === 'compound_statement' && i > 0) {
        const previous = children[i - 1];
        if (previous) this.addMacroFunction(previous, child);
      }
    }
  }

  private addFunction(node: Node): void {
    const body = node.childForFieldName('body');
    const declarator = node.childForFieldName('declarator');
    if (!body || !declarator) return;
    const functionDeclarator = findFunctionDeclarator(declarator);
    const nameNode = functionDeclarator
      ? innermostIdentifier(functionDeclarator.childForFieldName('declarator'))
      : undefined;
    if (!functionDeclarator || !nameNode) {
      this.addMacroHeaderFunction(node, declarator, body);
      return;
    }
    const parameters = readParameters(functionDeclarator, this.original);
    // `struct foo *f(void)`: the `*` belongs to the declarator, not to the type node.
    const pointer = declarator?.type === 'pointer_declarator' ? ' *' : '';
    const returnType = `${node.childForFieldName('type')?.text ?? 'int'}${pointer}`;
    const isStatic = node.children.some(
      (c) => c?.type === 'storage_class_specifier' && c.text === 'static',
    );
    this.functions.push(
      this.makeFunction(
        nameNode.text,
        span(nameNode),
        node,
        body,
        parameters,
        returnType,
        isStatic,
      ),
    );
  }

  /** `DEFINE_INTERRUPT_HANDLER_NMI(name) { ... }`, which parses as a type and `(name)`. */
  private addMacroHeaderFunction(node: Node, declarator: Node, body: Node): void {
    const macro = node.childForFieldName('type');
    const name =
      declarator.type === 'parenthesized_declarator' ? innermostIdentifier(declarator) : undefined;
    if (!macro || !name || !FUNCTION_MACRO.test(macro.text)) return;
    const fact = this.makeFunction(name.text, span(name), node, body, [], 'long', false);
    this.functions.push({ ...fact, definedBy: macro.text });
  }

  /** `SYSCALL_DEFINE3(name, ...) { ... }`: a macro call followed by a block. */
  private addMacroFunction(head: Node, body: Node): void {
    const call = head.type === 'call_expression' ? head : lastCall(head);
    if (!call) return;
    const macro = call.childForFieldName('function');
    const args = call.childForFieldName('arguments');
    if (!macro || macro.type !== 'identifier' || !FUNCTION_MACRO.test(macro.text) || !args) return;
    const first = args.namedChildren.find((c) => c?.type === 'identifier');
    if (!first) return;
    const fact = this.makeFunction(first.text, span(first), head, body, [], 'long', false);
    this.functions.push({ ...fact, definedBy: macro.text });
  }

  private makeFunction(
    name: string,
    nameSpan: Span,
    node: Node,
    body: Node,
    parameters: { name: string; type: string }[],
    returnType: string,
    isStatic: boolean,
  ): FunctionFact {
    const headerStart = extendOverBlanks(this.mask.text, node.startIndex);
    const headerSpan = { start: node.startIndex, end: body.startIndex };
    const attributes = this.mask.attributes.filter(
      (a) => a.span.start >= headerStart && a.span.start < body.startIndex,
    );
    const leading = this.mask.comments.filter((c) => c.end <= headerStart).at(-1);
    const leadingComment =
      leading && isBlank(this.mask.text, leading.end, headerStart)
        ? { text: leading.text, span: { start: leading.start, end: leading.end } }
        : undefined;
    const innerComments = this.mask.comments
      .filter((c) => c.start >= body.startIndex && c.end <= body.endIndex)
      .map((c) => ({ text: c.text, span: { start: c.start, end: c.end } }));
    const variables = new Map<string, string>(parameters.map((p) => [p.name, p.type]));
    const stmt = this.toBlock(body, variables);
    return {
      name,
      nameSpan,
      span: { start: Math.min(headerStart, node.startIndex), end: body.endIndex },
      headerSpan,
      body: stmt,
      isStatic,
      attributes,
      leadingComment,
      innerComments,
      returnType,
      variables,
      parameters,
    };
  }

  private toBlock(node: Node, variables: Map<string, string>): Stmt {
    const body: Stmt[] = [];
    for (const child of node.namedChildren) {
      if (child) body.push(...this.toStmts(child, variables));
    }
    return { kind: 'block', span: span(node), body };
  }

  /** Converts one statement node; a case or a label yields more than one statement. */
  private depth = 0;

  private toStmts(node: Node, variables: Map<string, string>): Stmt[] {
    if (this.depth >= MAX_DEPTH) return [];
    this.depth++;
    try {
      return this.convert(node, variables);
    } finally {
      this.depth--;
    }
  }

  private convert(node: Node, variables: Map<string, string>): Stmt[] {
    const at = span(node);
    switch (node.type) {
      case 'comment':
        return [];
      case 'compound_statement':
        return [this.toBlock(node, variables)];
      case 'declaration':
        recordDeclaration(node, variables);
        return this.eventsStmt(node);
      case 'expression_statement':
        return this.eventsStmt(node);
      case 'if_statement': {
        const condition = node.childForFieldName('condition');
        const consequence = node.childForFieldName('consequence');
        const alternative = node.childForFieldName('alternative');
        return [
          {
            kind: 'if',
            span: at,
            condition: condition
              ? this.original.slice(condition.startIndex, condition.endIndex)
              : '',
            events: condition ? this.callsIn(condition) : [],
            then: this.single(consequence, variables, at),
            otherwise: alternative
              ? this.single(
                  alternative.namedChildren.find((c) => c?.type !== 'comment') ?? null,
                  variables,
                  at,
                )
              : undefined,
          },
        ];
      }
      case 'while_statement':
        return [this.whileLoop(node, variables)];
      case 'for_statement': {
        const events: CallEvent[] = [];
        for (const field of ['initializer', 'condition', 'update']) {
          const part = node.childForFieldName(field);
          if (part) events.push(...this.callsIn(part));
        }
        return [
          {
            kind: 'loop',
            span: at,
            events,
            body: this.single(node.childForFieldName('body'), variables, at),
            once: false,
          },
        ];
      }
      case 'do_statement': {
        const condition = node.childForFieldName('condition');
        const once = condition ? /^\(\s*0\s*\)$/.test(condition.text) : false;
        return [
          {
            kind: 'loop',
            span: at,
            events: condition ? this.callsIn(condition) : [],
            body: this.single(node.childForFieldName('body'), variables, at),
            once,
          },
        ];
      }
      case 'switch_statement': {
        const condition = node.childForFieldName('condition');
        return [
          {
            kind: 'switch',
            span: at,
            events: condition ? this.callsIn(condition) : [],
            body: this.single(node.childForFieldName('body'), variables, at),
          },
        ];
      }
      case 'case_statement': {
        const isDefault = node.children[0]?.type === 'default';
        const value = node.childForFieldName('value');
        const stmts: Stmt[] = [{ kind: 'case', span: at, isDefault }];
        for (const child of node.namedChildren) {
          // `default:` has no value: every named child is the body.
          if (child && !(value && child.equals(value)))
            stmts.push(...this.toStmts(child, variables));
        }
        return stmts;
      }
      case 'return_statement':
        return [{ kind: 'return', span: at, events: this.callsIn(node) }];
      case 'goto_statement':
        return [{ kind: 'goto', span: at, label: node.childForFieldName('label')?.text ?? '' }];
      case 'labeled_statement': {
        const label = node.childForFieldName('label');
        const stmts: Stmt[] = [{ kind: 'label', span: at, label: label?.text ?? '' }];
        for (const child of node.namedChildren) {
          if (child && child.type !== 'statement_identifier')
            stmts.push(...this.toStmts(child, variables));
        }
        return stmts;
      }
      case 'break_statement':
        return [{ kind: 'break', span: at }];
      case 'continue_statement':
        return [{ kind: 'continue', span: at }];
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_else':
      case 'preproc_elif':
      case 'preproc_elifdef':
        return [this.preprocBranch(node, variables)];
      case 'ERROR':
        return [this.toBlock(node, variables)];
      case 'function_definition':
        // Only parse damage nests a definition in a body (a macro line with no semicolon
        // before it, as PKT_FLAGS in net/core/pktgen.c): it is a function of its own.
        this.addFunction(node);
        return [];
      default:
        return this.eventsStmt(node);
    }
  }

  private single(node: Node | null, variables: Map<string, string>, fallback: Span): Stmt {
    if (!node) return { kind: 'block', span: fallback, body: [] };
    const stmts = this.toStmts(node, variables);
    return stmts.length === 1 ? stmts[0] : { kind: 'block', span: span(node), body: stmts };
  }

  /** `#ifdef` inside a body: either branch may be compiled, so it is a nondeterministic if. */
  private preprocBranch(node: Node, variables: Map<string, string>): Stmt {
    const alternative = node.childForFieldName('alternative');
    const body: Stmt[] = [];
    for (const child of node.namedChildren) {
      if (!child || child === alternative || child.equals(alternative ?? node)) continue;
      if (
        child.type === 'identifier' ||
        child.type === 'preproc_defined' ||
        child.type === 'binary_expression' ||
        child.type === 'unary_expression' ||
        child.type === 'parenthesized_expression' ||
        (child.type === 'call_expression' && child.parent?.type !== 'preproc_if')
      )
        continue;
      body.push(...this.toStmts(child, variables));
    }
    const then: Stmt = { kind: 'block', span: span(node), body };
    if (node.type === 'preproc_else') return then;
    // `#ifdef CONFIG_X` twice in one body is compiled both times or neither: the condition
    // text lets the flow correlate the two blocks.
    const test = node.childForFieldName('condition') ?? node.childForFieldName('name');
    const directive = node.children[0]?.text ?? '#if';
    return {
      kind: 'if',
      span: span(node),
      condition: test ? `${directive} ${test.text}` : '#if',
      events: [],
      then,
      otherwise: alternative ? this.preprocBranch(alternative, variables) : undefined,
    };
  }

  private whileLoop(node: Node, variables: Map<string, string>): Stmt {
    const at = span(node);
    const body = this.single(node.childForFieldName('body'), variables, at);
    const masked = this.mask.loops.get(node.startIndex);
    if (!masked) {
      const condition = node.childForFieldName('condition');
      return {
        kind: 'loop',
        span: at,
        events: condition ? this.callsIn(condition) : [],
        body,
        once: false,
      };
    }
    const args = masked.args.map((a) => ({ text: this.original.slice(a.start, a.end), span: a }));
    const event: CallEvent = {
      callee: masked.name,
      calleeSpan: masked.nameSpan,
      span: masked.span,
      args,
      loop: true,
    };
    if (masked.name === 'scoped_guard') {
      return {
        kind: 'loop',
        span: at,
        events: [event],
        body,
        once: true,
        scopedGuard: { guardClass: args[0]?.text ?? '', argument: args[1]?.text ?? '' },
      };
    }
    return { kind: 'loop', span: at, events: [event], body, once: false };
  }

  private eventsStmt(node: Node): Stmt[] {
    const events = this.callsIn(node);
    return events.length > 0 ? [{ kind: 'events', span: span(node), events }] : [];
  }

  /** Calls inside an expression, innermost first (the order they run). */
  private callsIn(node: Node): CallEvent[] {
    const out: CallEvent[] = [];
    let depth = 0;
    const visit = (n: Node): void => {
      if (depth >= MAX_DEPTH) return;
      depth++;
      try {
        this.visitCall(n, visit, out);
      } finally {
        depth--;
      }
    };
    visit(node);
    return out;
  }

  private visitCall(n: Node, visit: (n: Node) => void, out: CallEvent[]): void {
    if (n.type === 'call_expression') {
      const fn = n.childForFieldName('function');
      const argsNode = n.childForFieldName('arguments');
      if (
        fn &&
        fn.type === 'call_expression' &&
        fn.childForFieldName('function')?.text === 'guard'
      ) {
        const guardArgs = this.arguments(fn.childForFieldName('arguments'));
        if (argsNode) visit(argsNode);
        out.push({
          callee: 'guard',
          calleeSpan: span(fn),
          span: span(n),
          args: this.arguments(argsNode),
          loop: false,
          guardClass: guardArgs[0]?.text ?? '',
        });
        return;
      }
      if (fn && fn.type !== 'identifier') visit(fn);
      if (argsNode) visit(argsNode);
      if (fn) {
        out.push({
          callee:
            fn.type === 'identifier' ? fn.text : this.original.slice(fn.startIndex, fn.endIndex),
          calleeSpan: span(fn),
          span: span(n),
          args: this.arguments(argsNode),
          loop: false,
        });
      }
      return;
    }
    for (const child of n.namedChildren) if (child) visit(child);
  }

  private arguments(node: Node | null): Argument[] {
    if (!node) return [];
    return node.namedChildren
      .filter((c): c is Node => c !== null && c.type !== 'comment')
      .map((c) => ({ text: this.original.slice(c.startIndex, c.endIndex), span: span(c) }));
  }
}

function span(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

function lastCall(node: Node): Node | undefined {
  if (node.type === 'call_expression') return node;
  for (let i = node.namedChildCount - 1; i >= 0; i--) {
    const child = node.namedChild(i);
    if (!child) continue;
    const found = lastCall(child);
    if (found) return found;
    break;
  }
  return undefined;
}

function findFunctionDeclarator(node: Node): Node | undefined {
  let current: Node | null = node;
  while (current) {
    if (current.type === 'function_declarator') return current;
    current = current.childForFieldName('declarator');
  }
  return undefined;
}

function innermostIdentifier(node: Node | null): Node | undefined {
  let current: Node | null = node;
  while (current) {
    if (current.type === 'identifier' || current.type === 'field_identifier') return current;
    const next: Node | null =
      current.childForFieldName('declarator') ??
      current.namedChildren.find((c) => c !== null && /declarator|identifier/.test(c.type)) ??
      null;
    current = next;
  }
  return undefined;
}

function readParameters(functionDeclarator: Node, text: string): { name: string; type: string }[] {
  const list = functionDeclarator.childForFieldName('parameters');
  if (!list) return [];
  const out: { name: string; type: string }[] = [];
  for (const p of list.namedChildren) {
    if (!p || p.type !== 'parameter_declaration') continue;
    const type = p.childForFieldName('type');
    const declarator = p.childForFieldName('declarator');
    const name = innermostIdentifier(declarator);
    if (!type || !name) continue;
    const stars = declarator
      ? (text.slice(declarator.startIndex, name.startIndex).match(/\*/g) ?? []).join('')
      : '';
    out.push({
      name: name.text,
      type: `${text.slice(type.startIndex, type.endIndex)} ${stars}`.trim(),
    });
  }
  return out;
}

function recordDeclaration(node: Node, variables: Map<string, string>): void {
  const type = node.childForFieldName('type');
  if (!type) return;
  for (const d of node.childrenForFieldName('declarator')) {
    if (!d) continue;
    const inner = d.type === 'init_declarator' ? d.childForFieldName('declarator') : d;
    const name = innermostIdentifier(inner);
    if (!inner || !name) continue;
    const stars = (inner.text.slice(0, name.startIndex - inner.startIndex).match(/\*/g) ?? []).join(
      '',
    );
    variables.set(name.text, `${type.text} ${stars}`.trim());
  }
}

/** Moves a start offset back over blanks, which include blanked attribute macros. */
function extendOverBlanks(masked: string, start: number): number {
  let i = start;
  while (i > 0 && /\s/.test(masked[i - 1])) i--;
  return i;
}

function isBlank(text: string, from: number, to: number): boolean {
  return /^\s*$/.test(text.slice(from, to));
}

function findRcuHeadFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const structHead = /\bstruct\s+(\w+)\s*\{/g;
  for (let m = structHead.exec(text); m; m = structHead.exec(text)) {
    let depth = 1;
    let i = structHead.lastIndex;
    while (i < text.length && depth > 0) {
      const c = text[i++];
      if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    const field = /\bstruct\s+rcu_head\s+(\w+)\s*;/.exec(text.slice(structHead.lastIndex, i));
    if (field) out.set(m[1], field[1]);
  }
  return out;
}

function findWrappers(mask: MaskResult): Map<string, WrapperMacro> {
  const out = new Map<string, WrapperMacro>();
  for (const d of mask.directives) {
    const m = /^#\s*define\s+(\w+)\s*\(([^)]*)\)(.*)$/s.exec(d.text);
    if (!m) continue;
    // A statement macro that takes its own reader around the walk (trace_osnoise.c's
    // osnoise_taint) is not an iterator its users must protect.
    if (/\b(rcu_read_lock\w*|srcu_read_lock\w*)\s*\(|\bs?guard\s*\(\s*s?rcu\s*\)/.test(m[3]))
      continue;
    const call = /\b(\w+)\s*\(/g;
    for (let c = call.exec(m[3]); c; c = call.exec(m[3])) {
      const primitive = findPrimitive(c[1]) ?? KNOWN_WRAPPERS.get(c[1]);
      if (!primitive) continue;
      const expandsTo = 'expandsTo' in primitive ? primitive.expandsTo : c[1];
      const base = findPrimitive(expandsTo);
      if (!base || base.kind !== 'iterator') break;
      const passesCond =
        'passesCond' in primitive && !('kind' in primitive)
          ? primitive.passesCond
          : countArgs(m[3], call.lastIndex) > base.arity;
      out.set(m[1], { name: m[1], expandsTo, passesCond });
      break;
    }
  }
  return out;
}

function countArgs(text: string, afterOpen: number): number {
  let depth = 1;
  let count = 1;
  for (let i = afterOpen; i < text.length && depth > 0; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 1) count++;
  }
  return count;
}

/** Extracts the facts of one file from its masked parse tree. */
export function extractFacts(
  file: string,
  original: string,
  mask: MaskResult,
  tree: Tree,
): FileFacts {
  return new Extractor(original, mask).run(file, tree);
}
