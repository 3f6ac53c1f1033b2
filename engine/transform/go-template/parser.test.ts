import { describe, expect, test } from 'vitest';
import { builtinFunctions } from './functions';
import { MAX_NESTING_DEPTH, nodeToString, parseTemplate, unquoteGoString } from './parser';

const functions = new Set(builtinFunctions.keys());

function parse(source: string) {
  return parseTemplate(source, { name: 'test', functions });
}

// [source, Go's message (or the start of ours), line, column]
const parseErrors: [string, string, number, number][] = [
  ['{{.Foo}', 'unexpected "}" in operand', 1, 7],
  ['abc {{.Foo', 'unclosed action', 1, 5],
  ['{{if .X}}a', 'unexpected EOF: missing {{end}} for {{if}}', 1, 1],
  ['x\n{{range .}}\n{{with .}}{{end}}', 'unexpected EOF: missing {{end}} for {{range}}', 2, 1],
  ['{{define "T"}}never ends', 'unexpected EOF: missing {{end}} for {{define}}', 1, 1],
  ['line1\n  {{foo 1}}', 'function "foo" not defined', 2, 5],
  ['a{{end}}', 'unexpected {{end}}', 1, 2],
  ['{{else}}', 'unexpected {{else}}', 1, 1],
  ['{{if}}{{end}}', 'missing value for if', 1, 5],
  ['{{range}}{{end}}', 'missing value for range', 1, 8],
  ['{{range .}}{{else}}{{else}}{{end}}', 'expected end; found {{else}}', 1, 20],
  ['{{$x}}', 'undefined variable "$x"', 1, 3],
  ['{{$x = 1}}', 'undefined variable "$x"', 1, 3],
  ['{{with $x := 1}}{{end}}{{$x}}', 'undefined variable "$x"', 1, 26],
  ['{{break}}', '{{break}} outside {{range}}', 1, 3],
  ['{{range .}}{{continue 1}}{{end}}', 'unexpected "1" in {{continue}}', 1, 23],
  ['{{"abc}}', 'unterminated quoted string', 1, 3],
  ['{{`abc}}', 'unterminated raw quoted string', 1, 3],
  ["{{'a}}", 'unterminated character constant', 1, 3],
  ['{{.X!}}', "bad character U+0021 '!'", 1, 3],
  ['{{(.X}}', 'unclosed left paren', 1, 6],
  ['{{.X)}}', 'unexpected ")" in command', 1, 5],
  ['{{.X | 1}}', 'non executable command in pipeline stage 2', 1, 8],
  ['{{/* no end', 'unclosed comment', 1, 3],
  ['{{/* c */ .X}}', 'comment ends before closing delimiter', 1, 3],
  ['{{define "a"}}x{{end}}{{define "a"}}y{{end}}', 'multiple definition of template "a"', 1, 37],
  ['{{if .X}}{{define "a"}}{{end}}{{end}}', 'unexpected <define> in command', 1, 12],
  ['{{template .X}}', 'unexpected ".X" in template clause', 1, 12],
  ['{{template "x" | }}', 'unexpected "|" in template clause', 1, 16],
  ['{{$x, $y := 2}}', 'too many declarations in command', 1, 5],
  ['{{range $a, $b, $c := .}}{{end}}', 'too many declarations in range', 1, 15],
  ['{{range $a, 1 := .}}{{end}}', 'range can only initialize variables', 1, 13],
  ['{{1.x}}', 'bad number syntax: "1.x"', 1, 3],
  ["{{'ab'}}", "malformed character constant: 'ab'", 1, 3],
  ['{{3i}}', 'complex numbers are not supported: 3i', 1, 3],
  ['{{0x}}', 'illegal number syntax: "0x"', 1, 3],
  ['{{1__0}}', 'illegal number syntax: "1__0"', 1, 3],
  ['{{99999999999999999999999}}', 'integer overflow: "99999999999999999999999"', 1, 3],
  ['{{"\\q"}}', 'invalid syntax', 1, 3],
  ['{{"a".x}}', 'unexpected . after term "\\"a\\""', 1, 3],
  ['{{.X.}}', 'unexpected <.> in operand', 1, 5],
  ['{{.Records [0]}}', 'unexpected "[" in operand', 1, 12],
  [
    '{{.Records[x]}}',
    'bad index: only [N] with a non-negative integer N may follow a field',
    1,
    11,
  ],
  ['{{@}}', 'unexpected "@" in command', 1, 3],
  ['{{if true}}{{else if}}{{end}}', 'missing value for if', 1, 21],
  ['a\nb\n  {{.X | nope}}', 'function "nope" not defined', 3, 10],
];

describe('parse errors', () => {
  test.each(parseErrors)('%j → %s', (source, message, line, column) => {
    const result = parse(source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toBe(message);
    expect(result.error.position).toMatchObject({ line, column });
  });

  test('positions carry the offset as well as line and column', () => {
    const result = parse('ab\ncd {{.X');
    expect(!result.ok && result.error.position).toEqual({ offset: 6, line: 2, column: 4 });
  });
});

describe('parse trees', () => {
  test('an else-if chain is an if nested in the else branch, closed by one {{end}}', () => {
    const result = parse('{{if .A}}a{{else if .B}}b{{else}}c{{end}}');
    if (!result.ok) throw new Error(result.error.message);
    const root = result.template.templates.get('test');
    expect(root && nodeToString(root)).toBe('{{if .A}}a{{else}}{{if .B}}b{{else}}c{{end}}{{end}}');
  });

  test('define and block add named templates next to the main one', () => {
    const result = parse('{{define "a"}}A{{end}}x{{block "b" .}}B{{end}}');
    if (!result.ok) throw new Error(result.error.message);
    expect([...result.template.templates.keys()].sort()).toEqual(['a', 'b', 'test']);
  });

  test('a main template of only spaces gives way to a define of the same name', () => {
    const result = parse('  {{define "test"}}body{{end}}  ');
    if (!result.ok) throw new Error(result.error.message);
    const root = result.template.templates.get('test');
    expect(root && nodeToString(root)).toBe('body');
  });

  test('field chains keep [N] steps in order', () => {
    const result = parse('{{$.Records[0].tags[2]}}');
    if (!result.ok) throw new Error(result.error.message);
    const root = result.template.templates.get('test');
    expect(root && nodeToString(root)).toBe('{{$.Records[0].tags[2]}}');
  });

  test(`nesting beyond ${MAX_NESTING_DEPTH} levels is an error, not a stack overflow`, () => {
    const deepIf = '{{if true}}'.repeat(10_000) + '{{end}}'.repeat(10_000);
    const ifs = parse(deepIf);
    expect(!ifs.ok && ifs.error.message).toBe(
      `template nesting exceeds ${MAX_NESTING_DEPTH} levels`,
    );
    const deepParens = `{{${'('.repeat(10_000)}1${')'.repeat(10_000)}}}`;
    const parens = parse(deepParens);
    expect(!parens.ok && parens.error.message).toBe(
      `template nesting exceeds ${MAX_NESTING_DEPTH} levels`,
    );
    const elseIfs = parse(`{{if false}}${'{{else if false}}'.repeat(5_000)}{{end}}`);
    expect(elseIfs.ok).toBe(false);
    expect(parse('{{if true}}'.repeat(150) + 'x' + '{{end}}'.repeat(150)).ok).toBe(true);
  });
});

describe('unquoteGoString', () => {
  test.each([
    ['"plain"', 'plain'],
    ['"tab\\tnew\\nquote\\"back\\\\"', 'tab\tnew\nquote"back\\'],
    ['"\\x41\\101\\u00e9\\U0001F600"', 'AAé😀'],
    ['"\\xe2\\x82\\xac"', '€'],
    ['`raw \\n stays`', 'raw \\n stays'],
    ['`carriage\r\nreturns go`', 'carriage\nreturns go'],
  ])('%s', (quoted, value) => {
    expect(unquoteGoString(quoted)).toBe(value);
  });

  test.each(['"\\q"', '"\\x4"', '"\\\'"', '"\\uD800"', '"\\400"'])('%s is invalid', (quoted) => {
    expect(unquoteGoString(quoted)).toBeNull();
  });
});
