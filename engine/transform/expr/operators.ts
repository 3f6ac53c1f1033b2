// expr-lang's operator semantics on our value model. Integer arithmetic stays exact: results beyond
// 2^53 become bigint, and anything beyond Go's int64 is an error rather than a silent wrap-around.
import type { BinaryOperator, UnaryOperator } from './ast';
import { checkRegexSize, compileRegex, isRegexCached } from './compile-regex';
import { GoDuration } from './go-duration';
import { fail, type RuntimeContext } from './runtime-context';
import {
  compareValues,
  isDate,
  isEqual,
  isInteger,
  isMap,
  isNil,
  isNumber,
  mapKey,
  mismatchedTypes,
  ownValue,
  typeName,
} from './runtime';

const minInt64 = -(2n ** 63n);
const maxInt64 = 2n ** 63n - 1n;
const maxRangeSize = 1_000_000;
/**
 * A match cannot be stopped once started, and takes up to (program size × input length) units of
 * work, each up to about 80 ns (a large Unicode class on the slow path): it is charged one step
 * (about 1 µs of other work) per this many units before it starts, so a whole step budget of
 * matching stays near the time budget.
 */
const matchUnitsPerStep = 20;

/**
 * Normalises an exact integer: a number when it is a safe integer (unless `keepBigint`), otherwise
 * a bigint.
 */
export function integerResult(value: bigint, keepBigint = false): number | bigint {
  if (value < minInt64 || value > maxInt64)
    fail('integer overflow (result does not fit in 64 bits)');
  if (
    !keepBigint &&
    value >= BigInt(Number.MIN_SAFE_INTEGER) &&
    value <= BigInt(Number.MAX_SAFE_INTEGER)
  )
    return Number(value);
  return value;
}

type IntegerPair = { left: bigint; right: bigint; keepBigint: boolean };

/**
 * Both operands as exact integers when Go would see two ints; a bigint mixed with an integral
 * number within int64 counts.
 */
function asIntegerPair(left: unknown, right: unknown): IntegerPair | undefined {
  const integral = (value: unknown) =>
    isInteger(value) ||
    (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 63);
  if (isInteger(left) && isInteger(right)) {
    return {
      left: BigInt(left),
      right: BigInt(right),
      keepBigint: typeof left === 'bigint' || typeof right === 'bigint',
    };
  }
  if (
    (typeof left === 'bigint' && integral(right)) ||
    (typeof right === 'bigint' && integral(left))
  ) {
    return {
      left: BigInt(left as number | bigint),
      right: BigInt(right as number | bigint),
      keepBigint: true,
    };
  }
  return undefined;
}

function arithmetic(operator: '+' | '-' | '*', left: unknown, right: unknown): unknown {
  if (
    typeof left === 'number' &&
    typeof right === 'number' &&
    Number.isSafeInteger(left) &&
    Number.isSafeInteger(right)
  ) {
    const fast = operator === '+' ? left + right : operator === '-' ? left - right : left * right;
    // A safe result of two safe integers is exact; otherwise redo it in bigint below.
    if (Number.isSafeInteger(fast)) return fast === 0 ? 0 : fast;
  }
  const integers = asIntegerPair(left, right);
  if (integers) {
    const { left: a, right: b, keepBigint } = integers;
    return integerResult(operator === '+' ? a + b : operator === '-' ? a - b : a * b, keepBigint);
  }
  if (isNumber(left) && isNumber(right)) {
    const a = Number(left);
    const b = Number(right);
    return operator === '+' ? a + b : operator === '-' ? a - b : a * b;
  }
  return undefined;
}

function add(left: unknown, right: unknown, context: RuntimeContext): unknown {
  if (typeof left === 'string' && typeof right === 'string') {
    context.reserveOutput(left.length + right.length);
    return left + right;
  }
  if (isDate(left) && right instanceof GoDuration) return shiftDate(left, right.nanoseconds);
  if (left instanceof GoDuration && isDate(right)) return shiftDate(right, left.nanoseconds);
  if (left instanceof GoDuration && right instanceof GoDuration)
    return durationOf(left.nanoseconds + right.nanoseconds);
  return arithmetic('+', left, right) ?? mismatchedTypes('+', left, right);
}

function subtract(left: unknown, right: unknown): unknown {
  if (isDate(left) && isDate(right))
    return durationOf(BigInt(left.getTime() - right.getTime()) * 1_000_000n);
  if (isDate(left) && right instanceof GoDuration) return shiftDate(left, -right.nanoseconds);
  if (left instanceof GoDuration && right instanceof GoDuration)
    return durationOf(left.nanoseconds - right.nanoseconds);
  return arithmetic('-', left, right) ?? mismatchedTypes('-', left, right);
}

function multiply(left: unknown, right: unknown): unknown {
  if (left instanceof GoDuration && isInteger(right))
    return durationOf(left.nanoseconds * BigInt(right));
  if (isInteger(left) && right instanceof GoDuration)
    return durationOf(BigInt(left) * right.nanoseconds);
  return arithmetic('*', left, right) ?? mismatchedTypes('*', left, right);
}

/**
 * `/` always yields a float in expr-lang. Division by zero is an error here (Go would give ±Inf,
 * which no column can store).
 */
function divide(left: unknown, right: unknown): number {
  if (!isNumber(left) || !isNumber(right)) return mismatchedTypes('/', left, right);
  if (Number(right) === 0)
    fail(isInteger(left) && isInteger(right) ? 'integer divide by zero' : 'float divide by zero');
  return Number(left) / Number(right);
}

function modulo(left: unknown, right: unknown): unknown {
  const integers = asIntegerPair(left, right);
  if (!integers) return mismatchedTypes('%', left, right);
  if (integers.right === 0n) fail('integer divide by zero');
  return integerResult(integers.left % integers.right, integers.keepBigint);
}

function power(left: unknown, right: unknown): number {
  if (!isNumber(left) || !isNumber(right)) return mismatchedTypes('**', left, right);
  return Number(left) ** Number(right);
}

function range(left: unknown, right: unknown, context: RuntimeContext): number[] {
  if (!isInteger(left) || !isInteger(right)) return mismatchedTypes('..', left, right);
  const size = Number(BigInt(right) - BigInt(left)) + 1;
  if (size <= 0) return [];
  if (size > maxRangeSize)
    fail(`range ${left}..${right} is too large (more than ${maxRangeSize} elements)`);
  context.reserveOutput(size);
  const start = Number(left);
  // A plain loop: several times faster than Array.from with a mapping function.
  const items = new Array<number>(size);
  for (let offset = 0; offset < size; offset++) items[offset] = start + offset;
  return items;
}

function membership(needle: unknown, haystack: unknown, context: RuntimeContext): boolean {
  if (isNil(haystack)) return false;
  if (Array.isArray(haystack)) {
    context.step(Math.ceil(haystack.length / 10));
    return haystack.some((item) => isEqual(item, needle));
  }
  if (isMap(haystack)) {
    if (isNil(needle)) return false;
    return ownValue(haystack, mapKey(needle)) !== undefined;
  }
  return fail(`operator "in" not defined on ${typeName(haystack)}`);
}

function stringOperator(
  operator: 'contains' | 'startsWith' | 'endsWith' | 'matches',
  left: unknown,
  right: unknown,
  context: RuntimeContext,
): boolean {
  if (typeof left !== 'string' || typeof right !== 'string')
    return mismatchedTypes(operator, left, right);
  switch (operator) {
    case 'contains':
      return left.includes(right);
    case 'startsWith':
      return left.startsWith(right);
    case 'endsWith':
      return left.endsWith(right);
    case 'matches':
      return matches(left, right, context);
  }
}

/** Go's regexp.MatchString: whether the RE2 pattern matches anywhere in the text. */
function matches(text: string, pattern: string, context: RuntimeContext): boolean {
  // A pattern built at run time is compiled here, charged about a step per instruction before it
  // starts (a literal one was compiled with the expression).
  if (!isRegexCached(pattern)) {
    const size = checkRegexSize(pattern);
    if (typeof size === 'number') context.step(size);
  }
  const compiled = compileRegex(pattern);
  if (typeof compiled === 'string') fail(compiled);
  context.step(Math.floor((compiled.size * (text.length + 1)) / matchUnitsPerStep));
  return compiled.regex.test(text);
}

export function applyBinaryOperator(
  operator: BinaryOperator,
  left: unknown,
  right: unknown,
  context: RuntimeContext,
): unknown {
  switch (operator) {
    case '==':
      return isEqual(left, right);
    case '!=':
      return !isEqual(left, right);
    case '<':
      return compareValues(operator, left, right) < 0;
    case '>':
      return compareValues(operator, left, right) > 0;
    case '<=':
      return compareValues(operator, left, right) <= 0;
    case '>=':
      return compareValues(operator, left, right) >= 0;
    case '+':
      return add(left, right, context);
    case '-':
      return subtract(left, right);
    case '*':
      return multiply(left, right);
    case '/':
      return divide(left, right);
    case '%':
      return modulo(left, right);
    case '**':
      return power(left, right);
    case '..':
      return range(left, right, context);
    case 'in':
      return membership(left, right, context);
    case 'contains':
    case 'startsWith':
    case 'endsWith':
    case 'matches':
      return stringOperator(operator, left, right, context);
    default:
      // and, or and ?? short-circuit, so the evaluator handles them before their right side exists.
      return fail(`operator ${operator} cannot be applied here`);
  }
}

export function applyUnaryOperator(operator: UnaryOperator, operand: unknown): unknown {
  if (operator === 'not') {
    if (typeof operand !== 'boolean')
      fail(`invalid operation: not ${typeName(operand)} (expected bool)`);
    return !operand;
  }
  if (!isNumber(operand)) fail(`invalid operation: ${operator} ${typeName(operand)}`);
  if (operator === '+') return operand;
  if (typeof operand === 'bigint') return integerResult(-operand, true);
  return operand === 0 ? 0 : -operand;
}

function durationOf(nanoseconds: bigint): GoDuration {
  if (nanoseconds < minInt64 || nanoseconds > maxInt64) fail('duration overflow');
  return new GoDuration(nanoseconds);
}

export function shiftDate(date: Date, nanoseconds: bigint): Date {
  return new Date(date.getTime() + Number(nanoseconds / 1_000_000n));
}
