// Compile-time checks on a parsed expression: functions exist and get the right number of
// arguments, pointers are known, literal regexes compile; also collects the free identifiers (the
// columns it reads).
import { childNodes, type ExprNode } from './ast';
import { builtins } from './builtins';
import { compileLiteralRegex, createRegexAllowance, type RegexAllowance } from './compile-regex';
import type { FunctionDefinition } from './function-definition';
import { isPredicateBuiltin } from './parser';
import { prequelHelpers } from './prequel-helpers';

export type AnalysisError = { message: string; offset: number };
/**
 * `identifiers` are the columns the expression reads by name; `readsAllColumns` is true when it
 * also uses `$env` as a value (`$env[name]` with a computed name, `keys($env)`, …), so it may read
 * any column.
 */
export type Analysis =
  | { ok: true; identifiers: string[]; readsAllColumns: boolean }
  | { ok: false; error: AnalysisError };

const knownPointers = new Set(['', 'index', 'acc']);

class AnalysisFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * `regexAllowance` is shared when several expressions are compiled together (a stream's mappings).
 */
export function analyzeExpression(
  root: ExprNode,
  regexAllowance: RegexAllowance = createRegexAllowance(),
): Analysis {
  const identifiers = new Set<string>();
  let readsAllColumns = false;
  const walk = (node: ExprNode, bound: ReadonlySet<string>) => {
    switch (node.kind) {
      case 'identifier':
        if (bound.has(node.name)) return;
        if (node.name === '$env') readsAllColumns = true;
        else identifiers.add(node.name);
        return;
      case 'let':
        walk(node.value, bound);
        walk(node.body, new Set([...bound, node.name]));
        return;
      case 'pointer':
        if (!knownPointers.has(node.name))
          throw new AnalysisFailure(`unknown pointer #${node.name}`, node.offset);
        return;
      case 'member':
        // $env["first name"] reads a column whose name is not an identifier.
        if (
          node.object.kind === 'identifier' &&
          node.object.name === '$env' &&
          !bound.has('$env') &&
          node.property.kind === 'string'
        ) {
          identifiers.add(node.property.value);
          return;
        }
        break;
      case 'binary':
        if (node.operator === 'matches' && node.right.kind === 'string') {
          const regex = compileLiteralRegex(node.right.value, regexAllowance);
          if (typeof regex === 'string') throw new AnalysisFailure(regex, node.right.offset);
        }
        break;
      case 'call':
        checkCall(node);
        break;
    }
    for (const child of childNodes(node)) walk(child, bound);
  };
  try {
    walk(root, new Set());
    return { ok: true, identifiers: [...identifiers], readsAllColumns };
  } catch (error) {
    if (error instanceof AnalysisFailure)
      return { ok: false, error: { message: error.message, offset: error.offset } };
    throw error;
  }
}

function checkCall(node: Extract<ExprNode, { kind: 'call' }>): void {
  // The parser already fixed the argument shape of predicate built-ins.
  if (isPredicateBuiltin(node.name)) return;
  const definition: FunctionDefinition | undefined =
    (Object.hasOwn(prequelHelpers, node.name) ? prequelHelpers[node.name] : undefined) ??
    (Object.hasOwn(builtins, node.name) ? builtins[node.name] : undefined);
  if (definition === undefined)
    throw new AnalysisFailure(`unknown function ${node.name}`, node.offset);
  const count = node.args.length;
  if (count < definition.minArgs || count > definition.maxArgs) {
    const expected =
      definition.maxArgs === Infinity
        ? `at least ${definition.minArgs}`
        : definition.minArgs === definition.maxArgs
          ? `${definition.minArgs}`
          : `${definition.minArgs} to ${definition.maxArgs}`;
    throw new AnalysisFailure(
      `invalid number of arguments for ${node.name} (expected ${expected}, got ${count})`,
      node.offset,
    );
  }
}
