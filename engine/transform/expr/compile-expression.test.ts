import { describe, expect, test } from 'vitest';
import { compileExpression } from './compile-expression';
import { describeGoldenCases, run, type GoldenExpectation } from './describe-golden-cases';
import { GoDuration } from './go-duration';

const is = (value: unknown): GoldenExpectation => ({ value });
const fails = (error: string): GoldenExpectation => ({ error });

const big = 9007199254740993n; // 2^53 + 1: not representable as a JS number
const users = [
  { name: 'Ann', age: 31, team: 'red' },
  { name: 'Bob', age: 17, team: 'blue' },
  { name: 'Cy', age: 45, team: 'red' },
];

describeGoldenCases('literals', [
  ['42', {}, is(42)],
  ['1_000_000', {}, is(1_000_000)],
  ['0x1F', {}, is(31)],
  ['0o17', {}, is(15)],
  ['0b101', {}, is(5)],
  ['3.25', {}, is(3.25)],
  ['.5', {}, is(0.5)],
  ['1e3', {}, is(1000)],
  ['"a\\tb\\u00e9\\x41\\101"', {}, is('a\tbéAA')],
  ['\'single "quoted"\'', {}, is('single "quoted"')],
  ['`raw \\n stays`', {}, is('raw \\n stays')],
  ['true', {}, is(true)],
  ['nil', {}, is(null)],
  ['[1, "a", nil, [true]]', {}, is([1, 'a', null, [true]])],
  ['[1, 2,]', {}, is([1, 2])],
  ['{a: 1, "b c": 2, 3: 4}', {}, is({ a: 1, 'b c': 2, '3': 4 })],
  ['{("x" + "y"): 1}', {}, is({ xy: 1 })],
  ['1 /* two */ + // the rest of the line\n 2', {}, is(3)],
  ['9223372036854775807', {}, is(9223372036854775807n)],
  ['9223372036854775808', {}, fails('integer literal is too large')],
]);

describeGoldenCases('arithmetic', [
  ['7 + 3', {}, is(10)],
  ['7 - 10', {}, is(-3)],
  ['6 * 7', {}, is(42)],
  ['7 / 2', {}, is(3.5)],
  ['8 / 4', {}, is(2)],
  ['7 % 3', {}, is(1)],
  ['-7 % 3', {}, is(-1)],
  ['2 ** 10', {}, is(1024)],
  ['2 ^ 0.5', {}, is(Math.SQRT2)],
  ['1.5 + 1', {}, is(2.5)],
  ['0.1 + 0.2', {}, is(0.30000000000000004)],
  ['"foo" + "bar"', {}, is('foobar')],
  ['-x', { x: 5 }, is(-5)],
  ['+3', {}, is(3)],
  ['--3', {}, is(3)],
  ['"a" + 1', {}, fails('invalid operation: + (mismatched types string and int)')],
  ['1 - "a"', {}, fails('invalid operation: - (mismatched types int and string)')],
  ['true * 2', {}, fails('invalid operation: * (mismatched types bool and int)')],
  ['5.5 % 2', {}, fails('invalid operation: % (mismatched types float and int)')],
  ['1 / 0', {}, fails('integer divide by zero')],
  ['1.5 / 0', {}, fails('float divide by zero')],
  ['7 % 0', {}, fails('integer divide by zero')],
  ['-"a"', {}, fails('invalid operation: - string')],
  ['missing + 1', {}, fails('mismatched types nil and int')],
]);

describeGoldenCases('precedence and associativity', [
  ['1 + 2 * 3', {}, is(7)],
  ['(1 + 2) * 3', {}, is(9)],
  ['10 - 4 - 3', {}, is(3)],
  ['2 * 3 % 4', {}, is(2)],
  ['2 ** 3 ** 2', {}, is(512)],
  ['2 ^ 3 * 2', {}, is(16)],
  ['-2 ** 2', {}, is(-4)],
  ['1 + 2 == 3', {}, is(true)],
  ['1..2 + 1', {}, is([1, 2, 3])],
  ['true or false and false', {}, is(true)],
  ['not false and false', {}, is(false)],
  ['not (1 == 1)', {}, is(false)],
  ['1 < 2 == true', {}, is(true)],
  ['x ?? 1 * 2', { x: 3 }, fails('cannot be mixed')],
  ['(x ?? 1) * 2', { x: 3 }, is(6)],
  ['x > 1 ? "a" : "b" + "c"', { x: 0 }, is('bc')],
  ['1 + 2 | string()', {}, is('3')],
]);

describeGoldenCases('comparison', [
  ['1 == 1.0', {}, is(true)],
  ['1 != 2', {}, is(true)],
  ['"a" < "b"', {}, is(true)],
  ['2 <= 2', {}, is(true)],
  ['3 > 2.5', {}, is(true)],
  ['2 >= 3', {}, is(false)],
  ['nil == nil', {}, is(true)],
  ['nil == 0', {}, is(false)],
  ['"1" == 1', {}, is(false)],
  ['[1, [2]] == [1, [2]]', {}, is(true)],
  ['{a: 1} == {a: 1}', {}, is(true)],
  ['{a: 1} != {a: 2}', {}, is(true)],
  ['1 < 2 < 3', {}, is(true)],
  ['1 < 3 < 2', {}, is(false)],
  ['1 < "a"', {}, fails('invalid operation: < (mismatched types int and string)')],
  ['nil > 1', {}, fails('mismatched types nil and int')],
  ['date("2024-01-02") > date("2024-01-01")', {}, is(true)],
  ['duration("1h") < duration("61m")', {}, is(true)],
]);

describeGoldenCases('logic and conditionals', [
  ['true and false', {}, is(false)],
  ['true && true', {}, is(true)],
  ['false or true', {}, is(true)],
  ['false || false', {}, is(false)],
  ['not true', {}, is(false)],
  ['!false', {}, is(true)],
  ['false and missing.field', {}, is(false)],
  ['true or 1 / 0 > 0', {}, is(true)],
  ['1 and true', {}, fails('non-bool left operand of type int')],
  ['not 1', {}, fails('invalid operation: not int')],
  ['x > 1 ? "big" : "small"', { x: 5 }, is('big')],
  ['false ? 1 : true ? 2 : 3', {}, is(2)],
  ['1 ? 2 : 3', {}, fails('non-bool value (type int) used as condition')],
  ['nil ?? "default"', {}, is('default')],
  ['0 ?? 1', {}, is(0)],
  ['a ?? b ?? "z"', {}, is('z')],
  ['a ?? b ?? "z"', { b: 'b' }, is('b')],
]);

describeGoldenCases('membership, member access and slicing', [
  ['2 in [1, 2]', {}, is(true)],
  ['2.0 in [1, 2]', {}, is(true)],
  ['"b" in {"a": 1}', {}, is(false)],
  ['"a" in {"a": nil}', {}, is(true)],
  ['3 not in [1, 2]', {}, is(true)],
  ['"x" not in {x: 1}', {}, is(false)],
  ['1 in nil', {}, is(false)],
  ['"a" in "abc"', {}, fails('operator "in" not defined on string')],
  ['user.name', { user: { name: 'Ann' } }, is('Ann')],
  ['user["name"]', { user: { name: 'Ann' } }, is('Ann')],
  ['user.missing', { user: { name: 'Ann' } }, is(null)],
  ['items[0] + items[-1]', { items: [1, 2, 3] }, is(4)],
  ['items[5]', { items: [1, 2, 3] }, fails('index out of range: 5 (array length is 3)')],
  ['items["a"]', { items: [1] }, fails('cannot fetch a from array')],
  ['nothing.x', {}, fails('cannot fetch x from nil')],
  ['nothing?.x', {}, is(null)],
  ['nothing?.x.y.z', {}, is(null)],
  ['user?.address?.city', { user: { address: { city: 'Oslo' } } }, is('Oslo')],
  ['user?.address?.city ?? "unknown"', { user: {} }, is('unknown')],
  ['items?.[0]', {}, is(null)],
  ['$env["first name"]', { 'first name': 'Ann' }, is('Ann')],
  ['"x" in $env', { x: 1 }, is(true)],
  ['[1, 2, 3, 4, 5][1:4]', {}, is([2, 3, 4])],
  ['[1, 2, 3, 4, 5][1:-1]', {}, is([2, 3, 4])],
  ['[1, 2, 3, 4, 5][:2]', {}, is([1, 2])],
  ['[1, 2, 3, 4, 5][3:]', {}, is([4, 5])],
  ['[1, 2, 3][:]', {}, is([1, 2, 3])],
  ['[1, 2, 3][5:9]', {}, is([])],
  ['"hello"[1:3]', {}, is('el')],
  ['5[1:2]', {}, fails('cannot slice int')],
]);

describeGoldenCases('string operators', [
  ['"hello" contains "ell"', {}, is(true)],
  ['"hello" startsWith "he"', {}, is(true)],
  ['"hello" endsWith "lo"', {}, is(true)],
  ['"hello" not contains "z"', {}, is(true)],
  ['"hello" not startsWith "h"', {}, is(false)],
  ['"a" contains 1', {}, fails('invalid operation: contains (mismatched types string and int)')],
  ['name contains "x"', {}, fails('mismatched types nil and string')],
  ['"Hello" matches "^h"', {}, is(false)],
  ['"Hello" matches "(?i)^h"', {}, is(true)],
  ['"2024-01-02" matches "^\\\\d{4}-\\\\d{2}-\\\\d{2}$"', {}, is(true)],
  ['"ab" not matches "b$"', {}, is(false)],
  ['"abc" matches "["', {}, fails('error parsing regexp')],
  [
    '"ab" matches "a(?=b)"',
    {},
    fails('error parsing regexp: invalid or unsupported Perl syntax: `(?=`'),
  ],
  ['"aa" matches "(a)\\\\1"', {}, fails('error parsing regexp: invalid escape sequence: `\\1`')],
  [
    'text matches pattern',
    { text: 'aa', pattern: '(a)\\1' },
    fails('error parsing regexp: invalid escape sequence: `\\1`'),
  ],
  ['text matches pattern', { text: 'a'.repeat(30) + 'b', pattern: '(a+)+$' }, is(false)],
  ['text matches pattern', { text: 'a'.repeat(30), pattern: '(a|aa)*$' }, is(true)],
  ['text matches "a*a*a*a*b"', { text: 'a'.repeat(250) }, is(false)],
  ['text matches "a$"', { text: 'b'.repeat(20_000) + 'a' }, is(true)],
  [
    'text matches pattern',
    { text: 'a', pattern: 'a'.repeat(1001) },
    fails('regular expression is too long'),
  ],
  [
    'text matches pattern',
    { text: 'a', pattern: '(?:abcdefghijk){1000}' },
    fails('regular expression is too large'),
  ],
  ['"Ab1" matches "^[[:alpha:]]+[[:digit:]]$"', {}, is(true)],
  ['"Ab1" matches "^[[:word:]]+$"', {}, is(true)],
  ['"555-123-4567" matches "^(\\\\d{3}-){2}\\\\d{4}$"', {}, is(true)],
  ['"555-123-4567" matches "^\\\\d{3}-(\\\\d{3}-)\\\\d{4}$"', {}, is(true)],
  ['"ab12" matches "^(?:[a-z]{2})(?P<digits>\\\\d+)$"', {}, is(true)],
  ['"ab12" matches "^(?<letters>[a-z]+)12$"', {}, is(true)],
  ['"x" matches "(\\\\d+-){2}"', {}, is(false)],
  ['"AB\\nab" matches "(?m)^ab$"', {}, is(true)],
  ['"AB\\nab" matches "(?s)B.a"', {}, is(true)],
  ['"aaa" matches "(?U)^a+$"', {}, is(true)],
  ['"é" matches "^\\\\pL$"', {}, is(true)],
  ['"😀" matches "^.$"', {}, is(true)],
  ['"abc" matches "\\\\Aabc\\\\z"', {}, is(true)],
  ['"a.c" matches "\\\\Q.\\\\E"', {}, is(true)],
  ['"abc" matches "\\\\Q.\\\\E"', {}, is(false)],
  ['"ab" matches "(?<=a)b"', {}, fails('error parsing regexp')],
  ['"a" matches "\\\\Z"', {}, fails('error parsing regexp: invalid escape sequence: `\\Z`')],
  [
    '"a" matches "[[:foo:]]"',
    {},
    fails('error parsing regexp: invalid character class range: `[:foo:]`'),
  ],
]);

describeGoldenCases('ranges, pipes, let and predicates', [
  ['1..3', {}, is([1, 2, 3])],
  ['3..1', {}, is([])],
  ['1..10000000', {}, fails('is too large')],
  ['1.5..3', {}, fails('invalid operation: .. (mismatched types float and int)')],
  ['"a b" | upper() | split(" ")', {}, is(['A', 'B'])],
  ['[1, 2, 3] | filter(# > 1) | map(# * 10)', {}, is([20, 30])],
  ['name | len()', { name: 'Ann' }, is(3)],
  ['let a = 2; let b = a * 3; a + b', {}, is(8)],
  ['let x = 1; x', { x: 5 }, is(1)],
  ['filter([1, 2, 3], {# > 1})', {}, is([2, 3])],
  ['map(users, .name)', { users }, is(['Ann', 'Bob', 'Cy'])],
  ['map(users, #.age)', { users }, is([31, 17, 45])],
  ['all(users, .age >= 18)', { users }, is(false)],
  ['map([[1, 2], [3]], len(#))', {}, is([2, 1])],
  [
    'map([[1, 2], [3, 4]], map(#, # * 10))',
    {},
    is([
      [10, 20],
      [30, 40],
    ]),
  ],
  ['map(["a", "b"], #index)', {}, is([0, 1])],
  ['reduce(1..4, #acc * #, 1)', {}, is(24)],
  ['filter(users, .team == "red") | map(.name) | join(",")', { users }, is('Ann,Cy')],
  ['# > 1', {}, fails('cannot use pointer accessor outside predicate')],
  ['.name', {}, fails('cannot use pointer accessor outside predicate')],
  ['map([1], #foo)', {}, fails('unknown pointer #foo')],
  ['filter([1, 2], # in [2])', {}, is([2])],
]);

describeGoldenCases('sandbox', [
  ['obj.constructor', { obj: {} }, is(null)],
  ['obj.__proto__', { obj: {} }, is(null)],
  ['obj["__proto__"]', { obj: {} }, is(null)],
  ['obj.toString', { obj: {} }, is(null)],
  ['obj.hasOwnProperty("a")', { obj: { a: 1 } }, fails('cannot call method hasOwnProperty on map')],
  ['constructor', {}, is(null)],
  ['__proto__', {}, is(null)],
  ['toString', {}, is(null)],
  ['"abc".length', {}, fails('cannot fetch length from string')],
  ['[1].length', {}, fails('cannot fetch length from array')],
  ['x.toFixed(2)', { x: 1.5 }, fails('cannot call method toFixed on float')],
  ['fn', { fn: () => 'called' }, is(expect.any(Function))],
  ['fn()', { fn: () => 'called' }, fails('unknown function fn')],
  ['obj.fn', { obj: { fn: () => 'called' } }, is(expect.any(Function))],
  ['obj.fn()', { obj: { fn: () => 'called' } }, fails('cannot call method fn on map')],
  [
    'instance.secret',
    {
      instance: new (class Secret {
        secret = 1;
      })(),
    },
    fails('cannot fetch secret from unknown'),
  ],
  ['{__proto__: 1}.__proto__', {}, is(1)],
  ['fromJSON("{\\"__proto__\\": {\\"polluted\\": 1}}").polluted', {}, is(null)],
  ['map(1..1000000, map(1..1000000, #))', {}, fails('expression exceeded its step budget')],
  ['reduce(1..100000, #acc + 1, 0)', {}, fails('expression exceeded its step budget')],
  ['repeat("x", 2000000)', {}, fails('memory budget exceeded')],
  ['repeat("ab", 600000)', {}, fails('exceeds the limit of 1000000')],
  ['reduce(1..40, #acc + #acc, "x")', {}, fails('exceeds the limit')],
  ['1..2000000', {}, fails('is too large')],
  ['concat(1..600000, 1..600000)', {}, fails('exceeds the limit')],
  ['"(".repeat(10000)', {}, fails('cannot call method repeat on string')],
]);

describeGoldenCases('bigint exactness', [
  ['a + 1', { a: big }, is(9007199254740994n)],
  ['a - 1', { a: big }, is(9007199254740992n)],
  ['a * 2', { a: big }, is(18014398509481986n)],
  ['a % 10', { a: big }, is(3n)],
  ['-a', { a: big }, is(-9007199254740993n)],
  ['a + 1.0', { a: big }, is(9007199254740994n)],
  ['a + 0.5', { a: big }, is(9007199254740992)],
  ['a + 1e300', { a: big }, is(1e300)],
  ['a == 9007199254740993', { a: big }, is(true)],
  ['a > 9007199254740992', { a: big }, is(true)],
  ['a == b', { a: big, b: 9007199254740992 }, is(false)],
  ['9007199254740991 + 2', {}, is(9007199254740993n)],
  ['3037000499 * 3037000499', {}, is(9223372030926249001n)],
  ['3037000500 * 3037000500', {}, fails('integer overflow')],
  ['a in [9007199254740993]', { a: big }, is(true)],
  ['string(a)', { a: big }, is('9007199254740993')],
  ['a + b', { a: 2n ** 62n, b: 2n ** 62n }, fails('integer overflow')],
  ['9223372036854775807 + 1', {}, fails('integer overflow')],
  ['sum([a, 1])', { a: big }, is(9007199254740994n)],
  ['max(a, 1)', { a: big }, is(big)],
  ['type(a)', { a: big }, is('int')],
  ['small + 1', { small: 5n }, is(6n)],
]);

describeGoldenCases('unicode', [
  ['len("héllo")', {}, is(5)],
  ['len("🎉")', {}, is(1)],
  ['"日本語"[1]', {}, is('本')],
  ['"héllo🎉"[4:]', {}, is('o🎉')],
  ['indexOf("日本語", "語")', {}, is(2)],
  ['upper("héllo")', {}, is('HÉLLO')],
  ['prénom + " " + 名前', { prénom: 'Zoë', 名前: '花子' }, is('Zoë 花子')],
  ['split("a🎉b", "")', {}, is(['a', '🎉', 'b'])],
  ['reverse(split("añb", "")) | join()', {}, is('bña')],
  ['"🎉" matches "^.$"', {}, is(true)],
]);

describe('parse errors', () => {
  const cases: [string, string, { offset: number; line: number; column: number }][] = [
    ['1 + )', 'unexpected token ")"', { offset: 4, line: 1, column: 5 }],
    ['"abc', 'unterminated string', { offset: 0, line: 1, column: 1 }],
    ['foo(1,', 'unexpected end of expression', { offset: 6, line: 1, column: 7 }],
    ['1 +\n  * 2', 'unexpected token "*"', { offset: 6, line: 2, column: 3 }],
    ['FOO(x)', 'unknown function FOO', { offset: 0, line: 1, column: 1 }],
    ['upper(LOWER(x))', 'unknown function LOWER', { offset: 6, line: 1, column: 7 }],
    [
      'len(1, 2)',
      'invalid number of arguments for len (expected 1, got 2)',
      { offset: 0, line: 1, column: 1 },
    ],
    ['a @ b', 'unrecognized character "@"', { offset: 2, line: 1, column: 3 }],
    ['"🎉" + )', 'unexpected token ")"', { offset: 7, line: 1, column: 7 }],
    ['filter(x)', 'not enough arguments to call filter', { offset: 8, line: 1, column: 9 }],
    ['[1, 2', 'unexpected end of expression', { offset: 5, line: 1, column: 6 }],
    [
      'a ?? b + 1',
      'Operator (+) and coalesce expressions (??) cannot be mixed',
      { offset: 7, line: 1, column: 8 },
    ],
    ['x\n  # > 1', 'unexpected token "#"', { offset: 4, line: 2, column: 3 }],
    ['1 2', 'unexpected token "2"', { offset: 2, line: 1, column: 3 }],
    ['/* open', 'unclosed comment', { offset: 0, line: 1, column: 1 }],
    ['123abc', 'bad number syntax', { offset: 0, line: 1, column: 1 }],
    ['"\\q"', 'invalid escape sequence', { offset: 1, line: 1, column: 2 }],
    ['let = 1; 2', 'unexpected token "="', { offset: 4, line: 1, column: 5 }],
    ['a not b', 'unexpected token "b"', { offset: 6, line: 1, column: 7 }],
    ['{a 1}', 'unexpected token "1"', { offset: 3, line: 1, column: 4 }],
    ['x.+', 'expected name', { offset: 2, line: 1, column: 3 }],
    [
      '"(" matches x and y matches "(("',
      'error parsing regexp',
      { offset: 28, line: 1, column: 29 },
    ],
  ];
  test.each(cases)('%s', (source, message, position) => {
    const compiled = compileExpression(source);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.error.message).toContain(message);
    expect(compiled.error.position).toEqual(position);
  });

  test('deeply nested input is a parse error, not a stack overflow', () => {
    expect(run('('.repeat(10_000) + '1' + ')'.repeat(10_000))).toEqual({
      error: 'expression is nested too deeply',
    });
    expect(run('['.repeat(10_000))).toEqual({ error: 'expression is nested too deeply' });
    expect(run('-'.repeat(10_000) + '1')).toEqual({ error: 'expression is nested too deeply' });
    expect(run(Array.from({ length: 5000 }, () => '1').join(' + '))).toEqual({
      error: 'expression is nested too deeply',
    });
    expect(run(Array.from({ length: 500 }, () => '1').join(' + '))).toEqual({ value: 500 });
  });
});

describe('compiled expressions', () => {
  test('list the columns they read, without let variables, builtins or predicate pointers', () => {
    const compiled = compileExpression(
      'let full = first_name + " " + last_name; IF(active, upper(full), $env["nick name"]) ?? map(tags, #.label)',
    );
    expect(compiled.ok && compiled.expression.identifiers).toEqual([
      'first_name',
      'last_name',
      'active',
      'nick name',
      'tags',
    ]);
    expect(compiled.ok && compiled.expression.readsAllColumns).toBe(false);
  });

  test('say when they may read any column, through $env as a value', () => {
    const readsAll = (source: string) => {
      const compiled = compileExpression(source);
      if (!compiled.ok) throw new Error(compiled.error.message);
      return compiled.expression.readsAllColumns;
    };
    expect(readsAll('$env["id"] + 1')).toBe(false);
    expect(readsAll('$env[name]')).toBe(true);
    expect(readsAll('keys($env)')).toBe(true);
    expect(readsAll('let $env = {"a": 1}; $env')).toBe(false);
  });

  test('each evaluation of one compilation gets the whole step budget', () => {
    const compiled = compileExpression('reduce(1..n, #acc + #, 0)');
    if (!compiled.ok) throw new Error(compiled.error.message);
    // The first fails for its budget; the later ones start from nothing, not from where the first stopped.
    expect(compiled.expression.evaluate({ n: 50 }, { maxSteps: 100 }).ok).toBe(false);
    expect(compiled.expression.evaluate({ n: 5 }, { maxSteps: 100 })).toEqual({
      ok: true,
      value: 15,
    });
    expect(compiled.expression.evaluate({ n: 5 }, { maxSteps: 100 })).toEqual({
      ok: true,
      value: 15,
    });
  });

  test('evaluate many rows with one compilation', () => {
    const compiled = compileExpression('IF(annual_revenue >= 1000000, "enterprise", "smb")');
    if (!compiled.ok) throw new Error(compiled.error.message);
    const segments = [5, 2_000_000, 999_999.99].map((annual_revenue) =>
      compiled.expression.evaluate({ annual_revenue }),
    );
    expect(segments).toEqual([
      { ok: true, value: 'smb' },
      { ok: true, value: 'enterprise' },
      { ok: true, value: 'smb' },
    ]);
  });

  test('a custom step budget stops evaluation early', () => {
    expect(run('1 + 2 + 3', {}, { maxSteps: 3 })).toEqual({
      error: 'expression exceeded its step budget',
    });
    expect(run('1 + 2 + 3', {}, { maxSteps: 5 })).toEqual({ value: 6 });
  });

  test('a custom output limit bounds strings and arrays', () => {
    expect(run('repeat("x", 11)', {}, { maxOutputLength: 10 })).toEqual({
      error: 'output of 11 elements exceeds the limit of 10',
    });
    expect(run('1..11', {}, { maxOutputLength: 10 })).toHaveProperty('error');
  });

  test('a nested predicate loop hits the budget quickly', () => {
    const started = performance.now();
    expect(run('map(1..1000000, map(1..1000000, #))')).toEqual({
      error: 'expression exceeded its step budget',
    });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test('rereading a huge string is charged by its length', () => {
    const text = 'é'.repeat(1_000_000);
    const started = performance.now();
    expect(run('map(0..999, text[#])', { text })).toEqual({
      error: 'expression exceeded its step budget',
    });
    expect(run('map(0..999, len(text))', { text })).toEqual({
      error: 'expression exceeded its step budget',
    });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test('map literals cannot change an object prototype', () => {
    const result = run('{__proto__: {polluted: true}}');
    expect(result).toHaveProperty('value');
    const value = (result as { value: Record<string, unknown> }).value;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('durations and times are values', () => {
    expect(run('duration("1h30m")')).toEqual({ value: new GoDuration(5_400_000_000_000n) });
    expect(run('now()')).toEqual({ value: new Date('2024-06-01T12:34:56.789Z') });
  });
});
