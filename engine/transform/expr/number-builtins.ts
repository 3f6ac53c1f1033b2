// expr-lang's numeric built-ins. Aggregates (max, min, mean, median) accept numbers and (nested)
// arrays of numbers.
import { defineFunction, type FunctionDefinition } from './function-definition';
import { integerResult } from './operators';
import { fail, type RuntimeContext } from './runtime-context';
import { compareValues, isInteger, isNumber, typeName } from './runtime';

export const numberBuiltins: Record<string, FunctionDefinition> = {
  abs: defineFunction(1, 1, ([value]) => {
    if (typeof value === 'bigint') return integerResult(value < 0n ? -value : value, true);
    if (typeof value !== 'number')
      return fail(`invalid argument for abs (type ${typeName(value)})`);
    return Math.abs(value);
  }),
  ceil: defineFunction(1, 1, ([value]) => Math.ceil(expectNumber('ceil', value))),
  floor: defineFunction(1, 1, ([value]) => Math.floor(expectNumber('floor', value))),
  // Go's math.Round rounds half away from zero; Math.round rounds half up.
  round: defineFunction(1, 1, ([value]) => {
    const number = expectNumber('round', value);
    return number < 0 ? -Math.round(-number) : Math.round(number);
  }),
  max: defineFunction(1, Infinity, (args, context) => extreme('max', args, 1, context)),
  min: defineFunction(1, Infinity, (args, context) => extreme('min', args, -1, context)),
  mean: defineFunction(1, Infinity, (args, context) => {
    const values = collectNumbers('mean', args, context);
    return values.length === 0
      ? 0
      : values.reduce((total, value) => total + value, 0) / values.length;
  }),
  median: defineFunction(1, Infinity, (args, context) => {
    const values = collectNumbers('median', args, context).sort((a, b) => a - b);
    if (values.length === 0) return 0;
    const middle = Math.floor(values.length / 2);
    return values.length % 2 === 1
      ? values[middle]
      : ((values[middle - 1] ?? 0) + (values[middle] ?? 0)) / 2;
  }),
  bitand: bitwise('bitand', (x, y) => x & y),
  bitor: bitwise('bitor', (x, y) => x | y),
  bitxor: bitwise('bitxor', (x, y) => x ^ y),
  bitnand: bitwise('bitnand', (x, y) => x & ~y),
  bitshl: bitwise('bitshl', (x, y) => x << shiftCount(y)),
  bitshr: bitwise('bitshr', (x, y) => x >> shiftCount(y)),
  bitushr: bitwise('bitushr', (x, y) => BigInt.asUintN(64, x) >> shiftCount(y)),
  bitnot: defineFunction(1, 1, ([value]) =>
    integerResult(~toInt64('bitnot', value), typeof value === 'bigint'),
  ),
};

function expectNumber(name: string, value: unknown): number {
  if (!isNumber(value)) fail(`invalid argument for ${name} (type ${typeName(value)})`);
  return Number(value);
}

/**
 * The largest (direction 1) or smallest (-1) number, returned as given; Go's minMax, including its
 * quirks.
 */
function extreme(
  name: string,
  args: unknown[],
  direction: 1 | -1,
  context: RuntimeContext,
): unknown {
  let best: unknown = null;
  for (const arg of args) {
    context.step();
    if (Array.isArray(arg)) {
      for (const element of arg) {
        const candidate = extreme(name, [element], direction, context);
        if (!isNumber(candidate))
          fail(`invalid argument for ${name} (type ${typeName(candidate)})`);
        if (best === null || compareValues(name, candidate, best) * direction > 0) best = candidate;
      }
    } else if (isNumber(arg)) {
      if (best === null || compareValues(name, arg, best) * direction > 0) best = arg;
    } else {
      // expr-lang hands a single non-numeric argument back unchanged.
      if (args.length === 1) return arg;
      fail(`invalid argument for ${name} (type ${typeName(arg)})`);
    }
  }
  return best;
}

function collectNumbers(name: string, args: unknown[], context: RuntimeContext): number[] {
  const numbers: number[] = [];
  const visit = (value: unknown) => {
    context.step();
    if (Array.isArray(value)) value.forEach(visit);
    else if (isNumber(value)) numbers.push(Number(value));
    else fail(`invalid argument for ${name} (type ${typeName(value)})`);
  };
  args.forEach(visit);
  return numbers;
}

function toInt64(name: string, value: unknown): bigint {
  if (!isInteger(value))
    fail(`invalid argument for ${name} (expected int, got ${typeName(value)})`);
  return BigInt(value);
}

function shiftCount(count: bigint): bigint {
  if (count < 0n) fail(`invalid operation: negative shift count ${count} (type int)`);
  // Shifting an int64 by 64 or more already yields 0 (or -1); capping avoids building a huge
  // bigint.
  return count > 64n ? 64n : count;
}

function bitwise(name: string, operation: (x: bigint, y: bigint) => bigint): FunctionDefinition {
  return defineFunction(2, 2, ([x, y]) =>
    integerResult(
      BigInt.asIntN(64, operation(toInt64(name, x), toInt64(name, y))),
      typeof x === 'bigint' || typeof y === 'bigint',
    ),
  );
}
