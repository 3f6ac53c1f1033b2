// Walks the syntax tree. Each visited node is one step of the budget; failures are thrown as
// ExprRuntimeError and turned into error values by compileExpression.
import type { ExprNode } from './ast';
import { builtins } from './builtins';
import { callMethod } from './call-method';
import { applyBinaryOperator, applyUnaryOperator } from './operators';
import { isPredicateBuiltin } from './parser';
import { predicateBuiltins, type Predicate } from './predicate-builtins';
import { prequelHelpers } from './prequel-helpers';
import { fail, type RuntimeContext } from './runtime-context';
import {
  codePoints,
  fetch,
  isNil,
  mapKey,
  ownValue,
  setEntry,
  toInt,
  typeName,
  type ExprMap,
} from './runtime';

type Variables = { name: string; value: unknown; parent: Variables | undefined };
type PredicateFrame = { item: unknown; index: number; accumulator: unknown };
type Scope = { variables: Variables | undefined; frame: PredicateFrame | undefined };

/**
 * Returned through a postfix chain when `?.` meets nil; the enclosing chain node turns it into nil.
 */
const chainBreak = Symbol('chain break');

/**
 * Scopes are never mutated (a `let` or predicate makes a new one), so every evaluation can start
 * from this one.
 */
const topScope: Scope = Object.freeze({ variables: undefined, frame: undefined });

export function evaluate(
  root: ExprNode,
  env: Record<string, unknown>,
  context: RuntimeContext,
): unknown {
  return new Evaluator(env, context).visit(root, topScope) ?? null;
}

class Evaluator {
  constructor(
    private readonly env: Record<string, unknown>,
    private readonly context: RuntimeContext,
  ) {}

  visit(node: ExprNode, scope: Scope): unknown {
    this.context.step();
    switch (node.kind) {
      case 'nil':
        return null;
      case 'bool':
      case 'int':
      case 'float':
      case 'string':
        return node.value;
      case 'identifier':
        return this.lookup(node.name, scope);
      case 'pointer':
        return this.pointer(node.name, scope);
      case 'array': {
        this.context.reserveOutput(node.items.length);
        return node.items.map((item) => this.visit(item, scope));
      }
      case 'map': {
        const map: ExprMap = {};
        for (const entry of node.entries)
          setEntry(map, mapKey(this.visit(entry.key, scope)), this.visit(entry.value, scope));
        return map;
      }
      case 'unary':
        return applyUnaryOperator(node.operator, this.visit(node.operand, scope));
      case 'binary':
        return this.binary(node, scope);
      case 'conditional': {
        const condition = this.visit(node.condition, scope);
        if (typeof condition !== 'boolean')
          fail(`non-bool value (type ${typeName(condition)}) used as condition`);
        return this.visit(condition ? node.whenTrue : node.whenFalse, scope);
      }
      case 'let':
        return this.visit(node.body, {
          ...scope,
          variables: {
            name: node.name,
            value: this.visit(node.value, scope),
            parent: scope.variables,
          },
        });
      case 'member': {
        const object = this.visit(node.object, scope);
        if (object === chainBreak || (node.optional && isNil(object))) return chainBreak;
        // Indexing a string walks its code points.
        if (typeof object === 'string') this.context.scan(object.length);
        return fetch(object, this.visit(node.property, scope));
      }
      case 'slice':
        return this.slice(node, scope);
      case 'method': {
        const object = this.visit(node.object, scope);
        if (object === chainBreak || (node.optional && isNil(object))) return chainBreak;
        return callMethod(
          object,
          node.name,
          node.args.map((arg) => this.visit(arg, scope)),
        );
      }
      case 'chain': {
        const value = this.visit(node.node, scope);
        return value === chainBreak ? null : value;
      }
      case 'call':
        return this.call(node, scope);
      case 'predicate':
        return fail('a predicate can only be an argument of a built-in');
    }
  }

  private lookup(name: string, scope: Scope): unknown {
    for (let variables = scope.variables; variables; variables = variables.parent) {
      if (variables.name === name) return variables.value;
    }
    if (name === '$env') return this.env;
    // Unknown identifiers are columns missing from this row: nil, like expr-lang's non-strict mode.
    return ownValue(this.env, name) ?? null;
  }

  private pointer(name: string, scope: Scope): unknown {
    const frame = scope.frame ?? fail('cannot use pointer accessor outside predicate');
    if (name === '') return frame.item;
    if (name === 'index') return frame.index;
    return frame.accumulator ?? null;
  }

  private binary(node: Extract<ExprNode, { kind: 'binary' }>, scope: Scope): unknown {
    const { operator } = node;
    if (operator === 'and' || operator === 'or') {
      const left = this.visit(node.left, scope);
      if (typeof left !== 'boolean')
        fail(`invalid operation: ${operator} (non-bool left operand of type ${typeName(left)})`);
      if (operator === 'and' ? !left : left) return left;
      const right = this.visit(node.right, scope);
      if (typeof right !== 'boolean')
        fail(`invalid operation: ${operator} (non-bool right operand of type ${typeName(right)})`);
      return right;
    }
    if (operator === '??') {
      const left = this.visit(node.left, scope);
      return isNil(left) ? this.visit(node.right, scope) : left;
    }
    const left = this.visit(node.left, scope);
    const right = this.visit(node.right, scope);
    this.scanned(left);
    this.scanned(right);
    return applyBinaryOperator(operator, left, right, this.context);
  }

  /** Comparing or searching strings and arrays costs time in proportion to their length. */
  private scanned(value: unknown): void {
    if (typeof value === 'string' || Array.isArray(value)) this.context.scan(value.length);
  }

  private slice(node: Extract<ExprNode, { kind: 'slice' }>, scope: Scope): unknown {
    const object = this.visit(node.object, scope);
    if (object === chainBreak) return chainBreak;
    if (!Array.isArray(object) && typeof object !== 'string')
      fail(`cannot slice ${typeName(object)}`);
    this.scanned(object);
    const items = typeof object === 'string' ? codePoints(object) : object;
    const bound = (value: ExprNode | undefined, fallback: number) => {
      if (value === undefined) return fallback;
      const index = toInt(this.visit(value, scope), 'slice index');
      return Math.min(Math.max(index < 0 ? items.length + index : index, 0), items.length);
    };
    const to = bound(node.to, items.length);
    const from = Math.min(bound(node.from, 0), to);
    const sliced = items.slice(from, to);
    return typeof object === 'string' ? sliced.join('') : sliced;
  }

  private call(node: Extract<ExprNode, { kind: 'call' }>, scope: Scope): unknown {
    const { name, args } = node;
    if (isPredicateBuiltin(name)) {
      const [collection, predicateNode, ...extra] = args;
      const predicate: Predicate | undefined =
        predicateNode?.kind === 'predicate'
          ? (item, index, accumulator) =>
              this.visit(predicateNode.body, {
                variables: scope.variables,
                frame: { item, index, accumulator },
              })
          : undefined;
      const collectionValue = collection === undefined ? null : this.visit(collection, scope);
      const extraValues = extra.map((arg) => this.visit(arg, scope));
      return predicateBuiltins[name](collectionValue, predicate, extraValues, this.context);
    }
    const definition =
      (Object.hasOwn(prequelHelpers, name) ? prequelHelpers[name] : undefined) ??
      (Object.hasOwn(builtins, name) ? builtins[name] : undefined) ??
      fail(`unknown function ${name}`);
    if (definition.lazy)
      return definition.call(
        (index) => (index < args.length ? this.visit(args[index]!, scope) : undefined),
        this.context,
      );
    // A loop rather than args.map: no closure per call (every record evaluates its calls).
    const values: unknown[] = new Array(args.length);
    for (let index = 0; index < args.length; index++)
      values[index] = this.visit(args[index]!, scope);
    for (const value of values) if (typeof value === 'string') this.context.scan(value.length);
    const result = definition.call(values, this.context);
    // Every string or array a function returns counts against the output bound, whichever function
    // built it.
    if (typeof result === 'string' || Array.isArray(result))
      this.context.reserveOutput(result.length);
    return result;
  }
}
