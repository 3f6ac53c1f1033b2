import { describe, expect, test } from 'vitest';
// Tests only: the engine's interpreter checks that every expression we suggest runs and yields the right type.
import { compileExpression } from '@/engine/transform/expr/compile-expression';
import {
  expressionEnv,
  integerColumnsOf,
  toJsonValue,
} from '@/engine/transform/mapping/expression-value';
import {
  columnRef,
  convertColumn,
  joinNamesExpression,
  type ColumnValues,
} from './column-conversion';
import type { TargetField } from './target-fields';

const now = new Date('2024-06-01T12:00:00Z');

/** Runs the expression on every sample the way the engine does, returning the JSON values it delivers. */
function evaluateOnSamples(expr: string, column: ColumnValues): unknown[] {
  const compiled = compileExpression(expr);
  if (!compiled.ok) throw new Error(`${expr} does not parse: ${compiled.error.message}`);
  return column.samples.map((sample) => {
    const env = expressionEnv({ [column.name]: sample }, integerColumnsOf([column]));
    const result = compiled.expression.evaluate(env, { now });
    if (!result.ok)
      throw new Error(`${expr} fails on ${JSON.stringify(sample)}: ${result.error.message}`);
    const json = toJsonValue(result.value);
    if (!json.ok) throw new Error(`${expr} on ${JSON.stringify(sample)}: ${json.message}`);
    return json.value;
  });
}

function jsonTypeMatches(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    default:
      return true;
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const columns: ColumnValues[] = [
  { name: 'id', prequel_type: 'integer', samples: [1, 2, 9007199254740991] },
  {
    name: 'external_ref',
    prequel_type: 'integer',
    samples: ['9007199254740993', null, '9007199254740995'],
  },
  {
    name: 'lifetime_value',
    prequel_type: 'decimal',
    samples: ['1520.5000000000', '-12.0000000000', null, '9007199254740993123.1234567890'],
  },
  { name: 'amount', prequel_type: 'decimal', samples: ['12.00', '199.00', '0.00'] },
  { name: 'score', prequel_type: 'float', samples: [12.5, 0.25, -3] },
  { name: 'rating', prequel_type: 'float', samples: [4, 5, null] },
  {
    name: 'signup_at',
    prequel_type: 'timestamp',
    samples: ['2023-01-04T09:15:22.123456Z', null, '2024-03-10T02:30:00+05:30'],
  },
  { name: 'birthday', prequel_type: 'date', samples: ['1990-05-17', null, '2000-02-29'] },
  { name: 'start_time', prequel_type: 'time', samples: ['10:00:00', '23:59:59.5'] },
  { name: 'is_deleted', prequel_type: 'boolean', samples: [true, false, false] },
  { name: 'opted_in', prequel_type: 'boolean', samples: [true, null] },
  { name: 'flag', prequel_type: 'integer', samples: [0, 1, 1] },
  { name: 'Active', prequel_type: 'string', samples: ['Y', 'n', 'yes', 'F', 'true', '1'] },
  { name: 'age', prequel_type: 'string', samples: ['34', '7', null, '-1'] },
  { name: 'price_text', prequel_type: 'string', samples: ['12.5', '-3', '1e3', '.5'] },
  {
    name: 'signup_text',
    prequel_type: 'string',
    samples: [
      '2024-01-05 10:00:00',
      '2024-01-05T10:00',
      '2024-01-05',
      '2024-01-05 10:00:00.123456+02',
    ],
  },
  {
    name: 'iso_text',
    prequel_type: 'string',
    samples: ['2024-01-05T10:00:00Z', '2024-01-05T10:00:00.5+01:00'],
  },
  { name: 'day_text', prequel_type: 'string', samples: ['2024-01-05', null] },
  { name: 'json_text', prequel_type: 'string', samples: ['{"a":1}', ' {"b":[true]}'] },
  {
    name: 'attributes',
    prequel_type: 'json',
    samples: [{ tier: 'gold', tags: ['vip', '🚀'] }, {}, null],
  },
  {
    name: 'items',
    prequel_type: 'json',
    samples: [[{ sku: 'SKU-00001', qty: 2, unit_price: 12.5 }], []],
  },
  { name: 'tags', prequel_type: 'array', samples: [['vip'], [], null] },
  {
    name: 'notes',
    prequel_type: 'string',
    samples: ['VIP customer', 'Called twice.\nPrefers e-mail.', null, ''],
  },
  { name: 'uid', prequel_type: 'uuid', samples: ['3f2b1c9e-8a4d-4c1e-9f3a-2b7c6d5e4f10'] },
  { name: 'plan', prequel_type: 'string', samples: ['PRO', 'FREE', null] },
  { name: 'plan_padded', prequel_type: 'string', samples: [' pro', 'Free '] },
  { name: 'status', prequel_type: 'string', samples: ['paid', 'shipped'] },
  { name: 'blob', prequel_type: 'bytes', samples: ['\\x00ff'] },
  { name: 'fresh', prequel_type: 'integer', samples: [] },
  { name: 'First Name', prequel_type: 'string', samples: ['Ada', null] },
  { name: 'type', prequel_type: 'string', samples: ['page_view', 'click'] },
  { name: 'in', prequel_type: 'integer', samples: [3, null] },
];

const field = (type: string[], extra: Partial<TargetField> = {}): TargetField => ({
  path: 'target',
  type,
  required: false,
  ...extra,
});

const targets: TargetField[] = [
  field(['string']),
  field(['string', 'null']),
  field(['string'], { format: 'date-time' }),
  field(['string'], { format: 'date' }),
  field(['string'], { enum: ['free', 'starter', 'pro', 'enterprise'] }),
  field(['integer']),
  field(['integer', 'null']),
  field(['number']),
  field(['boolean']),
  field(['object']),
  field(['array']),
  field(['string', 'integer']),
  field([]),
];

describe('convertColumn', () => {
  const cases = targets.flatMap((target) =>
    columns.map(
      (column) =>
        [
          `${column.name} (${column.prequel_type}) → ${target.type.join('|') || 'any'}${target.format ? ` ${target.format}` : ''}${target.enum ? ' enum' : ''}`,
          target,
          column,
        ] as const,
    ),
  );

  test.each(cases)(
    '%s: what it suggests runs on the samples and yields the field type',
    (_title, target, column) => {
      const converted = convertColumn(target, column);
      if (!converted) return;
      const wanted = target.type.filter((type) => type !== 'null');
      const values =
        converted.expr === null ? column.samples : evaluateOnSamples(converted.expr, column);
      // A mapping we know some values will not fit says so to the customer instead.
      if (converted.phrase.includes('too large for a JSON number')) return;
      values.forEach((value, index) => {
        if (column.samples[index] === null) {
          expect(value, 'a NULL stays NULL').toBeNull();
          return;
        }
        if (wanted.length)
          expect(
            wanted.some((type) => jsonTypeMatches(value, type)),
            `${JSON.stringify(value)} is ${wanted.join('|')}`,
          ).toBe(true);
        if (target.format === 'date-time' && converted.fit !== 'uncertain')
          expect(value).toMatch(RFC3339);
        if (target.format === 'date') expect(value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        if (target.enum && converted.bonus >= 0) expect(target.enum).toContain(value);
      });
    },
  );

  const conversions: [string, TargetField, string, string | null][] = [
    ['integers sent as text', field(['string']), 'id', 'string(id)'],
    [
      'nullable integers sent as text, NULL kept',
      field(['string']),
      'external_ref',
      'IF(external_ref == nil, nil, string(external_ref))',
    ],
    ['decimals sent as their exact text', field(['string']), 'lifetime_value', null],
    ['booleans sent as text', field(['string']), 'is_deleted', 'string(is_deleted)'],
    [
      'JSON sent as JSON text',
      field(['string']),
      'attributes',
      'IF(attributes == nil, nil, toJSON(attributes))',
    ],
    ['timestamps sent as they are', field(['string'], { format: 'date-time' }), 'signup_at', null],
    [
      'dates turned into timestamps',
      field(['string'], { format: 'date-time' }),
      'birthday',
      'TIMESTAMPVALUE(birthday)',
    ],
    [
      'text timestamps rewritten as ISO 8601',
      field(['string'], { format: 'date-time' }),
      'signup_text',
      'TIMESTAMPVALUE(signup_text)',
    ],
    ['ISO text kept', field(['string'], { format: 'date-time' }), 'iso_text', null],
    [
      'the date part of a timestamp',
      field(['string'], { format: 'date' }),
      'signup_at',
      'LEFT(TIMESTAMPVALUE(signup_at), 10)',
    ],
    ['digits read as whole numbers', field(['integer']), 'age', 'IF(age == nil, nil, int(age))'],
    ['whole decimals read as whole numbers', field(['integer']), 'amount', 'int(float(amount))'],
    [
      'whole floats read as whole numbers',
      field(['integer']),
      'rating',
      'IF(rating == nil, nil, int(rating))',
    ],
    [
      'timestamps as Unix seconds',
      field(['integer']),
      'signup_at',
      'IF(signup_at == nil, nil, date(signup_at).Unix())',
    ],
    [
      'decimals read as numbers',
      field(['number']),
      'lifetime_value',
      'IF(lifetime_value == nil, nil, float(lifetime_value))',
    ],
    ['numeric text read as numbers', field(['number']), 'price_text', 'float(price_text)'],
    [
      'yes/no text read as booleans',
      field(['boolean']),
      'Active',
      'lower(Active) in ["t", "true", "yes", "y", "1"]',
    ],
    ['0/1 read as booleans', field(['boolean']), 'flag', 'flag != 0'],
    ['JSON text read as an object', field(['object']), 'json_text', 'fromJSON(json_text)'],
    [
      'upper-case values lower-cased for the allowed list',
      field(['string'], { enum: ['free', 'pro'] }),
      'plan',
      'IF(plan == nil, nil, lower(plan))',
    ],
    [
      'padded values trimmed and lower-cased',
      field(['string'], { enum: ['free', 'pro'] }),
      'plan_padded',
      'lower(trim(plan_padded))',
    ],
    [
      'a column named like an operator is spelled through $env',
      field(['string']),
      'in',
      'IF($env["in"] == nil, nil, string($env["in"]))',
    ],
    [
      'no samples yet: NULL assumed possible',
      field(['string']),
      'fresh',
      'IF(fresh == nil, nil, string(fresh))',
    ],
  ];

  test.each(conversions)('%s', (_title, target, name, expr) => {
    const column = columns.find((candidate) => candidate.name === name);
    expect(column).toBeDefined();
    expect(convertColumn(target, column as ColumnValues)?.expr).toBe(expr);
  });

  test('refuses conversions the samples say would fail or lose data', () => {
    const byName = (name: string) => columns.find((column) => column.name === name) as ColumnValues;
    expect(convertColumn(field(['integer']), byName('lifetime_value'))).toBeNull();
    expect(convertColumn(field(['integer']), byName('score'))).toBeNull();
    expect(convertColumn(field(['integer']), byName('notes'))).toBeNull();
    expect(convertColumn(field(['boolean']), byName('notes'))).toBeNull();
    expect(convertColumn(field(['string'], { format: 'date-time' }), byName('notes'))).toBeNull();
    expect(convertColumn(field(['number']), byName('signup_at'))).toBeNull();
    expect(convertColumn(field(['object']), byName('items'))).toBeNull();
    expect(convertColumn(field(['array']), byName('attributes'))).toBeNull();
  });

  test('integers beyond 2^53 fit an integer field only uncertainly', () => {
    expect(convertColumn(field(['integer']), columns[1] as ColumnValues)).toMatchObject({
      expr: null,
      fit: 'uncertain',
    });
  });

  test('values outside the allowed list lower the fit', () => {
    const converted = convertColumn(field(['string'], { enum: ['free', 'pro'] }), {
      name: 'status',
      prequel_type: 'string',
      samples: ['paid'],
    });
    expect(converted).toMatchObject({
      expr: null,
      bonus: -0.3,
      phrase: 'but some values are not in the allowed list',
    });
  });

  test('with several declared types, the one the column already has wins', () => {
    expect(convertColumn(field(['string', 'integer']), columns[0] as ColumnValues)).toMatchObject({
      expr: null,
      fit: 'native',
    });
  });
});

describe('joinNamesExpression', () => {
  test('joins first and last names, and a missing part leaves no stray space', () => {
    const expr = joinNamesExpression('First Name', 'last_name');
    expect(expr).toBe('trim(CONCATENATE($env["First Name"], " ", last_name))');
    const compiled = compileExpression(expr);
    if (!compiled.ok) throw new Error(compiled.error.message);
    expect(compiled.expression.evaluate({ 'First Name': 'Ada', last_name: 'Lovelace' })).toEqual({
      ok: true,
      value: 'Ada Lovelace',
    });
    expect(compiled.expression.evaluate({ 'First Name': 'Ada', last_name: null })).toEqual({
      ok: true,
      value: 'Ada',
    });
    expect(compiled.expression.evaluate({ 'First Name': null, last_name: 'Nguyễn' })).toEqual({
      ok: true,
      value: 'Nguyễn',
    });
  });
});

describe('columnRef', () => {
  test('spells identifiers bare and anything else through $env', () => {
    expect(columnRef('email')).toBe('email');
    expect(columnRef('type')).toBe('type');
    expect(columnRef('First Name')).toBe('$env["First Name"]');
    expect(columnRef('order-id')).toBe('$env["order-id"]');
    expect(columnRef('2fa')).toBe('$env["2fa"]');
    expect(columnRef('nil')).toBe('$env["nil"]');
    expect(columnRef('say "hi"')).toBe('$env["say \\"hi\\""]');
  });

  test.each(['type', 'in', 'nil', 'First Name', 'say "hi"', 'len', 'date', 'now'])(
    'the engine reads column %j through its reference',
    (name) => {
      const compiled = compileExpression(columnRef(name));
      if (!compiled.ok) throw new Error(compiled.error.message);
      expect(compiled.expression.evaluate({ [name]: 'value' })).toEqual({
        ok: true,
        value: 'value',
      });
    },
  );
});
