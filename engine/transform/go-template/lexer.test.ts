import { describe, expect, test } from 'vitest';
import { lexTemplate, type TokenType } from './lexer';

function types(source: string): TokenType[] {
  return lexTemplate(source).map((token) => token.type);
}

describe('lexTemplate', () => {
  test('splits text and actions into Go token kinds', () => {
    expect(
      lexTemplate('a {{.X | printf "%d" $y}} b').map(({ type, value }) => [type, value]),
    ).toEqual([
      ['text', 'a '],
      ['leftDelim', '{{'],
      ['field', '.X'],
      ['space', ' '],
      ['pipe', '|'],
      ['space', ' '],
      ['identifier', 'printf'],
      ['space', ' '],
      ['string', '"%d"'],
      ['space', ' '],
      ['variable', '$y'],
      ['rightDelim', '}}'],
      ['text', ' b'],
      ['eof', ''],
    ]);
  });

  test('recognises keywords, declarations and assignments', () => {
    expect(types('{{range $i, $e := .}}{{$i = 1}}{{else}}{{break}}{{continue}}{{end}}')).toEqual([
      'leftDelim',
      'range',
      'space',
      'variable',
      'char',
      'space',
      'variable',
      'space',
      'declare',
      'space',
      'dot',
      'rightDelim',
      'leftDelim',
      'variable',
      'space',
      'assign',
      'space',
      'number',
      'rightDelim',
      'leftDelim',
      'else',
      'rightDelim',
      'leftDelim',
      'break',
      'rightDelim',
      'leftDelim',
      'continue',
      'rightDelim',
      'leftDelim',
      'end',
      'rightDelim',
      'eof',
    ]);
  });

  test('trim markers remove the spaces next to the action, including newlines', () => {
    const tokens = lexTemplate('a \n {{- .X -}} \n b');
    expect(tokens.filter((token) => token.type === 'text').map((token) => token.value)).toEqual([
      'a',
      'b',
    ]);
  });

  test('"{{-3}}" is the number -3, not a trim marker', () => {
    expect(lexTemplate('{{-3}}').map((token) => token.value)).toEqual(['{{', '-3', '}}', '']);
  });

  test('comments produce no tokens, and may span lines', () => {
    expect(types('a{{/* one\ntwo */}}b{{- /* trimmed */ -}} c')).toEqual([
      'text',
      'text',
      'text',
      'eof',
    ]);
  });

  test('numbers in every Go spelling are single tokens', () => {
    const numbers = lexTemplate('{{print 1_000 0x1F 0o17 0b101 1.5e3 .5 -2 +0x1.ep+2}}').filter(
      (token) => token.type === 'number',
    );
    expect(numbers.map((token) => token.value)).toEqual([
      '1_000',
      '0x1F',
      '0o17',
      '0b101',
      '1.5e3',
      '.5',
      '-2',
      '+0x1.ep+2',
    ]);
  });

  test('[N] right after a field is an index token (the Prequel extension)', () => {
    expect(lexTemplate('{{.Records[0].timezone}}').map(({ type, value }) => [type, value])).toEqual(
      [
        ['leftDelim', '{{'],
        ['field', '.Records'],
        ['index', '[0]'],
        ['field', '.timezone'],
        ['rightDelim', '}}'],
        ['eof', ''],
      ],
    );
  });

  test('stops at the first error, which becomes the last token', () => {
    const tokens = lexTemplate('ok {{"never closed}} more {{.X}}');
    expect(tokens.at(-1)).toEqual({ type: 'error', pos: 5, value: 'unterminated quoted string' });
  });

  test('an action may span lines (Go 1.16+) but must be closed', () => {
    expect(types('{{.X\n}}')).toEqual(['leftDelim', 'field', 'space', 'rightDelim', 'eof']);
    expect(lexTemplate('x {{.X').at(-1)).toEqual({
      type: 'error',
      pos: 2,
      value: 'unclosed action',
    });
  });
});
