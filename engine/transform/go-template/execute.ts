// Runs a parsed template against plain JS data, following Go's text/template exec.go: dot,
// variables and their scopes, pipelines, if/with/range/template, and Go's error texts. Every run is
// bounded in steps, output size and nesting, so a template cannot hang or exhaust the engine.
import { builtinFunctions, type BuiltinFunction } from './functions';
import { goQuote } from './go-quote';
import {
  bigIntValue,
  GoError,
  GoFloat,
  goInt,
  hasOwnField,
  isTrue,
  kindOf,
  LimitError,
  ownField,
  sortedKeys,
  toJsonText,
  truth,
  typeName,
} from './go-value';
import {
  nodeToString,
  positionOf,
  type BranchNode,
  type CommandNode,
  type IdentifierNode,
  type ListNode,
  type Node,
  type NumberNode,
  type OperandNode,
  type ParsedTemplate,
  type PipeNode,
  type Segment,
  type TemplateNode,
  type VariableNode,
} from './parser';
import { formatValue, sprint, type FormatLimits } from './sprintf';

export type RenderLimits = { maxOutputLength: number; maxSteps: number };
export type RenderResult = { ok: true; output: string } | { ok: false; error: { message: string } };

/**
 * Go allows 100000 nested template calls; recursion that deep is always a mistake in a request
 * template.
 */
export const MAX_TEMPLATE_DEPTH = 100;
/** `range N` over an int (Go 1.22) is capped so that a number from data cannot spin forever. */
export const MAX_RANGE_INTEGER = 1_000_000;
/**
 * Nested if/with/range/template executions, across template calls; keeps recursion inside the JS
 * stack.
 */
const MAX_EXECUTION_NESTING = 1000;

/** Marks "no value piped in" apart from a piped nil, as Go's missingVal does. */
const NO_FINAL: unique symbol = Symbol('no final value');
type Final = unknown;

type Signal = 'break' | 'continue' | null;
type ErrorNode = Node | ListNode | OperandNode | CommandNode;

class ExecError extends Error {}

/**
 * JSON null inside data is Go's nil interface{} (walking through it fails), undefined is a missing
 * value (walking through it gives nil). Go unwraps interface values that leave a pipeline, so a
 * pipeline's null result, like the root data, becomes a plain missing value.
 */
function dig(value: unknown): unknown {
  return value === null ? undefined : value;
}

class Execution {
  private vars: { name: string; value: unknown }[] = [];
  private output = '';
  private steps = 0;
  private templateDepth = 0;
  private nesting = 0;
  private templateName: string;
  private node: ErrorNode | null = null;
  private readonly formatLimits: FormatLimits;

  constructor(
    private readonly template: ParsedTemplate,
    private readonly limits: RenderLimits,
  ) {
    this.templateName = template.name;
    this.formatLimits = { maxLength: limits.maxOutputLength };
  }

  run(data: unknown): string {
    const root = this.template.templates.get(this.template.name);
    const dot = dig(data);
    this.vars = [{ name: '$', value: dot }];
    if (root) this.walkList(dot, root);
    return this.output;
  }

  /**
   * Go's message shape: template: NAME:LINE:COLUMN: executing "NAME" at <NODE>: MESSAGE (1-based
   * column).
   */
  describe(message: string): string {
    if (!this.node) return `template: ${this.templateName}: ${message}`;
    const { line, column } = positionOf(this.template.source, this.node.pos);
    return (
      `template: ${this.template.name}:${line}:${column}: executing ` +
      `${goQuote(this.templateName)} at <${nodeToString(this.node)}>: ${message}`
    );
  }

  private errorf(message: string): never {
    throw new ExecError(this.describe(message));
  }

  private at(node: ErrorNode): void {
    this.node = node;
  }

  private step(): void {
    if (++this.steps > this.limits.maxSteps)
      throw new LimitError(`template exceeded its step budget of ${this.limits.maxSteps} steps`);
  }

  private write(text: string): void {
    if (this.output.length + text.length > this.limits.maxOutputLength) {
      throw new LimitError(
        `template output exceeds the limit of ${this.limits.maxOutputLength} characters`,
      );
    }
    this.output += text;
  }

  private enter(): void {
    if (++this.nesting > MAX_EXECUTION_NESTING) {
      throw new LimitError(
        `template execution nests more than ${MAX_EXECUTION_NESTING} levels deep`,
      );
    }
  }

  private leave(): void {
    this.nesting--;
  }

  // --- variables -------------------------------------------------------------------------------

  private push(name: string, value: unknown): void {
    this.vars.push({ name, value });
  }

  /** Assignment changes the most recent declaration of the name. */
  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const variable = this.vars[i];
      if (variable?.name === name) {
        variable.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: unknown): void {
    const variable = this.vars[this.vars.length - n];
    if (variable) variable.value = value;
  }

  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const variable = this.vars[i];
      if (variable?.name === name) return variable.value;
    }
    return this.errorf(`undefined variable: ${name}`);
  }

  // --- walking ---------------------------------------------------------------------------------

  private walkList(dot: unknown, list: ListNode): Signal {
    for (const node of list.nodes) {
      const signal = this.walk(dot, node);
      if (signal) return signal;
    }
    return null;
  }

  private walk(dot: unknown, node: Node): Signal {
    this.step();
    this.at(node);
    switch (node.type) {
      case 'text':
        this.write(node.text);
        return null;
      case 'action': {
        // An action that declares variables prints nothing; its variables live until the enclosing
        // {{end}}.
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, value);
        return null;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        this.walkTemplate(dot, node);
        return null;
      case 'break':
      case 'continue':
        return node.type;
    }
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): Signal {
    this.enter();
    const mark = this.vars.length;
    const value = this.evalPipeline(dot, node.pipe);
    const { truth, ok } = isTrue(value);
    if (!ok) this.errorf(`if/with can't use ${this.sprint(value)}`);
    let signal: Signal = null;
    if (truth) signal = this.walkList(node.type === 'with' ? value : dot, node.list);
    else if (node.elseList) signal = this.walkList(dot, node.elseList);
    this.vars.length = mark;
    this.leave();
    return signal;
  }

  private walkRange(dot: unknown, node: BranchNode): Signal {
    this.enter();
    this.at(node);
    const mark = this.vars.length;
    const value = this.evalPipeline(dot, node.pipe);
    const bodyMark = this.vars.length;
    const { decl, isAssign } = node.pipe;
    const iterate = (key: unknown, element: unknown): Signal => {
      this.step();
      // One variable gets the element; two get the key (or index) and the element.
      const [first, second] = decl;
      if (first) {
        if (isAssign) this.setVar(first.name, second ? key : element);
        else this.setTopVar(1, element);
      }
      if (second) {
        if (isAssign) this.setVar(second.name, element);
        else this.setTopVar(2, key);
      }
      const signal = this.walkList(element, node.list);
      this.vars.length = bodyMark;
      return signal;
    };
    let iterated = false;
    switch (kindOf(value)) {
      case 'slice': {
        const items = value as unknown[];
        for (let i = 0; i < items.length; i++) {
          iterated = true;
          if (iterate(i, items[i]) === 'break') break;
        }
        break;
      }
      case 'map': {
        // Go visits map keys in sorted order.
        for (const key of sortedKeys(value as object)) {
          iterated = true;
          if (iterate(key, ownField(value as object, key)) === 'break') break;
        }
        break;
      }
      case 'int': {
        const count = bigIntValue(value);
        if (decl.length > 1)
          this.errorf(`can't use ${count} to iterate over more than one variable`);
        if (count > BigInt(MAX_RANGE_INTEGER))
          this.errorf(`range over ${count} exceeds the limit of ${MAX_RANGE_INTEGER} iterations`);
        for (let i = 0; i < Number(count); i++) {
          iterated = true;
          if (iterate(i, i) === 'break') break;
        }
        break;
      }
      case 'nil':
        break; // nil ranges like an empty collection
      default:
        this.errorf(`range can't iterate over ${this.sprint(value)}`);
    }
    // {{break}} and {{continue}} in the else branch belong to an enclosing range.
    const signal = !iterated && node.elseList ? this.walkList(dot, node.elseList) : null;
    this.vars.length = mark;
    this.leave();
    return signal;
  }

  private walkTemplate(dot: unknown, node: TemplateNode): void {
    this.at(node);
    const body = this.template.templates.get(node.name);
    if (!body) this.errorf(`template ${goQuote(node.name)} not defined`);
    if (this.templateDepth >= MAX_TEMPLATE_DEPTH)
      this.errorf(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
    // Variables declared by the argument pipeline belong to the caller's scope.
    const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    const saved = { vars: this.vars, name: this.templateName };
    // No dynamic scoping: the called template sees only $, set to its dot.
    this.vars = [{ name: '$', value: newDot }];
    this.templateName = node.name;
    this.templateDepth++;
    this.enter();
    this.walkList(newDot, body);
    this.leave();
    this.templateDepth--;
    this.vars = saved.vars;
    this.templateName = saved.name;
  }

  // --- evaluation ------------------------------------------------------------------------------

  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: unknown = NO_FINAL;
    for (const cmd of pipe.cmds) value = dig(this.evalCommand(dot, cmd, value));
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.name, value);
      else this.push(variable.name, value);
    }
    return value;
  }

  private notAFunction(args: readonly OperandNode[], final: Final): void {
    const [first] = args;
    if (first && (args.length > 1 || final !== NO_FINAL))
      this.errorf(`can't give argument to non-function ${nodeToString(first)}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    this.step();
    const [first] = cmd.args;
    if (!first) return this.errorf('empty command');
    switch (first.type) {
      case 'field':
        return this.evalFieldChain(dot, dot, first, first.path, cmd.args, final);
      case 'chain': {
        this.at(first);
        const base = this.evalArg(dot, first.base);
        return this.evalFieldChain(dot, base, first, first.path, cmd.args, final);
      }
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        // Parenthesized pipeline: its arguments are all inside it.
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.value;
    }
  }

  private idealConstant(node: NumberNode): unknown {
    this.at(node);
    switch (node.value.kind) {
      case 'int':
        return goInt(node.value.value);
      case 'float':
        return Number.isInteger(node.value.value)
          ? new GoFloat(node.value.value)
          : node.value.value;
      case 'overflow':
        return this.errorf(`${node.text} overflows int`);
    }
  }

  private evalVariable(
    dot: unknown,
    node: VariableNode,
    args: readonly OperandNode[] | null,
    final: Final,
  ): unknown {
    this.at(node);
    const value = this.varValue(node.name);
    if (node.path.length === 0) {
      this.notAFunction(args ?? [], final);
      return value;
    }
    return this.evalFieldChain(dot, value, node, node.path, args, final);
  }

  /**
   * Walks .X.Y[0].Z from the receiver; only the last step may receive arguments (and then fails).
   */
  private evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: OperandNode,
    path: readonly Segment[],
    args: readonly OperandNode[] | null,
    final: Final,
  ): unknown {
    let value = receiver;
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      value = this.evalSegment(value, segment, node, last ? args : null, last ? final : NO_FINAL);
    });
    return value;
  }

  private evalSegment(
    receiver: unknown,
    segment: Segment,
    node: OperandNode,
    args: readonly OperandNode[] | null,
    final: Final,
  ): unknown {
    this.at(node);
    const hasArgs = (args !== null && args.length > 1) || final !== NO_FINAL;
    const kind = kindOf(receiver);
    const name = segment.kind === 'field' ? segment.name : `[${segment.index}]`;
    // A missing key reads as nil and so does anything read through it (Go's default missingkey
    // behaviour), but a null stored in data is Go's nil interface{}, which cannot be walked
    // through.
    if (receiver === null)
      this.errorf(
        `nil pointer evaluating interface {}${segment.kind === 'field' ? '.' : ''}${name}`,
      );
    if (kind === 'nil') return undefined;
    if (segment.kind === 'index') {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      if (kind !== 'slice') this.errorf(`can't index item of type ${typeName(receiver)}`);
      const items = receiver as unknown[];
      if (segment.index >= items.length) this.errorf(`index out of range: ${segment.index}`);
      return items[segment.index];
    }
    const isAsJson =
      segment.name === 'AsJson' &&
      (kind === 'slice' || (kind === 'map' && !hasOwnField(receiver as object, 'AsJson')));
    if (kind === 'map' || isAsJson) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      if (isAsJson) return this.guard(() => toJsonText(receiver));
      return ownField(receiver as object, segment.name);
    }
    return this.errorf(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  private evalArg(dot: unknown, node: OperandNode): unknown {
    this.at(node);
    switch (node.type) {
      case 'dot':
        return dot;
      case 'nil':
        return undefined;
      case 'field':
        return this.evalFieldChain(dot, dot, node, node.path, [node], NO_FINAL);
      case 'variable':
        return this.evalVariable(dot, node, null, NO_FINAL);
      case 'pipe':
        return this.evalPipeline(dot, node);
      case 'identifier':
        return this.evalFunction(dot, node, node, null, NO_FINAL);
      case 'chain': {
        const base = this.evalArg(dot, node.base);
        return this.evalFieldChain(dot, base, node, node.path, null, NO_FINAL);
      }
      case 'bool':
        return node.value;
      case 'number':
        return this.idealConstant(node);
      case 'string':
        return node.value;
    }
  }

  /**
   * printf's format is a Go string parameter: literals of other types and other values are refused.
   */
  private evalStringArg(dot: unknown, node: OperandNode): string {
    this.at(node);
    switch (node.type) {
      case 'string':
        return node.value;
      case 'nil':
        return this.errorf('cannot assign nil to string');
      case 'bool':
      case 'number':
        return this.errorf(`expected string; found ${nodeToString(node)}`);
    }
    return this.validateString(this.evalArg(dot, node));
  }

  private validateString(value: unknown): string {
    if (typeof value === 'string') return value;
    if (kindOf(value) === 'nil') return this.errorf('invalid value; expected string');
    return this.errorf(`wrong type for value; expected string; got ${typeName(value)}`);
  }

  private evalFunction(
    dot: unknown,
    node: IdentifierNode,
    cmd: ErrorNode,
    args: readonly OperandNode[] | null,
    final: Final,
  ): unknown {
    this.at(node);
    const fn = builtinFunctions.get(node.name);
    if (!fn) return this.errorf(`${goQuote(node.name)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, node.name, args, final);
  }

  private evalCall(
    dot: unknown,
    fn: BuiltinFunction,
    node: ErrorNode,
    name: string,
    args: readonly OperandNode[] | null,
    final: Final,
  ): unknown {
    const argNodes = args ? args.slice(1) : [];
    const hasFinal = final !== NO_FINAL;
    const numIn = argNodes.length + (hasFinal ? 1 : 0);
    if (fn.variadic) {
      if (numIn < fn.fixed)
        this.errorf(
          `wrong number of args for ${name}: want at least ${fn.fixed} got ${argNodes.length}`,
        );
    } else if (numIn !== fn.fixed) {
      this.errorf(`wrong number of args for ${name}: want ${fn.fixed} got ${numIn}`);
    }
    if (fn.shortCircuit) {
      let value: unknown;
      for (const arg of argNodes) {
        value = this.evalArg(dot, arg);
        if (truth(value) === (fn.shortCircuit === 'or')) return value;
      }
      return hasFinal ? final : value;
    }
    const argv = argNodes.map((arg, i) =>
      fn.stringFormat && i === 0 ? this.evalStringArg(dot, arg) : this.evalArg(dot, arg),
    );
    if (hasFinal)
      argv.push(fn.stringFormat && argNodes.length === 0 ? this.validateString(final) : final);
    this.at(node);
    return this.guard(
      () => fn.call(argv, { limits: this.formatLimits, argumentText: argNodes.map(nodeToString) }),
      (message) => `error calling ${name}: ${message}`,
    );
  }

  /** Turns a GoError from a function or value helper into Go's located message. */
  private guard<T>(run: () => T, wrap: (message: string) => string = (message) => message): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof GoError) this.errorf(wrap(error.message));
      throw error;
    }
  }

  private sprint(value: unknown): string {
    return this.guard(() => sprint([value], this.formatLimits));
  }

  private printValue(node: Node, value: unknown): void {
    this.at(node);
    const kind = kindOf(value);
    if (kind === 'func' || kind === 'unsupported')
      this.errorf(`can't print ${nodeToString(node)} of type ${typeName(value)}`);
    this.write(this.guard(() => formatValue(value, this.formatLimits)));
  }
}

export function executeTemplate(
  template: ParsedTemplate,
  data: unknown,
  limits: RenderLimits,
): RenderResult {
  const execution = new Execution(template, limits);
  try {
    return { ok: true, output: execution.run(data) };
  } catch (error) {
    if (error instanceof ExecError || error instanceof LimitError)
      return { ok: false, error: { message: error.message } };
    if (error instanceof GoError)
      return { ok: false, error: { message: execution.describe(error.message) } };
    throw error;
  }
}
