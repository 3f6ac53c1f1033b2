import { describe, expect, test } from 'vitest';
// Tests only: the engine's mapping core shows that the error goes away once the fix is applied.
import { compileMappings, type FieldError } from '@/engine/transform/mapping/compile-mappings';
import type { PrequelType } from '@/lib/prequel/contract/source-actions';
import type { Mapping } from '@/lib/prequel/contract/stream';
import { suggestFix, type ColumnInfo } from './suggest-mappings';
import { targetFieldsOf, type TargetField } from './target-fields';

/** `error` stands in for an error our engine does not raise (it converts numbers to text by itself; the hosted API may not). */
type Case = {
  schema: Record<string, unknown>;
  required?: boolean;
  column: ColumnInfo;
  error?: { keyword: string; message: string };
};

function fieldOf({ schema, required = false }: Case): TargetField {
  const [field] = targetFieldsOf({
    type: 'object',
    required: required ? ['target'] : [],
    properties: { target: schema },
  });
  if (!field) throw new Error('no field');
  return field;
}

/** The errors a load reports for the field, one list per sample value, with the given mapping. */
function errorsWith(mapping: Mapping, { schema, required = false, column }: Case): FieldError[][] {
  const recordSchema = {
    type: 'object',
    required: required ? ['target'] : [],
    properties: { target: schema },
  };
  const compiled = compileMappings([mapping], recordSchema, [
    {
      name: column.name,
      raw_type: column.prequel_type,
      prequel_type: column.prequel_type,
      ordinal_position: 1,
      is_nullable: true,
    },
  ]);
  if (!compiled.ok) throw new Error(compiled.errors.map((error) => error.message).join('; '));
  return column.samples.map((sample, index) => {
    const result = compiled.transform.apply({
      recordId: String(index),
      data: { [column.name]: sample },
      isDeleted: false,
    });
    return result.ok ? [] : result.errors;
  });
}

const asColumn = (name: string): Mapping => ({
  target_field: 'target',
  field_type: 'field',
  column: { name },
});
const column = (name: string, prequel_type: PrequelType, samples: unknown[]): ColumnInfo => ({
  name,
  prequel_type,
  samples,
});

/** The first error our engine reports for the plain column mapping: what the preview would show. */
function firstError(testCase: Case): FieldError {
  const error = errorsWith(asColumn(testCase.column.name), testCase).flat()[0];
  if (!error) throw new Error('expected the plain mapping to fail');
  return error;
}

describe('suggestFix repairs what the preview reports', () => {
  const cases: [string, Case, string][] = [
    [
      'expected an integer, got text of digits',
      { schema: { type: 'integer' }, column: column('age', 'string', ['34', '07', '-1']) },
      'int(age)',
    ],
    [
      'expected a number, got numeric text',
      { schema: { type: 'number' }, column: column('score', 'string', ['12.5', '.5', '1e3']) },
      'float(score)',
    ],
    [
      'expected text, got a number',
      {
        schema: { type: 'string' },
        column: column('age', 'integer', [34, null]),
        error: { keyword: 'type', message: 'must be string' },
      },
      'IF(age == nil, nil, string(age))',
    ],
    [
      'expected text, got JSON',
      { schema: { type: 'string' }, column: column('attributes', 'json', [{ tier: 'gold' }]) },
      'toJSON(attributes)',
    ],
    [
      'expected a boolean, got yes/no',
      { schema: { type: 'boolean' }, column: column('active', 'string', ['yes', 'No', 'Y']) },
      'lower(active) in ["t", "true", "yes", "y", "1"]',
    ],
    [
      'expected a number, got a boolean',
      { schema: { type: 'number' }, column: column('vip', 'boolean', [true, false]) },
      'IF(vip, 1, 0)',
    ],
    [
      'expected a boolean, got 0/1',
      { schema: { type: 'boolean' }, column: column('flag', 'integer', [0, 1]) },
      'flag != 0',
    ],
    [
      'expected a whole number, got a decimal with a fraction',
      { schema: { type: 'integer' }, column: column('amount', 'decimal', ['12.50', '3.49']) },
      'IF(amount == nil, nil, int(round(float(amount))))',
    ],
    [
      'expected a date-time, got a date',
      {
        schema: { type: 'string', format: 'date-time' },
        column: column('birthday', 'date', ['1990-05-17']),
      },
      'TIMESTAMPVALUE(birthday)',
    ],
    [
      'expected a date-time, got text with a space',
      {
        schema: { type: 'string', format: 'date-time' },
        column: column('signup', 'string', ['2024-01-05 10:00:00']),
      },
      'TIMESTAMPVALUE(signup)',
    ],
    [
      'expected a date, got a timestamp',
      {
        schema: { type: 'string', format: 'date' },
        column: column('signup_at', 'timestamp', ['2024-01-05T10:00:00.123456Z']),
      },
      'LEFT(TIMESTAMPVALUE(signup_at), 10)',
    ],
    [
      'a value in the wrong case for the allowed list',
      {
        schema: { type: 'string', enum: ['free', 'pro'] },
        column: column('plan', 'string', ['PRO', 'Free']),
      },
      'lower(plan)',
    ],
    [
      'an upper-case allowed list',
      {
        schema: { type: 'string', enum: ['USD', 'EUR'] },
        column: column('currency', 'string', ['usd', 'EUR', null]),
      },
      'IF(currency == nil, nil, upper(currency))',
    ],
    [
      'a required field that is NULL',
      {
        schema: { type: 'string' },
        required: true,
        column: column('name', 'string', ['Ada', null]),
      },
      'name ?? ""',
    ],
    [
      'a required number that is NULL',
      { schema: { type: 'integer' }, required: true, column: column('qty', 'integer', [1, null]) },
      'qty ?? 0',
    ],
    [
      'a required allowed value that is NULL',
      {
        schema: { type: 'string', enum: ['free', 'pro'] },
        required: true,
        column: column('plan', 'string', ['pro', null]),
      },
      'plan ?? "free"',
    ],
  ];

  test.each(cases)('%s', (_title, testCase, expected) => {
    const error = testCase.error ?? { message: firstError(testCase).message };
    const fix = suggestFix(
      fieldOf(testCase),
      asColumn(testCase.column.name),
      error,
      testCase.column,
    );
    expect(fix?.mapping).toEqual({
      target_field: 'target',
      field_type: 'expression',
      expression: { expr: expected },
    });
    expect(fix?.explanation).toMatch(/^[A-Z].*\.$/);
    expect(errorsWith(fix?.mapping as Mapping, testCase).flat()).toEqual([]);
  });
});

describe('suggestFix reads the hosted API’s ajv errors too', () => {
  const age: TargetField = { path: 'age', type: ['integer'], required: false };

  test('keyword and message name the wanted type', () => {
    expect(
      suggestFix(age, asColumn('age'), { keyword: 'type', message: 'must be integer' })?.mapping,
    ).toMatchObject({ expression: { expr: 'IF(age == nil, nil, int(age))' } });
    const label: TargetField = { path: 'label', type: ['string', 'integer'], required: false };
    expect(
      suggestFix(label, asColumn('code'), { keyword: 'type', message: 'must be string,integer' })
        ?.mapping,
    ).toMatchObject({ expression: { expr: 'IF(code == nil, nil, string(code))' } });
  });

  test('a format error on a date-time field', () => {
    const field: TargetField = {
      path: 'created_at',
      type: ['string'],
      format: 'date-time',
      required: true,
    };
    expect(
      suggestFix(field, asColumn('created'), {
        keyword: 'format',
        message: 'must match format "date-time"',
      }),
    ).toEqual({
      mapping: {
        target_field: 'created_at',
        field_type: 'expression',
        expression: { expr: 'TIMESTAMPVALUE(created)' },
      },
      explanation: 'Rewrites the value as an ISO 8601 timestamp in UTC (2024-01-02T10:20:30Z).',
    });
  });

  test('an enum error quoting the value', () => {
    const field: TargetField = {
      path: 'plan',
      type: ['string'],
      required: false,
      enum: ['free', 'pro'],
    };
    expect(
      suggestFix(field, asColumn('plan'), { message: '"PRO" is not one of "free", "pro"' })
        ?.mapping,
    ).toMatchObject({ expression: { expr: 'IF(plan == nil, nil, lower(plan))' } });
    expect(
      suggestFix(field, asColumn('plan'), {
        keyword: 'enum',
        message: 'must be equal to one of the allowed values',
      }),
    ).toBeNull();
  });

  test('a missing required field', () => {
    const field: TargetField = { path: 'email', type: ['string'], format: 'email', required: true };
    // No default can be a valid e-mail address.
    expect(
      suggestFix(field, asColumn('email'), {
        keyword: 'required',
        message: "must have required property 'email'",
      }),
    ).toBeNull();
    const flag: TargetField = { path: 'opted_in', type: ['boolean'], required: true };
    expect(
      suggestFix(flag, asColumn('opted_in'), {
        keyword: 'required',
        message: "must have required property 'opted_in'",
      })?.mapping,
    ).toMatchObject({ expression: { expr: 'opted_in ?? false' } });
  });
});

describe('suggestFix on an expression mapping', () => {
  test('wraps the expression, whatever it is', () => {
    const field: TargetField = { path: 'cents', type: ['integer'], required: false };
    const mapping: Mapping = {
      target_field: 'cents',
      field_type: 'expression',
      expression: { expr: 'float(amount) * 100' },
    };
    const fix = suggestFix(
      field,
      mapping,
      { message: '1250.5 is not a whole number' },
      column('amount', 'decimal', ['12.505']),
    );
    expect(fix?.mapping).toEqual({
      target_field: 'cents',
      field_type: 'expression',
      expression: {
        expr: 'IF((float(amount) * 100) == nil, nil, int(round(float((float(amount) * 100)))))',
      },
    });
    const errors = errorsWith(fix?.mapping as Mapping, {
      schema: { type: 'integer' },
      column: column('amount', 'decimal', ['12.505', '0.004']),
    });
    expect(errors.flat()).toEqual([]);
  });

  test('a single call is wrapped without extra parentheses', () => {
    const field: TargetField = { path: 'name', type: ['string'], required: true };
    const mapping: Mapping = {
      target_field: 'name',
      field_type: 'expression',
      expression: { expr: 'CONCATENATE(first, ")", last)' },
    };
    expect(
      suggestFix(field, mapping, { keyword: 'required', message: 'is NULL for this record' })
        ?.mapping,
    ).toMatchObject({ expression: { expr: 'CONCATENATE(first, ")", last) ?? ""' } });
    const nested: Mapping = {
      target_field: 'name',
      field_type: 'expression',
      expression: { expr: 'lower(a) + upper(b)' },
    };
    expect(
      suggestFix(field, nested, { keyword: 'required', message: 'is NULL' })?.mapping,
    ).toMatchObject({ expression: { expr: '(lower(a) + upper(b)) ?? ""' } });
  });

  test('an expression that already has a default is left alone', () => {
    const field: TargetField = { path: 'name', type: ['string'], required: true };
    const mapping: Mapping = {
      target_field: 'name',
      field_type: 'expression',
      expression: { expr: 'name ?? "unknown"' },
    };
    expect(
      suggestFix(field, mapping, { keyword: 'required', message: 'is NULL for this record' }),
    ).toBeNull();
  });

  test('a column named like an operator is spelled through $env', () => {
    const field: TargetField = { path: 'n', type: ['integer'], required: false };
    expect(
      suggestFix(field, asColumn('in'), { keyword: 'type', message: 'must be integer' })?.mapping,
    ).toMatchObject({ expression: { expr: 'IF($env["in"] == nil, nil, int($env["in"]))' } });
  });
});

describe('suggestFix declines what no expression can repair', () => {
  test('text that is no number', () => {
    const testCase: Case = {
      schema: { type: 'integer' },
      column: column('age', 'string', ['thirty', '40']),
    };
    expect(
      suggestFix(
        fieldOf(testCase),
        asColumn('age'),
        { message: firstError(testCase).message },
        testCase.column,
      ),
    ).toBeNull();
  });

  test('an integer beyond 2^53 for an integer field', () => {
    const testCase: Case = {
      schema: { type: 'integer' },
      column: column('external_ref', 'integer', ['9007199254740993']),
    };
    expect(
      suggestFix(
        fieldOf(testCase),
        asColumn('external_ref'),
        { message: firstError(testCase).message },
        testCase.column,
      ),
    ).toBeNull();
  });

  test('values outside the allowed list in any case', () => {
    const testCase: Case = {
      schema: { type: 'string', enum: ['free', 'pro'] },
      column: column('plan', 'string', ['gold']),
    };
    expect(
      suggestFix(
        fieldOf(testCase),
        asColumn('plan'),
        { message: firstError(testCase).message },
        testCase.column,
      ),
    ).toBeNull();
  });

  test('an e-mail address that is not one', () => {
    const field: TargetField = {
      path: 'email',
      type: ['string'],
      format: 'email',
      required: false,
    };
    expect(
      suggestFix(
        field,
        asColumn('email'),
        { keyword: 'format', message: 'must match format "email"' },
        column('email', 'string', ['n/a']),
      ),
    ).toBeNull();
  });

  test('stray spaces around an e-mail address are trimmed', () => {
    const field: TargetField = {
      path: 'email',
      type: ['string'],
      format: 'email',
      required: false,
    };
    expect(
      suggestFix(
        field,
        asColumn('email'),
        { keyword: 'format', message: 'must match format "email"' },
        column('email', 'string', [' ada@example.org ']),
      )?.mapping,
    ).toMatchObject({
      expression: { expr: 'IF(email == nil, nil, trim(email))' },
    });
  });

  test('an error it does not understand', () => {
    const field: TargetField = { path: 'code', type: ['string'], required: false };
    expect(
      suggestFix(field, asColumn('code'), {
        keyword: 'pattern',
        message: 'must match pattern "^[A-Z]{2}$"',
      }),
    ).toBeNull();
    expect(
      suggestFix(field, asColumn('code'), { message: 'something else went wrong' }),
    ).toBeNull();
  });

  test('a field of any type', () => {
    const field: TargetField = { path: 'anything', type: [], required: false };
    expect(
      suggestFix(field, asColumn('x'), { keyword: 'type', message: 'must be object' }),
    ).toBeNull();
  });
});
