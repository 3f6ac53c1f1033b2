import { describe, expect, test } from 'vitest';
import type { FieldError } from './schema-errors';
import { ExpressionTooSlow, PageTimeBudget } from './page-time-budget';

const outOfTime = (target: string): FieldError[] => [
  {
    target_field: target,
    stage: 'transform',
    message: 'expression took too long (more than its time budget of 100 ms)',
    fix: 'simplify the expression',
  },
];

/** The error `charge` throws, or null. */
function charged(budget: PageTimeBudget, milliseconds: number): ExpressionTooSlow | null {
  try {
    budget.charge(milliseconds);
    return null;
  } catch (error) {
    if (error instanceof ExpressionTooSlow) return error;
    throw error;
  }
}

describe("a page's time budget", () => {
  test('holds until the page has taken more than 2 s, however the time is charged', () => {
    const budget = new PageTimeBudget(['total']);
    for (let slice = 0; slice < 100; slice++) expect(charged(budget, 20)).toBeNull();
    expect(charged(budget, 1)).toBeInstanceOf(ExpressionTooSlow);
  });

  test('a page whose records ran out of their own time blames the mapping they ran out in, with the count and the fix', () => {
    const budget = new PageTimeBudget(['slow', 'fast']);
    for (let record = 0; record < 20; record++) budget.transformed(outOfTime('slow'));
    budget.transformed();
    budget.transformed([
      { target_field: 'fast', stage: 'transform', message: 'invalid operation: int("x")' },
    ]);
    const error = charged(budget, 2_001)!;
    expect(error).toMatchObject({
      code: 'expression_too_slow',
      blame: 'configuration',
      title: 'The expression of mapping "slow" is too slow',
    });
    expect(error.message).toBe(
      'The expression of mapping "slow" exceeded its time budget (100 ms a record) on 20 of 22 records, more than 2 s together, so the load stopped before transforming the rest; the records not delivered wait for the next load. Simplify the expression: avoid work that grows with the input, such as long repeat() results, map or filter over large ranges, nested loops, or large regular expressions on long text.',
    );
  });

  test('names every mapping that ran out, the most often first', () => {
    const budget = new PageTimeBudget(['a', 'b']);
    budget.transformed(outOfTime('b'));
    budget.transformed(outOfTime('a'));
    budget.transformed(outOfTime('b'));
    const error = charged(budget, 5_000)!;
    expect(error.title).toBe('The expressions of mappings "b", "a" are too slow');
    expect(error.message).toMatch(
      /^The expressions of mappings "b", "a" exceeded their time budget \(100 ms a record\) on 3 of 3 records, .* Simplify the expressions: /,
    );
  });

  test("a page slow within every record's budget names the stream's expressions and the time a record took", () => {
    const budget = new PageTimeBudget(['a', 'b']);
    for (let record = 0; record < 25; record++) budget.transformed();
    const error = charged(budget, 2_500)!;
    expect(error.title).toBe('The expressions of mappings "a", "b" are too slow');
    expect(error.message).toMatch(
      /^The expressions of mappings "a", "b" took more than 2 s for 25 records \(100\.0 ms a record\), so the load stopped/,
    );
    expect(charged(new PageTimeBudget([]), 2_500)!.title).toBe(
      "The stream's mappings are too slow",
    );
  });
});
