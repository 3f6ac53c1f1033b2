import { describe, expect, test } from 'vitest';
import { compileTemplate } from './compile-template';

/** Expected output, or { error } with a substring of the expected error message. */
type Expected = string | { error: string };
type Case = [name: string, template: string, data: unknown, expected: Expected];

// Go's exec_test.go fixture, as JSON-shaped data: structs become maps, typed nils become null.
const tVal = {
  True: true,
  I: 17,
  X: 'x',
  S: 'xyz',
  U: { V: 'v' },
  FloatZero: 0,
  SI: [3, 4, 5],
  SIEmpty: [],
  SB: [true, false],
  AI: [3, 4, 5],
  MSI: { one: 1, two: 2, three: 3 },
  MSIone: { one: 1 },
  MSIEmpty: {},
  SMSI: [
    { one: 1, two: 2 },
    { eleven: 11, twelve: 12 },
  ],
  Empty0: null,
  Empty3: [7, 8],
  Empty4: { V: 'UinEmpty' },
  PS: 'a string',
};

function run(
  template: string,
  data: unknown,
  options?: { maxOutputLength?: number; maxSteps?: number },
) {
  const compiled = compileTemplate(template, { name: 'test' });
  if (!compiled.ok)
    return { ok: false as const, error: { message: `parse: ${compiled.error.message}` } };
  return compiled.template.render(data, options);
}

function check([, template, data, expected]: Case) {
  const result = run(template, data);
  if (typeof expected === 'string') {
    expect(result).toEqual({ ok: true, output: expected });
  } else {
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(expected.error);
  }
}

// Cases from Go's exec_test.go that apply to JSON-shaped data, with Go's expected output.
const goExecTests: Case[] = [
  ['empty', '', null, ''],
  ['text', 'some text', null, 'some text'],
  ['nil action', '{{nil}}', null, { error: 'nil is not a command' }],
  ['.X', '-{{.X}}-', tVal, '-x-'],
  ['.U.V', '-{{.U.V}}-', tVal, '-v-'],
  ['map .one', '{{.MSI.one}}', tVal, '1'],
  ['map .two', '{{.MSI.two}}', tVal, '2'],
  ['map .NO', '{{.MSI.NO}}', tVal, '<no value>'],
  ['map .WRONG args', '{{.MSI.one 1}}', tVal, { error: 'one is not a method but has arguments' }],
  ['dot int', '<{{.}}>', 13, '<13>'],
  ['dot float', '<{{.}}>', 15.1, '<15.1>'],
  ['dot bool', '<{{.}}>', true, '<true>'],
  ['dot string', '<{{.}}>', 'hello', '<hello>'],
  ['dot slice', '<{{.}}>', [-1, -2, -3], '<[-1 -2 -3]>'],
  ['dot map', '<{{.}}>', { two: 22 }, '<map[two:22]>'],
  ['$ int', '{{$}}', 123, '123'],
  ['$.I', '{{$.I}}', tVal, '17'],
  ['$.U.V', '{{$.U.V}}', tVal, 'v'],
  ['declare in action', '{{$x := $.U.V}}{{$x}}', tVal, 'v'],
  ['simple assignment', '{{$x := 2}}{{$x = 3}}{{$x}}', tVal, '3'],
  ['nested assignment', '{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}', tVal, '3'],
  [
    'nested assignment changes the last declaration',
    '{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}',
    tVal,
    '1',
  ],
  ['empty nil', '{{.Empty0}}', tVal, '<no value>'],
  ['empty with slice', '{{.Empty3}}', tVal, '[7 8]'],
  ['empty with map, field', '{{.Empty4.V}}', tVal, 'UinEmpty'],
  ['field on nil', '{{.foo}}', null, '<no value>'],
  ['field on parenthesized nil', '{{(.).foo}}', null, '<no value>'],
  [
    'unparenthesized non-function',
    '{{1 2}}',
    null,
    { error: "can't give argument to non-function 1" },
  ],
  [
    'parenthesized non-function',
    '{{(1) 2}}',
    null,
    { error: "can't give argument to non-function 1" },
  ],
  ['parenthesized non-function with no args', '{{(1)}}', null, '1'],
  ['parens: $ in paren', '{{($).X}}', tVal, 'x'],
  ['parens in pipeline', '{{printf `%d %d %d` (1) (len .SI) (len (slice .SI 1))}}', tVal, '1 3 2'],
  ['if true', '{{if true}}TRUE{{end}}', tVal, 'TRUE'],
  ['if false', '{{if false}}TRUE{{else}}FALSE{{end}}', tVal, 'FALSE'],
  ['if nil', '{{if nil}}TRUE{{end}}', tVal, { error: 'nil is not a command' }],
  ['if 1', '{{if 1}}NON-ZERO{{else}}ZERO{{end}}', tVal, 'NON-ZERO'],
  ['if 0', '{{if 0}}NON-ZERO{{else}}ZERO{{end}}', tVal, 'ZERO'],
  ['if 1.5', '{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}', tVal, 'NON-ZERO'],
  ['if 0.0', '{{if 0.0}}NON-ZERO{{else}}ZERO{{end}}', tVal, 'ZERO'],
  ['if emptystring', '{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}', tVal, 'EMPTY'],
  ['if string', '{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}', tVal, 'NON-EMPTY'],
  ['if emptyslice', '{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', tVal, 'EMPTY'],
  ['if slice', '{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}', tVal, 'NON-EMPTY'],
  ['if emptymap', '{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', tVal, 'EMPTY'],
  ['if map', '{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}', tVal, 'NON-EMPTY'],
  ['if map unset', '{{if .MSI.none}}NON-ZERO{{else}}ZERO{{end}}', tVal, 'ZERO'],
  ['if map not unset', '{{if not .MSI.none}}ZERO{{else}}NON-ZERO{{end}}', tVal, 'ZERO'],
  [
    'if $x with $y int',
    '{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}',
    tVal,
    'true,17',
  ],
  [
    'if $x with $x int',
    '{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}',
    tVal,
    '17,true',
  ],
  ['if else if', '{{if false}}FALSE{{else if true}}TRUE{{end}}', tVal, 'TRUE'],
  ['if else chain', '{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}', tVal, '3'],
  ['print', '{{print "hello, print"}}', tVal, 'hello, print'],
  ['print 123', '{{print 1 2 3}}', tVal, '1 2 3'],
  ['print nil', '{{print nil}}', tVal, '<nil>'],
  ['println', '{{println 1 2 3}}', tVal, '1 2 3\n'],
  ['printf int', '{{printf "%04x" 127}}', tVal, '007f'],
  ['printf float', '{{printf "%g" 3.5}}', tVal, '3.5'],
  ['printf string', '{{printf "%s" "hello"}}', tVal, 'hello'],
  ['printf field', '{{printf "%s" .U.V}}', tVal, 'v'],
  ['printf dot', '{{with .I}}{{printf "%d" .}}{{end}}', tVal, '17'],
  ['printf var', '{{with $x := .I}}{{printf "%d" $x}}{{end}}', tVal, '17'],
  [
    'html',
    '{{html "<script>alert(\\"XSS\\");</script>"}}',
    null,
    '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;',
  ],
  [
    'html pipeline',
    '{{printf "<script>alert(\\"XSS\\");</script>" | html}}',
    null,
    '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;',
  ],
  ['html string field', '{{html .PS}}', tVal, 'a string'],
  ['html untyped nil', '{{html .Empty0}}', tVal, '&lt;no value&gt;'],
  ['js', '{{js .}}', "It'd be nice.", "It\\'d be nice."],
  ['urlquery', '{{"http://www.example.org/"|urlquery}}', null, 'http%3A%2F%2Fwww.example.org%2F'],
  ['not', '{{not true}} {{not false}}', null, 'false true'],
  ['and', '{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}', null, 'false 0 0 1'],
  ['or', '{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}', null, '0 1 true 1'],
  ['or short-circuit', '{{or 0 1 (index nil 0)}}', null, '1'],
  ['and short-circuit', '{{and 1 0 (index nil 0)}}', null, '0'],
  [
    'or short-circuit2',
    '{{or 0 0 (index nil 0)}}',
    null,
    { error: 'error calling index: index of untyped nil' },
  ],
  ['and short-circuit2', '{{and 1 1 (index nil 0)}}', null, { error: 'index of untyped nil' }],
  ['and pipe-true', '{{1 | and 1}}', null, '1'],
  ['and pipe-false', '{{0 | and 1}}', null, '0'],
  ['or pipe-true', '{{1 | or 0}}', null, '1'],
  ['or pipe-false', '{{0 | or 0}}', null, '0'],
  ['and undef', '{{and 1 .Unknown}}', null, '<no value>'],
  ['or undef', '{{or 0 .Unknown}}', null, '<no value>'],
  ['boolean if', '{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}', tVal, 'TRUE'],
  ['boolean if not', '{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}', null, 'FALSE'],
  ['boolean if pipe', '{{if true | not | and 1}}TRUE{{else}}FALSE{{end}}', null, 'FALSE'],
  ['slice[0]', '{{index .SI 0}}', tVal, '3'],
  ['slice[1]', '{{index .SI 1}}', tVal, '4'],
  [
    'slice[HUGE]',
    '{{index .SI 10}}',
    tVal,
    { error: 'error calling index: index out of range: 10' },
  ],
  [
    'slice[WRONG]',
    '{{index .SI `hello`}}',
    tVal,
    { error: 'cannot index slice/array with type string' },
  ],
  ['slice[nil]', '{{index .SI nil}}', tVal, { error: 'cannot index slice/array with nil' }],
  ['map[one]', '{{index .MSI `one`}}', tVal, '1'],
  // Go's map[string]int gives 0 here; the data is map[string]interface{}, whose zero value is nil.
  ['map[NO]', '{{index .MSI `XXX`}}', tVal, '<no value>'],
  ['map[WRONG]', '{{index .MSI 10}}', tVal, { error: 'value has type int; should be string' }],
  ['double index', '{{index .SMSI 1 `eleven`}}', tVal, '11'],
  ['nil[1]', '{{index nil 1}}', tVal, { error: 'index of untyped nil' }],
  ['index of an interface field', '{{index .Empty3 0}}', tVal, '7'],
  ['slice[:]', '{{slice .SI}}', tVal, '[3 4 5]'],
  ['slice[1:]', '{{slice .SI 1}}', tVal, '[4 5]'],
  ['slice[1:2]', '{{slice .SI 1 2}}', tVal, '[4]'],
  ['slice[-1:]', '{{slice .SI -1}}', tVal, { error: 'index out of range: -1' }],
  ['slice[1:-2]', '{{slice .SI 1 -2}}', tVal, { error: 'index out of range: -2' }],
  ['slice[2:1]', '{{slice .SI 2 1}}', tVal, { error: 'invalid slice index: 2 > 1' }],
  ['slice[2:2:1]', '{{slice .SI 2 2 1}}', tVal, { error: 'invalid slice index: 2 > 1' }],
  ['slice out of range', '{{slice .SI 4 5}}', tVal, { error: 'index out of range: 4' }],
  ['string[:]', '{{slice .S}}', tVal, 'xyz'],
  ['string[0:1]', '{{slice .S 0 1}}', tVal, 'x'],
  ['string[1:]', '{{slice .S 1}}', tVal, 'yz'],
  ['string[1:2]', '{{slice .S 1 2}}', tVal, 'y'],
  ['string out of range', '{{slice .S 1 5}}', tVal, { error: 'index out of range: 5' }],
  [
    '3-index slice of string',
    '{{slice .S 1 2 2}}',
    tVal,
    { error: 'cannot 3-index slice a string' },
  ],
  ['len slice', '{{len .SI}}', tVal, '3'],
  ['len map', '{{len .MSI }}', tVal, '3'],
  ['len of int', '{{len 3}}', tVal, { error: 'error calling len: len of type int' }],
  ['len of nothing', '{{len .Empty0}}', tVal, { error: 'error calling len' }],
  ['len of an interface field', '{{len .Empty3}}', tVal, '2'],
  ['with true', '{{with true}}{{.}}{{end}}', tVal, 'true'],
  ['with false', '{{with false}}{{.}}{{else}}FALSE{{end}}', tVal, 'FALSE'],
  ['with 1', '{{with 1}}{{.}}{{else}}ZERO{{end}}', tVal, '1'],
  ['with 0', '{{with 0}}{{.}}{{else}}ZERO{{end}}', tVal, 'ZERO'],
  ['with 1.5', '{{with 1.5}}{{.}}{{else}}ZERO{{end}}', tVal, '1.5'],
  ['with 0.0', '{{with .FloatZero}}{{.}}{{else}}ZERO{{end}}', tVal, 'ZERO'],
  ['with emptystring', '{{with ``}}{{.}}{{else}}EMPTY{{end}}', tVal, 'EMPTY'],
  ['with string', '{{with `notempty`}}{{.}}{{else}}EMPTY{{end}}', tVal, 'notempty'],
  ['with emptyslice', '{{with .SIEmpty}}{{.}}{{else}}EMPTY{{end}}', tVal, 'EMPTY'],
  ['with slice', '{{with .SI}}{{.}}{{else}}EMPTY{{end}}', tVal, '[3 4 5]'],
  ['with emptymap', '{{with .MSIEmpty}}{{.}}{{else}}EMPTY{{end}}', tVal, 'EMPTY'],
  ['with map', '{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}', tVal, 'map[one:1]'],
  ['with empty interface, struct field', '{{with .Empty4}}{{.V}}{{end}}', tVal, 'UinEmpty'],
  ['with $x int', '{{with $x := .I}}{{$x}}{{end}}', tVal, '17'],
  ['with $x struct.U.V', '{{with $x := $}}{{$x.U.V}}{{end}}', tVal, 'v'],
  ['with variable and action', '{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}', tVal, 'v'],
  ['with else with', '{{with 0}}{{.}}{{else with true}}{{.}}{{end}}', tVal, 'true'],
  [
    'with else with chain',
    '{{with 0}}{{.}}{{else with false}}{{.}}{{else with `notempty`}}{{.}}{{end}}',
    tVal,
    'notempty',
  ],
  ['range []int', '{{range .SI}}-{{.}}-{{end}}', tVal, '-3--4--5-'],
  ['range empty no else', '{{range .SIEmpty}}-{{.}}-{{end}}', tVal, ''],
  ['range []int else', '{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}', tVal, '-3--4--5-'],
  ['range empty else', '{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', tVal, 'EMPTY'],
  [
    'range []int break else',
    '{{range .SI}}-{{.}}-{{break}}NOTREACHED{{else}}EMPTY{{end}}',
    tVal,
    '-3-',
  ],
  [
    'range []int continue else',
    '{{range .SI}}-{{.}}-{{continue}}NOTREACHED{{else}}EMPTY{{end}}',
    tVal,
    '-3--4--5-',
  ],
  ['range []bool', '{{range .SB}}-{{.}}-{{end}}', tVal, '-true--false-'],
  ['range map', '{{range .MSI}}-{{.}}-{{end}}', tVal, '-1--3--2-'],
  ['range empty map no else', '{{range .MSIEmpty}}-{{.}}-{{end}}', tVal, ''],
  ['range map else', '{{range .MSI}}-{{.}}-{{else}}EMPTY{{end}}', tVal, '-1--3--2-'],
  ['range empty map else', '{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', tVal, 'EMPTY'],
  ['range empty interface', '{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}', tVal, '-7--8-'],
  ['range empty nil', '{{range .Empty0}}-{{.}}-{{end}}', tVal, ''],
  ['range $x SI', '{{range $x := .SI}}<{{$x}}>{{end}}', tVal, '<3><4><5>'],
  ['range $x $y SI', '{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}', tVal, '<0=3><1=4><2=5>'],
  ['range $x MSIone', '{{range $x := .MSIone}}<{{$x}}>{{end}}', tVal, '<1>'],
  ['range $x $y MSIone', '{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}', tVal, '<one=1>'],
  ['declare in range', '{{range $x := .SI}}<{{$foo:=$x}}{{$x}}>{{end}}', tVal, '<3><4><5>'],
  ['range 5', '{{range $v := 5}}{{printf "%T%d" $v $v}}{{end}}', null, 'int0int1int2int3int4'],
  [
    'range int over two variables',
    '{{range $i, $v := 5}}{{end}}',
    null,
    { error: "can't use 5 to iterate over more than one variable" },
  ],
  ['range over a float', '{{range 1.5}}{{end}}', null, { error: "range can't iterate over 1.5" }],
  [
    'range over a string',
    '{{range .}}{{end}}',
    'hello',
    { error: "range can't iterate over hello" },
  ],
  ['or as if true', '{{or .SI "slice is empty"}}', tVal, '[3 4 5]'],
  ['or as if false', '{{or .SIEmpty "slice is empty"}}', tVal, 'slice is empty'],
  ['decimal', '{{print 1234}}', tVal, '1234'],
  ['decimal _', '{{print 12_34}}', tVal, '1234'],
  ['binary', '{{print 0b101}}', tVal, '5'],
  ['octal0', '{{print 0377}}', tVal, '255'],
  ['octal', '{{print 0o377}}', tVal, '255'],
  ['hex', '{{print 0x123}}', tVal, '291'],
  ['HEX', '{{print 0X123ABC}}', tVal, '1194684'],
  ['float', '{{print 123.4}}', tVal, '123.4'],
  ['float _', '{{print 0_0_1_2_3.4}}', tVal, '123.4'],
  ['hex float', '{{print +0x1.ep+2}}', tVal, '7.5'],
  ['print multi', '{{print 1_2_3_4 7.5_00_00_00}}', tVal, '1234 7.5'],
  ['bug0', '{{range .MSIone}}{{if $.U.V}}X{{end}}{{end}}', tVal, 'X'],
  ['bug4', '{{if .Empty0}}non-nil{{else}}nil{{end}}', tVal, 'nil'],
  ['bug7a', '{{3 2}}', tVal, { error: "can't give argument to non-function 3" }],
  ['bug7b', '{{$x := 1}}{{$x 2}}', tVal, { error: "can't give argument to non-function $x" }],
  ['bug7c', '{{$x := 1}}{{3 | $x}}', tVal, { error: "can't give argument to non-function $x" }],
  ['bug9', '{{.cause}}', { cause: 'neglect' }, 'neglect'],
  ['bug14a', '{{(nil).True}}', tVal, { error: 'nil is not a command' }],
  ['bug14b', '{{$x := nil}}{{$x.anything}}', tVal, { error: 'nil is not a command' }],
  [
    'bug14c',
    '{{$x := (1.0)}}{{$y := ("hello")}}{{$x.anything}}{{$y.true}}',
    tVal,
    { error: "can't evaluate field anything in type float64" },
  ],
  ['bug16a', '{{true|printf}}', tVal, { error: 'wrong type for value; expected string; got bool' }],
  ['bug16b', '{{1|printf}}', tVal, { error: 'wrong type for value; expected string; got int' }],
  [
    'bug16c',
    '{{1.1|printf}}',
    tVal,
    { error: 'wrong type for value; expected string; got float64' },
  ],
  ['bug16k', '{{"aaa"|printf }}', tVal, 'aaa'],
  ['bug18a', "{{eq . '.'}}", 46, 'true'],
  ['issue56490', '{{$i := 0}}{{$x := 0}}{{range $i = .AI}}{{end}}{{$i}}', tVal, '5'],
  [
    'issue60801',
    '{{$k := 0}}{{$v := 0}}{{range $k, $v = .AI}}{{$k}}={{$v}} {{end}}',
    tVal,
    '0=3 1=4 2=5 ',
  ],
];

// cmpTests from exec_test.go, run as {{if EXPR}}true{{else}}false{{end}}.
const comparisons: [expression: string, truth: string | { error: string }][] = [
  ['eq true true', 'true'],
  ['eq true false', 'false'],
  ['eq 1.5 1.5', 'true'],
  ['eq 1.5 2.5', 'false'],
  ['eq 1 1', 'true'],
  ['eq 1 2', 'false'],
  ['eq `xy` `xy`', 'true'],
  ['eq `xy` `xyz`', 'false'],
  ['eq 3 4 5 6 3', 'true'],
  ['eq 3 4 5 6 7', 'false'],
  ['ne true true', 'false'],
  ['ne 1.5 2.5', 'true'],
  ['ne 1 1', 'false'],
  ['ne `xy` `xyz`', 'true'],
  ['lt 1.5 1.5', 'false'],
  ['lt 1.5 2.5', 'true'],
  ['lt 1 2', 'true'],
  ['lt `xy` `xyz`', 'true'],
  ['le 1 1', 'true'],
  ['le 2 1', 'false'],
  ['le `xyz` `xy`', 'false'],
  ['gt 2 1', 'true'],
  ['gt `xy` `xyz`', 'false'],
  ['ge 1 2', 'false'],
  ['ge `xyz` `xy`', 'true'],
  ['eq .NegOne .Three', 'false'],
  ['lt .NegOne .Three', 'true'],
  ["eq (index `x` 0) 'x'", 'true'],
  ["eq (index `x` 0) 'y'", 'false'],
  ['eq .Map nil', 'true'],
  ['eq nil .Map', 'true'],
  ['eq .Map .NonNilMap', 'false'],
  ['eq .Missing ""', 'false'],
  ['eq .Big 9007199254740993', 'true'],
  ['lt .Big 9007199254740994', 'true'],
  ['eq `xy` 1', { error: 'incompatible types for comparison: string and int' }],
  ['eq 2 2.0', { error: 'incompatible types for comparison: int and float64' }],
  ['eq 1 1.0', { error: 'incompatible types for comparison: int and float64' }],
  ['lt 1 1.5', { error: 'incompatible types for comparison: int and float64' }],
  ['lt true true', { error: 'invalid type for comparison' }],
  ['lt nil 1', { error: 'invalid type for comparison' }],
  ['eq .NonNilMap .NonNilMap', { error: 'non-comparable type map[]: map[string]interface {}' }],
  ['eq .List .List', { error: 'non-comparable type [1]: []interface {}' }],
  ['eq 1', { error: 'missing argument for comparison' }],
  ['ne 1', { error: 'wrong number of args for ne: want 2 got 1' }],
];

const cmpData = {
  NegOne: -1,
  Three: 3,
  Map: null,
  NonNilMap: {},
  List: [1],
  Big: 9007199254740993n,
};

// Our data model, Prequel's data and the limits.
const engineCases: Case[] = [
  [
    'record field',
    'https://api.example.com/v1/users/{{.Record.email}}',
    { Record: { email: 'a@b.co' } },
    'https://api.example.com/v1/users/a@b.co',
  ],
  [
    'record as JSON with IsDeleted',
    '{"data": {{.Record.AsJson}}, "is_deleted": {{.IsDeleted}}}',
    {
      Record: { id: 7, name: 'Ada "the" first', tags: ['a', 'b'], score: 1.5, owner: null },
      IsDeleted: false,
    },
    '{"data": {"id":7,"name":"Ada \\"the\\" first","tags":["a","b"],"score":1.5,"owner":null}, "is_deleted": false}',
  ],
  [
    'AsJson writes bigints as exact numbers',
    '{{.Record.AsJson}}',
    { Record: { id: 12345678901234567890n } },
    '{"id":12345678901234567890}',
  ],
  [
    'AsJson keeps key order and skips undefined',
    '{{.Record.AsJson}}',
    { Record: { b: 1, a: { d: undefined, c: [1, undefined] } } },
    '{"b":1,"a":{"c":[1,null]}}',
  ],
  [
    'AsJson writes dates as ISO strings',
    '{{.Record.AsJson}}',
    { Record: { at: new Date(Date.UTC(2024, 4, 1, 12, 30)) } },
    '{"at":"2024-05-01T12:30:00.000Z"}',
  ],
  ['Records.AsJson', '{{.Records.AsJson}}', { Records: [{ a: 1 }, { a: 2 }] }, '[{"a":1},{"a":2}]'],
  ['a real AsJson field wins', '{{.Record.AsJson}}', { Record: { AsJson: 'mine' } }, 'mine'],
  [
    'AsJson on a string is a field error',
    '{{.Record.name.AsJson}}',
    { Record: { name: 'x' } },
    { error: "can't evaluate field AsJson in type string" },
  ],
  ['AsJson of a missing record', '{{.Record.AsJson}}', {}, '<no value>'],
  [
    '.Records[0] extension',
    '{{.Records[0].timezone}}',
    { Records: [{ timezone: 'Europe/Paris' }] },
    'Europe/Paris',
  ],
  [
    '.Records[N] on $',
    '{{$.Records[1].email}}',
    { Records: [{ email: 'a' }, { email: 'b' }] },
    'b',
  ],
  ['[N] after a parenthesized pipeline', '{{(slice .Records 1)[0]}}', { Records: ['a', 'b'] }, 'b'],
  ['[N] chained', '{{.M[1][0]}}', { M: [[1], [2, 3]] }, '2'],
  ['[N] out of range', '{{.Records[3].x}}', { Records: [] }, { error: 'index out of range: 3' }],
  ['[N] on a missing value is nil', '{{.Records[0].x}}', {}, '<no value>'],
  [
    '[N] on a null value fails like Go',
    '{{.Records[0].x}}',
    { Records: null },
    { error: 'nil pointer evaluating interface {}[0]' },
  ],
  [
    '[N] on a map',
    '{{.Record[0]}}',
    { Record: { a: 1 } },
    { error: "can't index item of type map[string]interface {}" },
  ],
  [
    'ProviderID and LoadID',
    '/batches/{{.ProviderID}}/{{.LoadID}}',
    { Records: [], ProviderID: 'acme', LoadID: 'l-1' },
    '/batches/acme/l-1',
  ],
  ['bigint prints exactly', '{{.}}', 12345678901234567890n, '12345678901234567890'],
  ['ints print without decimals', '{{.}}', 2 ** 53, '9007199254740992'],
  ['float shortest form', '{{.}}', 0.1 + 0.2, '0.30000000000000004'],
  ['large float uses an exponent', '{{.}}', 1e21, '1e+21'],
  ['float literal 1e6 is a float64', '{{1e6}}', null, '1e+06'],
  ['float literal 1.0 prints as 1', '{{1.0}}', null, '1'],
  ['small float', '{{.}}', 1e-7, '1e-07'],
  ['negative float', '{{.}}', -0.5, '-0.5'],
  [
    'NaN and infinities',
    '{{.A}} {{.B}} {{.C}}',
    { A: NaN, B: Infinity, C: -Infinity },
    'NaN +Inf -Inf',
  ],
  ['booleans', '{{.T}} {{.F}}', { T: true, F: false }, 'true false'],
  [
    'dates print as RFC 3339',
    '{{.A}} {{.B}}',
    {
      A: new Date(Date.UTC(2024, 4, 1, 12, 30)),
      B: new Date(Date.UTC(2024, 4, 1, 12, 30, 0, 123)),
    },
    '2024-05-01T12:30:00Z 2024-05-01T12:30:00.123Z',
  ],
  ['maps print with sorted keys', '{{.}}', { c: 3, a: 1, b: 2 }, 'map[a:1 b:2 c:3]'],
  [
    'nil inside collections prints <nil>',
    '{{.}}',
    [{ a: 1 }, { b: null }, null],
    '[map[a:1] map[b:<nil>] <nil>]',
  ],
  ['undefined field is <no value>', '{{.A}}', { A: undefined }, '<no value>'],
  [
    'null field is <no value>',
    '{{.Record.a}}|{{print .Record.a}}',
    { Record: { a: null } },
    '<no value>|<nil>',
  ],
  [
    'a field of a missing value is <no value>',
    '{{.Record.address.city}}',
    { Record: {} },
    '<no value>',
  ],
  // Go: a null in map[string]interface{} is a nil interface, and walking into it is an error.
  [
    'a field of a null value fails like Go',
    '{{.Record.address.city}}',
    { Record: { address: null } },
    { error: 'nil pointer evaluating interface {}.city' },
  ],
  [
    'a null value read through a pipeline is missing',
    '{{$a := .Record.address}}{{$a.city}}|{{(.Record.address).city}}',
    { Record: { address: null } },
    '<no value>|<no value>',
  ],
  [
    'a null list element fails when walked into',
    '{{range .}}{{.x}}{{end}}',
    [null],
    { error: 'nil pointer evaluating interface {}.x' },
  ],
  [
    'with skips a null value',
    '{{with .Record.address}}{{.city}}{{else}}none{{end}}',
    { Record: { address: null } },
    'none',
  ],
  ['len counts UTF-8 bytes like Go', '{{len .}}', 'héllo', '6'],
  ['index of a string is a byte', '{{index . 1}}', 'héllo', '195'],
  ['string comparison is by code point', '{{lt .A .B}}', { A: '\uffff', B: '😀' }, 'true'],
  [
    'range over an object visits own keys in sorted order',
    '{{range $k, $v := .}}{{$k}}={{$v}};{{end}}',
    { b: 2, a: 1, 10: 'x', 9: 'y' },
    '10=x;9=y;a=1;b=2;',
  ],
  [
    'range over Records',
    '{{range $i, $r := .Records}}{{if $i}},{{end}}{{$r.id}}{{end}}',
    { Records: [{ id: 1 }, { id: 2 }, { id: 3 }] },
    '1,2,3',
  ],
  [
    'range break inside if',
    '{{range .}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}',
    [1, 2, 3, 4],
    '12',
  ],
  [
    'range continue inside with',
    '{{range .}}{{with .skip}}{{continue}}{{end}}{{.id}}{{end}}',
    [{ id: 1 }, { id: 2, skip: true }, { id: 3 }],
    '13',
  ],
  [
    'break in an inner range leaves the outer one running',
    '{{range .}}[{{range .}}{{.}}{{break}}{{end}}]{{end}}',
    [
      [1, 2],
      [3, 4],
    ],
    '[1][3]',
  ],
  [
    'range variables are scoped to the range',
    '{{$x := "out"}}{{range $x := .}}{{$x}}{{end}}{{$x}}',
    [1, 2],
    '12out',
  ],
  ['range over 0 runs the else branch', '{{range 0}}x{{else}}none{{end}}', null, 'none'],
  ['range over a bigint count', '{{range .}}.{{end}}', 3n, '...'],
  [
    'with sets dot, else keeps it',
    '{{with .Record.missing}}{{.}}{{else}}{{.Record.email}}{{end}}',
    { Record: { email: 'e' } },
    'e',
  ],
  [
    'printf verbs',
    '{{printf "%s %d %v %q %f %.2f %t %x %%" "s" 42 .L "q" 3.14159 2.675 true 255}}',
    { L: [1, 'a'] },
    's 42 [1 a] "q" 3.141590 2.67 true ff %',
  ],
  [
    'printf widths and flags',
    '{{printf "[%5d|%-5d|%05d|%+d|%x|%X|%#x|%o|%b]" 42 42 42 5 255 255 255 8 5}}',
    null,
    '[   42|42   |00042|+5|ff|FF|0xff|10|101]',
  ],
  [
    'printf floats round half to even like Go',
    '{{printf "%.0f %.0f %.2f %.1f" 2.5 3.5 0.125 0.05}}',
    null,
    '2 4 0.12 0.1',
  ],
  [
    'printf %e %g %8.3f',
    '{{printf "%e|%g|%8.3f|%G" 1234.5678 1e21 3.14159 1e-10}}',
    null,
    '1.234568e+03|1e+21|   3.142|1E-10',
  ],
  ['printf %f accepts an int from data', '{{printf "%.2f" .price}}', { price: 3 }, '3.00'],
  ['printf %d on a float', '{{printf "%d" .price}}', { price: 1.5 }, '%!d(float64=1.5)'],
  [
    'printf quoting and runes',
    '{{printf "%q %q %c %U %#U" "hi\\n" 65 65 128512 65}}',
    null,
    `"hi\\n" 'A' A U+1F600 U+0041 'A'`,
  ],
  [
    'printf %v %+v %#v of maps',
    '{{printf "%v|%+v|%#v" . . .}}',
    { b: 'x', a: 1 },
    'map[a:1 b:x]|map[a:1 b:x]|map[string]interface {}{"a":1, "b":"x"}',
  ],
  [
    'printf %T',
    '{{printf "%T %T %T %T %T %T" 1 1.5 "s" true .L .M}}',
    { L: [], M: {} },
    'int float64 string bool []interface {} map[string]interface {}',
  ],
  [
    'printf bad verbs',
    '{{printf "%t|%d|%s|%z" 1 "x" 5 1}}',
    null,
    '%!t(int=1)|%!d(string=x)|%!s(int=5)|%!z(int=1)',
  ],
  [
    'printf missing and extra arguments',
    '{{printf "%d %d" 1}}|{{printf "%d" 1 2 "a"}}|{{printf "%"}}',
    null,
    '1 %!d(MISSING)|1%!(EXTRA int=2, string=a)|%!(NOVERB)',
  ],
  ['printf nil', '{{printf "%v|%s|%d" nil nil .Missing}}', {}, '<nil>|%!s(<nil>)|%!d(<nil>)'],
  [
    'printf strings',
    '{{printf "%x|%X|% x|%5.1s|%.3s|%-4s|" "hi" "hi" "hi" "abc" "héllo" "ab"}}',
    null,
    '6869|6869|68 69|    a|hél|ab  |',
  ],
  [
    'printf argument indexes and stars',
    '{{printf "%[2]d %[1]d" 1 2}}|{{printf "%*d|%-*d|%.*f" 5 42 3 7 2 3.14159}}',
    null,
    '2 1|   42|7  |3.14',
  ],
  [
    'printf elementwise on lists',
    '{{printf "%s|%d" .L .L}}',
    { L: [1, 'a'] },
    '[%!s(int=1) a]|[1 %!d(string=a)]',
  ],
  ['printf %6.2f%%', '{{printf "%6.2f%%" 12.3456}}', null, ' 12.35%'],
  ['print spacing follows Sprint', '{{print "a" 1 2 "b" "c" 3.5 true}}', null, 'a1 2bc3.5 true'],
  [
    'urlquery on a record field',
    '?q={{urlquery .Record.q}}',
    { Record: { q: 'a b&c=d/é' } },
    '?q=a+b%26c%3Dd%2F%C3%A9',
  ],
  [
    'js escaping',
    '{{js .}}',
    '<a href="x">&=\\\n',
    '\\u003Ca href\\u003D\\"x\\"\\u003E\\u0026\\u003D\\\\\\u000A',
  ],
  ['html with several arguments', '{{html "<" 1 2}}', null, '&lt;1 2'],
  [
    'call is defined but cannot call',
    '{{call .F}}',
    { F: 1 },
    { error: 'error calling call: non-function .F of type int' },
  ],
  ['call of nil', '{{call .F}}', {}, { error: 'error calling call: call of nil' }],
  [
    'wrong argument count',
    '{{not 1 2}}',
    null,
    { error: 'wrong number of args for not: want 1 got 2' },
  ],
  [
    'variadic with too few arguments',
    '{{index}}',
    null,
    { error: 'wrong number of args for index: want at least 1 got 0' },
  ],
  ['printf needs a string format', '{{printf 1}}', null, { error: 'expected string; found 1' }],
  [
    'printf of a missing field',
    '{{printf .Missing}}',
    {},
    { error: 'invalid value; expected string' },
  ],
  ['field of a number', '{{.X.Y}}', { X: 1 }, { error: "can't evaluate field Y in type int" }],
  [
    'field of a list',
    '{{.Records.length}}',
    { Records: [] },
    { error: "can't evaluate field length in type []interface {}" },
  ],
  [
    'huge int literal',
    '{{18446744073709551615}}',
    null,
    { error: '18446744073709551615 overflows int' },
  ],
  ['template not defined', '{{template "x"}}', null, { error: 'template "x" not defined' }],
  [
    'variables do not cross template calls',
    '{{define "T"}}{{$}}{{end}}{{$x := 1}}{{template "T" 42}}',
    null,
    '42',
  ],
  [
    'define and template',
    '{{define "T1"}}ONE{{end}}{{define "T2"}}TWO{{end}}{{define "T3"}}{{template "T1"}} {{template "T2"}}{{end}}{{template "T3"}}',
    null,
    'ONE TWO',
  ],
  ['block', 'a({{block "inner" .}}bar({{.}})baz{{end}})b', 'hello', 'a(bar(hello)baz)b'],
  [
    'recursive template over a tree',
    '{{define "tree"}}[{{.Val}}{{range .Kids}}{{template "tree" .}}{{end}}]{{end}}{{template "tree" .}}',
    { Val: 1, Kids: [{ Val: 2, Kids: [{ Val: 3 }] }, { Val: 4 }] },
    '[1[2[3]][4]]',
  ],
  [
    'errors name the executing template',
    '{{define "inner"}}{{index . 5}}{{end}}{{template "inner" "hi"}}',
    null,
    {
      error:
        'template: test:1:21: executing "inner" at <index . 5>: error calling index: index out of range: 5',
    },
  ],
];

const sandboxCases: Case[] = [
  ['__proto__ is missing', '{{.Record.__proto__}}', { Record: {} }, '<no value>'],
  ['__proto__ chain is missing', '{{.Record.__proto__.polluted}}', { Record: {} }, '<no value>'],
  [
    'constructor is missing',
    '{{.constructor}}|{{.Record.constructor}}|{{.Record.constructor.name}}',
    { Record: {} },
    '<no value>|<no value>|<no value>',
  ],
  [
    'prototype methods are missing',
    '{{.Record.toString}}|{{.Record.hasOwnProperty}}|{{.Record.valueOf}}',
    { Record: {} },
    '<no value>|<no value>|<no value>',
  ],
  [
    'index cannot reach prototypes',
    '{{index .Record "__proto__"}}|{{index .Record "constructor"}}',
    { Record: {} },
    '<no value>|<no value>',
  ],
  [
    'an own constructor key is data',
    '{{.Record.constructor}}',
    { Record: { constructor: 'Ada' } },
    'Ada',
  ],
  [
    'an own __proto__ key from JSON is ignored',
    '{{.Record.__proto__}}|{{len .Record}}|{{.Record}}',
    { Record: JSON.parse('{"__proto__": {"x": 1}, "a": 1}') as unknown },
    '<no value>|1|map[a:1]',
  ],
  [
    'inherited keys are invisible',
    '{{range $k, $v := .}}{{$k}}{{end}}|{{.inherited}}',
    Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 }),
    'own|<no value>',
  ],
  [
    'getters are never run',
    '{{.g}}',
    Object.defineProperty({}, 'g', {
      enumerable: true,
      get() {
        throw new Error('getter ran');
      },
    }),
    '<no value>',
  ],
  [
    'string methods are not fields',
    '{{.S.length}}',
    { S: 'abc' },
    { error: "can't evaluate field length in type string" },
  ],
  [
    'functions in data cannot be printed',
    '{{.F}}',
    { F: () => 1 },
    { error: "can't print {{.F}} of type func()" },
  ],
];

const syntaxCases: Case[] = [
  ['trim markers', '{{23 -}} < {{- 45}}', null, '23<45'],
  ['trim marker newlines', 'a\n  {{- .X }}\n{{ .X -}}\n\n  b', { X: 'x' }, 'ax\nxb'],
  ['trimmed comment', 'a  {{- /* c */ -}}  b', null, 'ab'],
  ['comment', 'a{{/* a comment\nover lines */}}b', null, 'ab'],
  ['-3 is a number, not a trim marker', '{{-3}}', null, '-3'],
  ['an action may span lines', '{{ .X\n  | printf "%s!"\n}}', { X: 'x' }, 'x!'],
  ['doc: string constant', '{{"\\"output\\""}}', null, '"output"'],
  ['doc: raw string constant', '{{`"output"`}}', null, '"output"'],
  ['doc: function call', '{{printf "%q" "output"}}', null, '"output"'],
  ['doc: pipeline into the last argument', '{{"output" | printf "%q"}}', null, '"output"'],
  ['doc: parenthesized argument', '{{printf "%q" (print "out" "put")}}', null, '"output"'],
  ['doc: elaborate call', '{{"put" | printf "%s%s" "out" | printf "%q"}}', null, '"output"'],
  ['doc: longer chain', '{{"output" | printf "%s" | printf "%q"}}', null, '"output"'],
  ['doc: with using dot', '{{with "output"}}{{printf "%q" .}}{{end}}', null, '"output"'],
  [
    'doc: with creating a variable',
    '{{with $x := "output" | printf "%q"}}{{$x}}{{end}}',
    null,
    '"output"',
  ],
  [
    'doc: with using the variable',
    '{{with $x := "output"}}{{printf "%q" $x}}{{end}}',
    null,
    '"output"',
  ],
  [
    'doc: variable pipelined',
    '{{with $x := "output"}}{{$x | printf "%q"}}{{end}}',
    null,
    '"output"',
  ],
  ['variable declared in a parenthesized pipeline', '{{print ($x := 5)}}{{$x}}', null, '55'],
  ['char constants are ints', "{{'a'}} {{'\\n'}} {{'\\x41'}}", null, '97 10 65'],
  ['string escapes', '{{"tab\\there\\u00e9\\x21"}}', null, 'tab\there\u00e9!'],
];

describe("Go's exec_test cases", () => {
  test.each(goExecTests)('%s', (...args) => check(args));
});

describe('comparisons', () => {
  test.each(comparisons)('%s', (expression, truth) => {
    check([expression, `{{if ${expression}}}true{{else}}false{{end}}`, cmpData, truth]);
  });
});

describe('engine data', () => {
  test.each(engineCases)('%s', (...args) => check(args));
});

describe('sandbox', () => {
  test.each(sandboxCases)('%s', (...args) => check(args));
});

describe('syntax', () => {
  test.each(syntaxCases)('%s', (...args) => check(args));
});

describe('limits', () => {
  test('output longer than maxOutputLength fails', () => {
    const result = run('{{range 100}}0123456789{{end}}', null, { maxOutputLength: 50 });
    expect(result).toEqual({
      ok: false,
      error: { message: 'template output exceeds the limit of 50 characters' },
    });
  });

  test('a loop beyond the step budget fails', () => {
    const result = run('{{range 1000000}}{{end}}', null, { maxSteps: 1000 });
    expect(result).toEqual({
      ok: false,
      error: { message: 'template exceeded its step budget of 1000 steps' },
    });
  });

  test('the default step budget stops nested loops', () => {
    const result = run('{{range 1000}}{{range 1000}}{{range 1000}}{{end}}{{end}}{{end}}', null);
    expect(!result.ok && result.error.message).toBe(
      'template exceeded its step budget of 1000000 steps',
    );
  });

  test('range over an int is capped', () => {
    expect(run('{{range 1000000}}{{end}}', null, { maxSteps: 10_000_000 }).ok).toBe(true);
    const result = run('{{range .}}{{end}}', 1_000_001);
    expect(!result.ok && result.error.message).toContain(
      'range over 1000001 exceeds the limit of 1000000 iterations',
    );
  });

  test('a string doubled in a loop hits the output limit before exhausting memory', () => {
    const result = run('{{$x := "ab"}}{{range 100}}{{$x = printf "%s%s" $x $x}}{{end}}', null, {
      maxOutputLength: 1000,
    });
    expect(result).toEqual({
      ok: false,
      error: { message: 'template output exceeds the limit of 1000 characters' },
    });
  });

  test('a huge printf width hits the output limit', () => {
    const result = run('{{printf "%999999d" 1}}', null, { maxOutputLength: 1000 });
    expect(result).toEqual({
      ok: false,
      error: { message: 'template output exceeds the limit of 1000 characters' },
    });
  });

  test('unbounded template recursion stops at depth 100', () => {
    const result = run('{{define "T"}}{{template "T" .}}{{end}}{{template "T" .}}', null);
    expect(!result.ok && result.error.message).toContain('exceeded maximum template depth (100)');
  });

  test('recursion through deeply nested blocks stops before the JS stack does', () => {
    const body = `${'{{if true}}'.repeat(150)}{{template "T"}}${'{{end}}'.repeat(150)}`;
    const result = run(`{{define "T"}}${body}{{end}}{{template "T"}}`, null);
    expect(!result.ok && result.error.message).toBe(
      'template execution nests more than 1000 levels deep',
    );
  });

  test('cyclic data fails instead of looping', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    for (const template of ['{{.}}', '{{.AsJson}}', '{{printf "%v" .}}']) {
      const result = run(template, cyclic);
      expect(!result.ok && result.error.message).toContain(
        'value is nested more than 500 levels deep (or is cyclic)',
      );
    }
  });
});
