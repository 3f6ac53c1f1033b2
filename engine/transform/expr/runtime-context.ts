// Budgets for one evaluation: every evaluation step and every produced string or array is charged
// here, and the clock is read every so many steps, so an expression stops when it has done too much
// or taken too long.

/** A failure caused by the expression or its input; the evaluator turns it into an error value. */
export class ExprRuntimeError extends Error {
  constructor(
    message: string,
    /** What to change, when the message alone does not say. */
    readonly fix?: string,
  ) {
    super(message);
  }
}

export function fail(message: string, fix?: string): never {
  throw new ExprRuntimeError(message, fix);
}

export type RuntimeContext = {
  now: Date;
  maxOutputLength: number;
  /** Charges `count` steps; fails once the budget is spent. */
  step(count?: number): void;
  /**
   * Fails when a string or array of `length` would exceed the output bound; charges its allocation.
   */
  reserveOutput(length: number): void;
  /**
   * Charges for reading a string or array of `length` elements, so rescanning a huge value is not
   * free.
   */
  scan(length: number): void;
};

export type RuntimeLimits = {
  now?: Date;
  maxSteps?: number;
  maxOutputLength?: number;
  /** Wall-clock time the evaluation may take, from `startedAt`. */
  maxMilliseconds?: number;
  /**
   * When the time budget began (performance.now()); a record's expressions share one. Defaults to
   * the evaluation's start.
   */
  startedAt?: number;
};

export const defaultMaxSteps = 100_000;
export const defaultMaxOutputLength = 1_000_000;
export const defaultMaxMilliseconds = 100;

// Reading the clock costs about as much as a few steps: it is read once every this many charged
// steps (a charge is made before the work it pays for, so no more than this much work goes
// unchecked).
const stepsPerClockCheck = 1000;

const timeBudgetMessage = 'expression took too long';
const budgetFix =
  'simplify the expression: avoid work that grows with the input, such as long repeat() results, ' +
  'map or filter over large ranges, nested loops, or large regular expressions on long text';

// Charging one step per this many produced or scanned elements bounds memory as well as time: a
// loop that keeps building (or rereading) large strings runs out of steps long before anything
// else.
const elementsPerStep = 100;

/**
 * A RuntimeContext that is reused: `begin` starts the next evaluation with a fresh budget. A
 * compiled expression keeps one, because a load evaluates it for every record and a new context
 * each time (an object and its methods) was a measurable share of that work. Evaluation is
 * synchronous, so one evaluation never overlaps another.
 */
export class EvaluationBudget implements RuntimeContext {
  now = new Date(0);
  maxOutputLength = defaultMaxOutputLength;
  private maxSteps = defaultMaxSteps;
  private maxMilliseconds = defaultMaxMilliseconds;
  private deadline = Infinity;
  private steps = 0;
  /** The step count at which the budgets are next checked. */
  private nextCheck = 0;

  begin(limits: RuntimeLimits = {}): this {
    this.now = limits.now ?? new Date();
    this.maxSteps = limits.maxSteps ?? defaultMaxSteps;
    this.maxOutputLength = limits.maxOutputLength ?? defaultMaxOutputLength;
    this.maxMilliseconds = limits.maxMilliseconds ?? defaultMaxMilliseconds;
    this.steps = 0;
    // A shared budget may be spent already (a record's earlier expressions took it): then this one
    // stops at once.
    this.deadline = (limits.startedAt ?? performance.now()) + this.maxMilliseconds;
    this.nextCheck =
      limits.startedAt === undefined ? Math.min(stepsPerClockCheck, this.maxSteps + 1) : 0;
    return this;
  }

  step(count = 1): void {
    this.steps += count;
    if (this.steps >= this.nextCheck) this.check();
  }

  reserveOutput(length: number): void {
    if (length > this.maxOutputLength)
      fail(`output of ${length} elements exceeds the limit of ${this.maxOutputLength}`);
    this.step(Math.floor(length / elementsPerStep));
  }

  scan(length: number): void {
    this.step(Math.floor(length / elementsPerStep));
  }

  private check(): void {
    if (performance.now() > this.deadline)
      fail(
        `${timeBudgetMessage} (more than its time budget of ${this.maxMilliseconds} ms)`,
        budgetFix,
      );
    if (this.steps > this.maxSteps) fail('expression exceeded its step budget', budgetFix);
    this.nextCheck = Math.min(this.steps + stepsPerClockCheck, this.maxSteps + 1);
  }
}

/** Whether an evaluation's error message says its time budget ran out. */
export function isTimeBudgetError(message: string): boolean {
  return message.startsWith(timeBudgetMessage);
}
