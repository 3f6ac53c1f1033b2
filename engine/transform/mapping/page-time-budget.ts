// Guards the load thread, which transforms every tenant's loads: a page's transforms are charged to
// a budget, and a page that spends it stops its load with an error blaming the stream's mapping,
// instead of holding the thread for the ~100 s a page of records that each run out of their own 100
// ms would take.
import { JobFailure } from '../../jobs/job-failure';
import { defaultMaxMilliseconds, isTimeBudgetError } from '../expr/runtime-context';
import type { FieldError } from './schema-errors';

/**
 * Thread time one page's transforms may take: a page of ordinary mappings takes a few tens of
 * milliseconds.
 */
export const defaultPageMilliseconds = 2_000;

/**
 * Why a load stopped transforming: the stream's mapping is to blame, and the load fails with this
 * error.
 */
export class ExpressionTooSlow extends JobFailure {
  constructor(title: string, message: string) {
    super('configuration', 'expression_too_slow', title, message);
  }
}

/** The mappings the error names, in the words of its sentences. */
type Culprits = { subject: string; is: string; its: string; fix: string };

const simplify =
  'avoid work that grows with the input, such as long repeat() results, map or filter over large ' +
  'ranges, nested loops, or large regular expressions on long text.';

function culprits(targets: readonly string[]): Culprits {
  const names = targets.map((target) => `"${target}"`).join(', ');
  if (targets.length === 1)
    return {
      subject: `The expression of mapping ${names}`,
      is: 'is',
      its: 'its',
      fix: `Simplify the expression: ${simplify}`,
    };
  if (targets.length)
    return {
      subject: `The expressions of mappings ${names}`,
      is: 'are',
      its: 'their',
      fix: `Simplify the expressions: ${simplify}`,
    };
  return {
    subject: "The stream's mappings",
    is: 'are',
    its: 'their',
    fix: `Simplify the mappings: ${simplify}`,
  };
}

/**
 * One page's account: the time its transforms took, and which mappings ran out of their records'
 * time budget.
 */
export class PageTimeBudget {
  private spent = 0;
  private records = 0;
  /** Records over their own time budget, by the mapping whose expression was running out of it. */
  private readonly overBudget = new Map<string, number>();

  constructor(
    /**
     * The target fields of the stream's expression mappings, named when no record ran out of its
     * own budget.
     */
    private readonly expressionTargets: readonly string[],
    private readonly maxMilliseconds = defaultPageMilliseconds,
  ) {}

  /** Notes a transformed record and what failed in it. */
  transformed(errors?: readonly FieldError[]): void {
    this.records++;
    const outOfTime = errors?.find(
      (error) => error.stage === 'transform' && isTimeBudgetError(error.message),
    );
    const target = outOfTime?.target_field;
    if (target !== undefined) this.overBudget.set(target, (this.overBudget.get(target) ?? 0) + 1);
  }

  /**
   * Charges work done on the page; throws ExpressionTooSlow once the page has taken more than its
   * budget.
   */
  charge(milliseconds: number): void {
    this.spent += milliseconds;
    if (this.spent > this.maxMilliseconds) throw this.tooSlow();
  }

  private tooSlow(): ExpressionTooSlow {
    const budget = `${this.maxMilliseconds / 1000} s`;
    const stopped =
      'so the load stopped before transforming the rest; the records not delivered wait for the ' +
      'next load';
    const byCount = [...this.overBudget].sort((a, b) => b[1] - a[1]);
    if (byCount.length) {
      const { subject, is, its, fix } = culprits(byCount.map(([target]) => target));
      const count = byCount.reduce((sum, [, records]) => sum + records, 0);
      return new ExpressionTooSlow(
        `${subject} ${is} too slow`,
        `${subject} exceeded ${its} time budget (${defaultMaxMilliseconds} ms a record) on ` +
          `${count} of ${this.records} records, more than ${budget} together, ${stopped}. ${fix}`,
      );
    }
    const { subject, is, fix } = culprits(this.expressionTargets);
    const each = `${(this.spent / Math.max(1, this.records)).toFixed(1)} ms`;
    return new ExpressionTooSlow(
      `${subject} ${is} too slow`,
      `${subject} took more than ${budget} for ${this.records} records (${each} a record), ` +
        `${stopped}. ${fix}`,
    );
  }
}
