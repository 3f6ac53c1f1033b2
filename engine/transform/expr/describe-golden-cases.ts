// Test support: runs a table of [expression, env, expected value or error] through
// compileExpression.
import { describe, expect, test } from 'vitest';
import { compileExpression, type EvaluateOptions } from './compile-expression';

export type GoldenExpectation = { value: unknown } | { error: string };
export type GoldenCase = [
  source: string,
  env: Record<string, unknown>,
  expected: GoldenExpectation,
];

/** A fixed clock, so now() and TODAY() are deterministic in every table. */
export const goldenNow = new Date('2024-06-01T12:34:56.789Z');

/**
 * Compiles and evaluates; compile errors and evaluation errors both come back as `{ error }`. The
 * tables are about values, not the clock: they get a time budget a busy test machine does not run
 * out of, unless a case sets one.
 */
export function run(
  source: string,
  env: Record<string, unknown> = {},
  options: EvaluateOptions = {},
): GoldenExpectation {
  const compiled = compileExpression(source);
  if (!compiled.ok) return { error: compiled.error.message };
  const result = compiled.expression.evaluate(env, {
    now: goldenNow,
    maxMilliseconds: 10_000,
    ...options,
  });
  return result.ok ? { value: result.value } : { error: result.error.message };
}

export function describeGoldenCases(title: string, cases: GoldenCase[]): void {
  describe(title, () => {
    test.each(cases)('%s', (source, env, expected) => {
      const actual = run(source, env);
      if ('error' in expected) {
        expect(actual).toHaveProperty('error');
        expect((actual as { error: string }).error).toContain(expected.error);
      } else {
        expect(actual).toEqual(expected);
      }
    });
  });
}
