// The shape shared by expr-lang built-ins and Prequel helpers, so arity is checked once, at compile time.
import type { RuntimeContext } from './runtime-context';

export type FunctionDefinition =
  | { minArgs: number; maxArgs: number; lazy?: false; call(args: unknown[], context: RuntimeContext): unknown }
  /** Receives its arguments unevaluated, so a branch that is not taken cannot fail (IF). */
  | { minArgs: number; maxArgs: number; lazy: true; call(args: (() => unknown)[], context: RuntimeContext): unknown };

export function defineFunction(
  minArgs: number,
  maxArgs: number,
  call: (args: unknown[], context: RuntimeContext) => unknown,
): FunctionDefinition {
  return { minArgs, maxArgs, call };
}
