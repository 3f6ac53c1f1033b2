// Budgets for one evaluation: every evaluation step and every produced string or array is charged here.

/** A failure caused by the expression or its input; the evaluator turns it into an error value. */
export class ExprRuntimeError extends Error {}

export function fail(message: string): never {
  throw new ExprRuntimeError(message);
}

export type RuntimeContext = {
  now: Date;
  maxOutputLength: number;
  /** Charges `count` steps; fails once the budget is spent. */
  step(count?: number): void;
  /** Fails when a string or array of `length` would exceed the output bound; charges its allocation. */
  reserveOutput(length: number): void;
  /** Charges for reading a string or array of `length` elements, so rescanning a huge value is not free. */
  scan(length: number): void;
};

export type RuntimeLimits = { now?: Date; maxSteps?: number; maxOutputLength?: number };

export const defaultMaxSteps = 100_000;
export const defaultMaxOutputLength = 1_000_000;

// Charging one step per this many produced or scanned elements bounds memory as well as time:
// a loop that keeps building (or rereading) large strings runs out of steps long before anything else.
const elementsPerStep = 100;

export function createRuntimeContext(limits: RuntimeLimits = {}): RuntimeContext {
  const maxSteps = limits.maxSteps ?? defaultMaxSteps;
  const maxOutputLength = limits.maxOutputLength ?? defaultMaxOutputLength;
  let steps = 0;
  const step = (count = 1) => {
    steps += count;
    if (steps > maxSteps) fail('expression exceeded its step budget');
  };
  return {
    now: limits.now ?? new Date(),
    maxOutputLength,
    step,
    reserveOutput(length) {
      if (length > maxOutputLength) fail(`output of ${length} elements exceeds the limit of ${maxOutputLength}`);
      step(Math.floor(length / elementsPerStep));
    },
    scan(length) {
      step(Math.floor(length / elementsPerStep));
    },
  };
}
