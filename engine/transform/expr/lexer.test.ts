import { describe, expect, test } from 'vitest';
import { tokenize } from './lexer';

function lex(source: string): string[] {
  const result = tokenize(source);
  if (!result.ok) throw new Error(result.error.message);
  return result.tokens.map((token) => `${token.kind}:${token.value}`);
}

describe('tokenize', () => {
  test('splits operators greedily, the way expr-lang does', () => {
    expect(lex('a?.b ?? c || d && e == f != g <= h >= i ** j')).toEqual([
      'identifier:a',
      'operator:?.',
      'identifier:b',
      'operator:??',
      'identifier:c',
      'operator:||',
      'identifier:d',
      'operator:&&',
      'identifier:e',
      'operator:==',
      'identifier:f',
      'operator:!=',
      'identifier:g',
      'operator:<=',
      'identifier:h',
      'operator:>=',
      'identifier:i',
      'operator:**',
      'identifier:j',
      'eof:',
    ]);
  });

  test('reads word operators as operators and everything else as identifiers', () => {
    expect(lex('x not in y and z matches w or startsWith')).toEqual([
      'identifier:x',
      'operator:not',
      'operator:in',
      'identifier:y',
      'operator:and',
      'identifier:z',
      'operator:matches',
      'identifier:w',
      'operator:or',
      'operator:startsWith',
      'eof:',
    ]);
  });

  test('keeps a range apart from a float', () => {
    expect(lex('1..5')).toEqual(['number:1', 'operator:..', 'number:5', 'eof:']);
    expect(lex('1.5')).toEqual(['number:1.5', 'eof:']);
    expect(lex('.5')).toEqual(['number:.5', 'eof:']);
  });

  test('reads number forms with digit separators', () => {
    expect(lex('1_000 0x1F 0o17 0b1 1e-3')).toEqual([
      'number:1_000',
      'number:0x1F',
      'number:0o17',
      'number:0b1',
      'number:1e-3',
      'eof:',
    ]);
  });

  test('unescapes quoted strings but not backtick strings', () => {
    expect(lex(String.raw`"a\n\"b\"" 'it\'s' ` + '`raw\\n`')).toEqual([
      'string:a\n"b"',
      "string:it's",
      'string:raw\\n',
      'eof:',
    ]);
    expect(lex('"\\u00e9\\U0001F389"')).toEqual(['string:é🎉', 'eof:']);
  });

  test('reads predicate pointers with their names', () => {
    expect(lex('#acc + # + #index')).toEqual([
      'operator:#',
      'identifier:acc',
      'operator:+',
      'operator:#',
      'operator:+',
      'operator:#',
      'identifier:index',
      'eof:',
    ]);
  });

  test('skips comments and whitespace, and accepts unicode identifiers', () => {
    expect(lex('// note\nprénom /* x */ + 名前')).toEqual([
      'identifier:prénom',
      'operator:+',
      'identifier:名前',
      'eof:',
    ]);
  });

  test('reports the offset of the offending character', () => {
    expect(tokenize('a + @')).toEqual({
      ok: false,
      error: { message: 'unrecognized character "@"', offset: 4 },
    });
    expect(tokenize('x + "open')).toEqual({
      ok: false,
      error: { message: 'unterminated string', offset: 4 },
    });
    expect(tokenize('`open')).toEqual({
      ok: false,
      error: { message: 'unterminated string', offset: 0 },
    });
    expect(tokenize('"\\x4"')).toEqual({
      ok: false,
      error: { message: 'invalid escape sequence in string', offset: 1 },
    });
  });

  test('gives token positions as UTF-16 offsets', () => {
    const result = tokenize('"🎉" + x');
    expect(result.ok && result.tokens.map((token) => [token.offset, token.end])).toEqual([
      [0, 4],
      [5, 6],
      [7, 8],
      [8, 8],
    ]);
  });
});
