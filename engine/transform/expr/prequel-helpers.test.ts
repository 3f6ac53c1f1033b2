import { describeGoldenCases, type GoldenExpectation } from './describe-golden-cases';

const is = (value: unknown): GoldenExpectation => ({ value });
const fails = (error: string): GoldenExpectation => ({ error });

describeGoldenCases('IF', [
  [
    'IF(annual_revenue > 1000000, "enterprise", "smb")',
    { annual_revenue: 2_000_000 },
    is('enterprise'),
  ],
  ['IF(annual_revenue > 1000000, "enterprise", "smb")', { annual_revenue: 10 }, is('smb')],
  ['IF(x != 0, 10 / x, 0)', { x: 0 }, is(0)],
  ['IF(active, "yes", "no")', {}, is('no')],
  ['IF("true", 1, 2)', {}, fails('IF: condition must be bool, got string')],
  ['IF(true, 1)', {}, fails('invalid number of arguments for IF (expected 3, got 2)')],
  ['if(true, 1, 2)', {}, fails('unknown function if')],
]);

describeGoldenCases('TIMESTAMPVALUE', [
  ['TIMESTAMPVALUE("2024-01-02")', {}, is('2024-01-02T00:00:00Z')],
  ['TIMESTAMPVALUE("2024-01-02 10:20:30")', {}, is('2024-01-02T10:20:30Z')],
  ['TIMESTAMPVALUE("2024-01-02T10:20")', {}, is('2024-01-02T10:20:00Z')],
  ['TIMESTAMPVALUE("2024-01-02 10:20:30.123456+02:00")', {}, is('2024-01-02T08:20:30.123456Z')],
  ['TIMESTAMPVALUE("2024-01-02T23:30:00-0130")', {}, is('2024-01-03T01:00:00Z')],
  ['TIMESTAMPVALUE("2024-01-02 10:20:30.500000+00")', {}, is('2024-01-02T10:20:30.5Z')],
  ['TIMESTAMPVALUE("2024-01-02T10:20:30Z")', {}, is('2024-01-02T10:20:30Z')],
  [
    'TIMESTAMPVALUE(ts)',
    { ts: new Date('2024-01-02T10:20:30.250Z') },
    is('2024-01-02T10:20:30.25Z'),
  ],
  ['TIMESTAMPVALUE(nil)', {}, is(null)],
  ['TIMESTAMPVALUE("2024-02-30")', {}, fails('TIMESTAMPVALUE: cannot parse "2024-02-30"')],
  ['TIMESTAMPVALUE("yesterday")', {}, fails('TIMESTAMPVALUE: cannot parse "yesterday"')],
  ['TIMESTAMPVALUE("2024-01-02 25:00:00")', {}, fails('TIMESTAMPVALUE: cannot parse')],
  ['TIMESTAMPVALUE(20240102)', {}, fails('TIMESTAMPVALUE: cannot parse int')],
]);

describeGoldenCases('TODAY', [
  ['TODAY()', {}, is('2024-06-01')],
  ['TODAY(1)', {}, fails('invalid number of arguments for TODAY (expected 0, got 1)')],
]);

describeGoldenCases('TEXTSPLIT', [
  ['TEXTSPLIT("a,b,,c", ",")', {}, is(['a', 'b', '', 'c'])],
  ['TEXTSPLIT("a - b", " - ")', {}, is(['a', 'b'])],
  ['TEXTSPLIT("abc", "")', {}, is(['abc'])],
  ['TEXTSPLIT(tags, ";")', {}, is(null)],
]);

describeGoldenCases('PROPER', [
  ['PROPER("hello wORLD")', {}, is('Hello World')],
  ['PROPER("o\'neil-smith 3rd")', {}, is("O'Neil-Smith 3rd")],
  ['PROPER("éCOLE ÜBER")', {}, is('École Über')],
  ['PROPER(nil)', {}, is(null)],
]);

describeGoldenCases('SUBSTITUTE', [
  ['SUBSTITUTE("a-b-c", "-", "+")', {}, is('a+b+c')],
  ['SUBSTITUTE("aaa", "a", "$&")', {}, is('$&$&$&')],
  ['SUBSTITUTE("abc", "", "x")', {}, is('abc')],
  ['SUBSTITUTE(phone, " ", "")', { phone: '555 123 4567' }, is('5551234567')],
  ['SUBSTITUTE(repeat("a", 1000), "a", repeat("b", 2000))', {}, fails('exceeds the limit')],
]);

describeGoldenCases('LEFT, RIGHT and MID', [
  ['LEFT("hello", 2)', {}, is('he')],
  ['LEFT("hello")', {}, is('h')],
  ['LEFT("hi", 10)', {}, is('hi')],
  ['LEFT("🎉🎉🎉", 2)', {}, is('🎉🎉')],
  ['LEFT(12345, 2)', {}, is('12')],
  ['LEFT("hello", -1)', {}, fails('LEFT: number of characters must be a non-negative integer')],
  ['RIGHT("hello", 3)', {}, is('llo')],
  ['RIGHT("héllo", 4)', {}, is('éllo')],
  ['RIGHT("hello", 0)', {}, is('')],
  ['MID("hello", 2, 3)', {}, is('ell')],
  ['MID("日本語テキスト", 3, 2)', {}, is('語テ')],
  ['MID("hello", 10, 2)', {}, is('')],
  ['MID("hello", 0, 2)', {}, fails('MID: start must be an integer of at least 1')],
  ['MID(nil, 1, 2)', {}, is(null)],
]);

describeGoldenCases('CONCATENATE', [
  [
    'CONCATENATE(first_name, " ", last_name)',
    { first_name: 'Ada', last_name: 'Lovelace' },
    is('Ada Lovelace'),
  ],
  ['CONCATENATE(first_name, " ", last_name)', { first_name: 'Ada' }, is('Ada ')],
  ['CONCATENATE("n=", 42, ", ok=", true, ", x=", 1.5)', {}, is('n=42, ok=true, x=1.5')],
  ['CONCATENATE(id)', { id: 9007199254740993n }, is('9007199254740993')],
  [
    'CONCATENATE()',
    {},
    fails('invalid number of arguments for CONCATENATE (expected at least 1, got 0)'),
  ],
  ['CONCATENATE([1])', {}, fails('CONCATENATE: expected text, got array')],
]);
