// Operator precedence and associativity as expr-lang parses them (parser/operator/operator.go and
// parseComparison upstream): each case is evaluated, so a wrong grouping shows as a wrong value.
import { describeGoldenCases, type GoldenExpectation } from './describe-golden-cases';

const is = (value: unknown): GoldenExpectation => ({ value });
const fails = (error: string): GoldenExpectation => ({ error });

describeGoldenCases('comparison and equality share one level, left associative', [
  ['1 < 2 == true', {}, is(true)],
  ['1 > 2 == false', {}, is(true)],
  ['1 < 2 != false', {}, is(true)],
  ['"b" > "a" == true', {}, is(true)],
  ['1 == 1 == true', {}, is(true)],
  ['1 == 1 != false', {}, is(true)],
  ['x in [1] == true', { x: 1 }, is(true)],
  ['x in [1] == true', { x: 2 }, is(false)],
  ['1 in [1] in [true]', {}, is(true)],
  ['2 > 1 in [true]', {}, is(true)],
  ['"ab" matches "a" == true', {}, is(true)],
  ['"abc" contains "b" == "abc" startsWith "a"', {}, fails('mismatched types bool and string')],
  ['"x" not in ["a"] == true', {}, is(true)],
  ['"abc" not contains "z" == true', {}, is(true)],
]);

describeGoldenCases('only <, >, <= and >= chain, as a and b', [
  ['1 < 2 < 3', {}, is(true)],
  ['3 > 2 > 1', {}, is(true)],
  ['1 < 3 < 2', {}, is(false)],
  ['1 < 2 <= 2 < 3', {}, is(true)],
  ['1 <= 1 >= 1', {}, is(true)],
  ['1 < 2 > 0', {}, is(true)],
  ['1 < 2 < 3 == true', {}, is(true)],
  ['1 < x < 10', { x: 5 }, is(true)],
  ['1 < x < 10', { x: 50 }, is(false)],
  ['true == 1 < 2', {}, fails('mismatched types bool and int')],
]);

describeGoldenCases('arithmetic binds tighter than ranges, ranges than comparisons', [
  ['1 + 2 * 3', {}, is(7)],
  ['(1 + 2) * 3', {}, is(9)],
  ['10 - 2 - 3', {}, is(5)],
  ['100 / 10 / 5', {}, is(2)],
  ['5 % 3 * 2', {}, is(4)],
  ['2 * 5 % 3', {}, is(1)],
  ['2 ** 3 ** 2', {}, is(512)],
  ['2 ^ 3 ^ 2', {}, is(512)],
  ['2 * 3 ** 2', {}, is(18)],
  ['-2 ** 2', {}, is(-4)],
  ['-x ** 2', { x: 3 }, is(-9)],
  ['1 .. 3 == [1, 2, 3]', {}, is(true)],
  ['1 + 1 .. 3', {}, is([2, 3])],
  ['1 .. 1 + 2', {}, is([1, 2, 3])],
  ['2 in 1 .. 3', {}, is(true)],
  ['len(1 .. 3) * 2', {}, is(6)],
  ['"a" + "b" matches "ab"', {}, is(true)],
  ['"a" + "b" == "ab"', {}, is(true)],
  ['1 + 2 < 2 + 2', {}, is(true)],
]);

describeGoldenCases('unary operators, logic and the lowest levels', [
  ['not true == false', {}, is(true)],
  ['not false and false', {}, is(false)],
  ['!false || false', {}, is(true)],
  ['not 1 in [1]', {}, fails('invalid operation: not int')],
  ['true or false and false', {}, is(true)],
  ['false and true or true', {}, is(true)],
  ['true || false && false', {}, is(true)],
  ['x == 1 or x == 2 and false', { x: 1 }, is(true)],
  ['1 < 2 and 2 < 1 or 3 == 3', {}, is(true)],
  ['true ? 1 : 2 + 3', {}, is(1)],
  ['false ? 1 : 2 + 3', {}, is(5)],
  ['1 < 2 ? "y" : "n"', {}, is('y')],
  ['false ? 1 : true ? 2 : 3', {}, is(2)],
  ['[1, 2] | len() + 1', {}, is(3)],
  ['1 + 2 | string()', {}, is('3')],
]);

describeGoldenCases('?? binds tightest and does not mix with other operators', [
  ['a ?? b', { a: null, b: 1 }, is(1)],
  ['a ?? b ?? 3', {}, is(3)],
  ['1 + a ?? 2', {}, is(3)],
  ['(a ?? 1) == 1', {}, is(true)],
  ['a ?? b == c', {}, fails('Operator (==) and coalesce expressions (??) cannot be mixed')],
  ['a ?? 2 + 3', {}, fails('Operator (+) and coalesce expressions (??) cannot be mixed')],
]);
