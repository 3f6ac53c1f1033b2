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

/**
 * A RuntimeContext that is reused: `begin` starts the next evaluation with a fresh budget. A compiled expression
 * keeps one, because a load evaluates it for every record and a new context each time (an object and its methods)
 * was a measurable share of that work. Evaluation is synchronous, so one evaluation never overlaps another.
 */
export class EvaluationBudget implements RuntimeContext {
  now = new Date(0);
  maxOutputLength = defaultMaxOutputLength;
  private maxSteps = defaultMaxSteps;
  private steps = 0;

  begin(limits: RuntimeLimits = {}): this {
    this.now = limits.now ?? new Date();
    this.maxSteps = limits.maxSteps ?? defaultMaxSteps;
    this.maxOutputLength = limits.maxOutputLength ?? defaultMaxOutputLength;
    this.steps = 0;
    return this;
  }

  step(count = 1): void {
    this.steps += count;
    if (this.steps > this.maxSteps) fail('expression exceeded its step budget');
  }

  reserveOutput(length: number): void {
    if (length > this.maxOutputLength) fail(`output of ${length} elements exceeds the limit of ${this.maxOutputLength}`);
    this.step(Math.floor(length / elementsPerStep));
  }

  scan(length: number): void {
    this.step(Math.floor(length / elementsPerStep));
  }
}
