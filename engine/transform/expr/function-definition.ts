// The shape shared by expr-lang built-ins and Prequel helpers, so arity is checked once, at compile
// time.
import type { RuntimeContext } from './runtime-context';

export type FunctionDefinition =
  | {
      minArgs: number;
      maxArgs: number;
      lazy?: false;
      call(args: unknown[], context: RuntimeContext): unknown;
    }
  /**
   * Evaluates its arguments itself (`arg(index)`, undefined past the last), so a branch not taken
   * cannot fail (IF).
   */
  | {
      minArgs: number;
      maxArgs: number;
      lazy: true;
      call(arg: (index: number) => unknown, context: RuntimeContext): unknown;
    };

export function defineFunction(
  minArgs: number,
  maxArgs: number,
  call: (args: unknown[], context: RuntimeContext) => unknown,
): FunctionDefinition {
  return { minArgs, maxArgs, call };
}
