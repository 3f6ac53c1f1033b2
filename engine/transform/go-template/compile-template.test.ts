import { describe, expect, test } from 'vitest';
import { compileTemplate, templateReferences, type CompiledTemplate } from './compile-template';

function compile(source: string): CompiledTemplate {
  const result = compileTemplate(source, { name: 'uri' });
  if (!result.ok) throw new Error(result.error.message);
  return result.template;
}

describe('compileTemplate', () => {
  test('compiles once and renders per record', () => {
    const template = compile('https://api.example.com/v1/users/{{.Record.email}}');
    expect(template.source).toBe('https://api.example.com/v1/users/{{.Record.email}}');
    expect(template.render({ Record: { email: 'a@x.io' } })).toEqual({
      ok: true,
      output: 'https://api.example.com/v1/users/a@x.io',
    });
    expect(template.render({ Record: { email: 'b@x.io' } })).toEqual({
      ok: true,
      output: 'https://api.example.com/v1/users/b@x.io',
    });
  });

  test('renders the documented record body', () => {
    const template = compile('{"data": {{.Record.AsJson}}, "is_deleted": {{.IsDeleted}}}');
    expect(
      template.render({
        Record: { id: '1', email: 'a@x.io' },
        IsDeleted: true,
        ProviderID: 'acme',
      }),
    ).toEqual({
      ok: true,
      output: '{"data": {"id":"1","email":"a@x.io"}, "is_deleted": true}',
    });
  });

  test('renders the documented batch header with the .Records[0] extension', () => {
    const template = compile('{{.Records[0].timezone}}');
    expect(
      template.render({
        Records: [{ timezone: 'UTC' }, { timezone: 'CET' }],
        ProviderID: 'acme',
        LoadID: 'l1',
      }),
    ).toEqual({
      ok: true,
      output: 'UTC',
    });
  });

  test('a parse error is a value with a Go message and a 1-based position', () => {
    expect(compileTemplate('{"a": {{.Record.x}', { name: 'body' })).toEqual({
      ok: false,
      error: {
        message: 'unexpected "}" in operand',
        position: { offset: 17, line: 1, column: 18 },
      },
    });
  });

  test('render errors are values that name the template and the failing action', () => {
    const result = compile('/x/{{index .Record.tags 3}}').render({ Record: { tags: [] } });
    expect(result).toEqual({
      ok: false,
      error: {
        message:
          'template: uri:1:6: executing "uri" at <index .Record.tags 3>: error calling index: index out of range: 3',
      },
    });
  });

  test('the compiled template cannot be altered', () => {
    const template = compile('x');
    expect(Object.isFrozen(template)).toBe(true);
  });

  test('never throws, whatever the template and the data', () => {
    const pieces = [
      '{{',
      '}}',
      '{{- ',
      ' -}}',
      '.',
      'X',
      '.Record',
      '.Records',
      '$',
      '$x',
      ':=',
      '=',
      '|',
      '(',
      ')',
      '"',
      '`',
      "'",
      'if ',
      'else ',
      'end',
      'range ',
      'with ',
      'define "t"',
      'template "t" ',
      'block "b" ',
      'break',
      'continue',
      'printf ',
      'index ',
      'len ',
      'eq ',
      'lt ',
      '1',
      '1.5',
      '-1',
      ' ',
      '\n',
      '/*',
      '*/',
      '[0]',
      ', ',
      'nil',
      'true',
      '"%d"',
      'and ',
      'or ',
      'not ',
      'slice ',
      'print ',
      'html ',
      'js ',
      'urlquery ',
      'call ',
      '.AsJson',
      'x',
    ];
    const data = [
      null,
      0,
      'text',
      { X: 1, Record: { a: [1, { b: null }] }, Records: [{ x: 1n }, 2.5] },
      [[], {}],
      new Date(0),
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 3000; i++) {
      let source = '';
      const length = 1 + Math.floor(random() * 24);
      for (let j = 0; j < length; j++) source += pieces[Math.floor(random() * pieces.length)];
      const compiled = compileTemplate(source);
      if (!compiled.ok) {
        expect(compiled.error.position.line).toBeGreaterThanOrEqual(1);
        continue;
      }
      for (const value of data) {
        const result = compiled.template.render(value, {
          maxSteps: 10_000,
          maxOutputLength: 10_000,
        });
        expect(typeof result.ok).toBe('boolean');
      }
    }
  });
});

describe('templateReferences', () => {
  test.each([
    ['https://x/{{.Record.email}}/{{.Record.timezone}}/{{.Record.email}}', ['email', 'timezone']],
    ['{{.Record.address.city}}', ['address.city']],
    ['{{.Record.AsJson}}', []],
    ['{{.Record.tags[0]}}', ['tags']],
    ['{{$.Record.id}}', ['id']],
    ['{{index .Record "email"}}', ['email']],
    ['{{with .Record}}{{.email}}{{end}}', ['email']],
    ['{{$r := .Record}}{{$r.email | urlquery}}', ['email']],
    ['{{.Records[0].timezone}}', ['timezone']],
    ['{{range .Records}}{{.id}}{{end}}', ['id']],
    ['{{range $i, $r := .Records}}{{$r.id}}{{end}}', ['id']],
    ['{{define "u"}}{{.email}}{{end}}{{template "u" .Record}}', ['email']],
    ['{{if .Record.a}}{{.Record.b}}{{else}}{{.Record.c}}{{end}}', ['a', 'b', 'c']],
    ['{{printf "%s-%s" (.Record.x) (print .Record.y)}}', ['x', 'y']],
    ['{{.ProviderID}}/{{.Other.email}}/{{.IsDeleted}}', []],
  ])('%s', (source, fields) => {
    expect(templateReferences(compile(source))).toEqual(fields);
  });
});
