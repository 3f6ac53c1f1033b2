import { describe, expect, test } from 'vitest';
import { compileExpression, type EvalResult, type EvaluateOptions } from './compile-expression';
import { createRegexAllowance } from './compile-regex';

function compiled(source: string) {
  const result = compileExpression(source);
  if (!result.ok) throw new Error(result.error.message);
  return result.expression;
}

/** Evaluates and says how long it took. */
function timed(
  source: string,
  env: Record<string, unknown> = {},
  options: EvaluateOptions = {},
): { result: EvalResult; ms: number } {
  const expression = compiled(source);
  const started = performance.now();
  const result = expression.evaluate(env, options);
  return { result, ms: performance.now() - started };
}

describe('regular expressions run in linear time, as RE2', () => {
  // Each took from seconds to minutes with JS's backtracking RegExp.
  test.each<[string, string, boolean]>([
    ['a*a*a*a*b', 'a'.repeat(250), false],
    ['(a+)+$', `${'a'.repeat(50_000)}b`, false],
    ['(a|a)*b', 'a'.repeat(50_000), false],
    ['(x+x+)+y', 'x'.repeat(50_000), false],
    ['^(\\d+)*$', `${'1'.repeat(50_000)}x`, false],
    ['(.*a){20}', 'a'.repeat(10_000), true],
  ])('%s on %#', (pattern, text, expected) => {
    const { result, ms } = timed('text matches pattern', { text, pattern });
    expect(result).toEqual({ ok: true, value: expected });
    expect(ms).toBeLessThan(500);
  });

  test('repeat("a", 250) matches "a*a*a*a*b" is false, at once', () => {
    const { result, ms } = timed('repeat("a", 250) matches "a*a*a*a*b"');
    expect(result).toEqual({ ok: true, value: false });
    expect(ms).toBeLessThan(100);
  });

  test('patterns RE2 rejects are compile errors with RE2 message and position', () => {
    const error = (source: string) => {
      const result = compileExpression(source);
      return result.ok ? null : result.error;
    };
    expect(error('name matches "(a)\\\\1"')).toEqual({
      message: 'error parsing regexp: invalid escape sequence: `\\1`',
      position: { offset: 13, line: 1, column: 14 },
    });
    expect(error('name matches "(?=a)"')?.message).toBe(
      'error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    );
    expect(error('name matches "(?<!a)b"')?.message).toMatch(/^error parsing regexp: /);
    expect(error('name matches "a**"')?.message).toBe(
      'error parsing regexp: invalid nested repetition operator: `**`',
    );
    expect(error('name matches "x{1001}"')?.message).toBe(
      'error parsing regexp: invalid repeat count: `{1001}`',
    );
  });

  test('a pattern that would compile to a huge program is refused before it is compiled', () => {
    const started = performance.now();
    const result = compileExpression(`name matches "(?:${'abcdefghij'.repeat(90)}){1000}"`);
    expect(result.ok || result.error.message).toMatch(
      /^regular expression is too large \(about 900\d+ instructions once compiled, more than 10000\)/,
    );
    // Compiling it would take about a second.
    expect(performance.now() - started).toBeLessThan(100);
  });

  test("many large patterns are refused together: one expression's, or one stream's", () => {
    const pattern = (index: number) => `"(?:[a-z][0-9]){1000}${index}"`;
    const many = Array.from({ length: 60 }, (_, index) => `name matches ${pattern(index)}`).join(
      ' or ',
    );
    const started = performance.now();
    const result = compileExpression(many);
    expect(result.ok || result.error.message).toMatch(
      /^the regular expressions here are too large together/,
    );
    expect(performance.now() - started).toBeLessThan(2_000);

    const allowance = createRegexAllowance();
    const outcomes = Array.from(
      { length: 60 },
      (_, index) =>
        compileExpression(`name matches ${pattern(index)}`, { regexAllowance: allowance }).ok,
    );
    // About 2,000 instructions each, 50,000 together.
    expect(outcomes.slice(0, 24).every(Boolean)).toBe(true);
    expect(outcomes.slice(25)).not.toContain(true);
    // The same pattern counts once.
    expect(
      compileExpression(`name matches ${pattern(1)} or name matches ${pattern(1)}`, {
        regexAllowance: createRegexAllowance(),
      }).ok,
    ).toBe(true);
  });

  test('a match is charged for program size × input length before it runs, so a huge one is refused at once', () => {
    const { result, ms } = timed('text matches "[\\\\p{L}\\\\p{N}]{1000}z"', {
      text: `${'é'.repeat(999)}!`.repeat(100) + 'z',
    });
    expect(result).toMatchObject({
      ok: false,
      error: { message: 'expression exceeded its step budget' },
    });
    expect(ms).toBeLessThan(50);
  });

  test('patterns built at run time are charged for compiling', () => {
    const { result, ms } = timed('map(1..1000, "x" matches ("(?:[a-z][0-9]){999}" + string(#)))');
    expect(result).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(/^expression (exceeded its step budget|took too long)/),
      },
    });
    expect(ms).toBeLessThan(1_000);
  });
});

describe('every evaluation has a time budget', () => {
  test('work that is slow for its steps stops at the time budget, with a fix', () => {
    // Building a million-element array is charged 10,000 steps and takes several milliseconds.
    const { result, ms } = timed(
      'map(1..1000000, reverse(1..1000000))',
      {},
      { maxMilliseconds: 50 },
    );
    expect(result).toEqual({
      ok: false,
      error: {
        message: 'expression took too long (more than its time budget of 50 ms)',
        fix: expect.stringContaining('simplify the expression'),
      },
    });
    expect(ms).toBeLessThan(500);
  });

  test('the default budget is 100 ms', () => {
    const { result, ms } = timed('map(1..1000000, reverse(1..1000000))');
    expect(result).toMatchObject({
      ok: false,
      error: { message: 'expression took too long (more than its time budget of 100 ms)' },
    });
    expect(ms).toBeGreaterThanOrEqual(100);
    expect(ms).toBeLessThan(1_000);
  });

  test('a budget shared with earlier work that spent it stops the next evaluation at once', () => {
    const spent = performance.now() - 200;
    expect(timed('1 + 1', {}, { startedAt: spent }).result).toMatchObject({
      ok: false,
      error: { message: 'expression took too long (more than its time budget of 100 ms)' },
    });
    expect(timed('1 + 1', {}, { startedAt: performance.now() }).result).toEqual({
      ok: true,
      value: 2,
    });
  });

  test('the step budget error says what to change too', () => {
    expect(timed('reduce(1..100000, #acc + 1, 0)', {}, { maxMilliseconds: 60_000 }).result).toEqual(
      {
        ok: false,
        error: {
          message: 'expression exceeded its step budget',
          fix: expect.stringContaining('simplify the expression'),
        },
      },
    );
  });
});

describe('numeric text is read in linear time, and only up to 1,000 characters', () => {
  test('float() of long digit runs fails at once instead of backtracking for seconds', () => {
    const { result, ms } = timed('float(text)', { text: `${'1'.repeat(100_000)}x` });
    expect(result).toEqual({
      ok: false,
      error: {
        message: `invalid operation: float(${'1'.repeat(57)}…) (text longer than 1000 characters)`,
      },
    });
    expect(ms).toBeLessThan(50);
    expect(timed('float(text)', { text: `${'1'.repeat(900)}x` }).result).toMatchObject({
      ok: false,
    });
    expect(timed('float(text)', { text: `0.${'1'.repeat(900)}` }).result).toEqual({
      ok: true,
      value: 0.1111111111111111,
    });
  });

  test('int() of long digit runs is out of range at once', () => {
    const { result, ms } = timed('int(text)', { text: '9'.repeat(100_000) });
    expect(result).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('(value out of range)') },
    });
    expect(ms).toBeLessThan(50);
  });
});
