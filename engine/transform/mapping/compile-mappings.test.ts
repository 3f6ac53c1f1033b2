import { describe, expect, test } from 'vitest';
import type { PrequelType, SchemaColumn } from '../../../lib/prequel/contract/source-actions';
import type { Mapping } from '../../../lib/prequel/contract/stream';
import { compileMappings, type ApplyResult, type CompiledTransform } from './compile-mappings';

const now = new Date('2024-06-01T12:34:56.789Z');

const columnTypes: Record<string, PrequelType> = {
  id: 'integer',
  email: 'string',
  first_name: 'string',
  last_name: 'string',
  country: 'string',
  plan: 'string',
  signup_at: 'timestamp',
  is_deleted: 'boolean',
  notes: 'string',
  lifetime_value: 'decimal',
  external_ref: 'integer',
  attributes: 'json',
  opt_in: 'string',
};
const columns: SchemaColumn[] = Object.entries(columnTypes).map(([name, prequel_type], index) => ({
  name,
  prequel_type,
  raw_type: prequel_type,
  ordinal_position: index + 1,
  is_nullable: true,
}));

/** A customers row as the cache hands it over (see typed-value.ts). */
const customer = (overrides: Record<string, unknown> = {}) => ({
  id: 7,
  email: 'zoe@example.com',
  first_name: 'Zoë',
  last_name: 'Åkesson',
  country: 'SE',
  plan: 'pro',
  signup_at: '2026-03-29T00:59:59.999999Z',
  is_deleted: false,
  notes: null,
  lifetime_value: '1234.5600000000',
  external_ref: '9007199254740993',
  attributes: { tier: 'gold', tags: ['a', 'b'] },
  opt_in: 'yes',
  ...overrides,
});

const field = (target_field: string, column = target_field): Mapping => ({
  target_field,
  field_type: 'field',
  column: { name: column },
});
const expression = (target_field: string, expr: string): Mapping => ({
  target_field,
  field_type: 'expression',
  expression: { expr },
});
const object = (
  properties: Record<string, unknown>,
  required: string[] = [],
  extra: Record<string, unknown> = {},
) => ({ type: 'object', properties, required, ...extra });

function compile(
  mappings: Mapping[],
  schema: Record<string, unknown>,
  knownColumns: SchemaColumn[] | null = columns,
): CompiledTransform {
  const compiled = compileMappings(mappings, schema, knownColumns);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return compiled.transform;
}

const apply = (
  transform: CompiledTransform,
  data: Record<string, unknown>,
  isDeleted = false,
): ApplyResult => transform.apply({ recordId: String(data.id), data, isDeleted }, { now });

describe('field mappings', () => {
  test("the quickstart's integer id lands in a string field", () => {
    const transform = compile([field('id')], object({ id: { type: 'string' } }, ['id']));
    expect(apply(transform, customer())).toEqual({ ok: true, record: { id: '7' } });
  });

  test('2^53 + 1 reaches a string field with every digit, and an undeclared field as text', () => {
    const transform = compile(
      [field('ref', 'external_ref'), field('raw', 'external_ref')],
      object({ ref: { type: 'string' }, raw: {} }),
    );
    expect(apply(transform, customer())).toEqual({
      ok: true,
      record: { ref: '9007199254740993', raw: '9007199254740993' },
    });
  });

  test('a value that a number field cannot hold exactly fails that record, with a fix', () => {
    const transform = compile(
      [field('id'), field('ref', 'external_ref'), field('ltv', 'lifetime_value')],
      object({ id: { type: 'integer' }, ref: { type: 'integer' }, ltv: { type: 'number' } }),
    );
    expect(apply(transform, customer({ lifetime_value: '12345678901234567890.123' }))).toEqual({
      ok: false,
      errors: [
        {
          target_field: 'ref',
          stage: 'validate_schema',
          message: expect.stringContaining('would arrive as 9007199254740992'),
          fix: expect.stringContaining('string(external_ref)'),
        },
        {
          target_field: 'ltv',
          stage: 'validate_schema',
          message: expect.stringContaining('12345678901234567890.123 has more digits'),
          fix: expect.stringContaining('string(lifetime_value)'),
        },
      ],
    });
    expect(apply(transform, customer({ external_ref: 42 }))).toEqual({
      ok: true,
      record: { id: 7, ref: 42, ltv: 1234.56 },
    });
  });

  test('timestamps keep their microseconds and satisfy format date-time', () => {
    const transform = compile(
      [field('signed_up', 'signup_at')],
      object({ signed_up: { type: 'string', format: 'date-time' } }, ['signed_up']),
    );
    expect(apply(transform, customer())).toEqual({
      ok: true,
      record: { signed_up: '2026-03-29T00:59:59.999999Z' },
    });
  });

  test('json stays json, booleans stay booleans, unicode text is untouched', () => {
    const transform = compile(
      [field('attributes'), field('deleted', 'is_deleted'), field('name', 'first_name')],
      object({
        attributes: { type: 'object' },
        deleted: { type: 'boolean' },
        name: { type: 'string', maxLength: 3 },
      }),
    );
    expect(apply(transform, customer())).toEqual({
      ok: true,
      record: { attributes: { tier: 'gold', tags: ['a', 'b'] }, deleted: false, name: 'Zoë' },
    });
  });

  test('a column missing from the record is a transform error for that field', () => {
    const transform = compile([field('id'), field('gone')], object({ id: { type: 'integer' } }));
    expect(apply(transform, customer())).toEqual({
      ok: false,
      errors: [
        { target_field: 'gone', stage: 'transform', message: 'the record has no column "gone"' },
      ],
    });
  });

  test('without known column types, values keep their JSON types', () => {
    const transform = compile(
      [field('id'), field('ltv', 'lifetime_value')],
      object({ id: { type: 'string' }, ltv: { type: 'string' } }),
      null,
    );
    expect(apply(transform, customer())).toEqual({
      ok: true,
      record: { id: '7', ltv: '1234.5600000000' },
    });
  });
});

describe('NULL values', () => {
  const schema = object(
    {
      nullable: { type: ['string', 'null'] },
      optional: { type: 'string' },
      untyped: {},
      required_text: { type: 'string' },
    },
    ['required_text'],
  );
  const transform = compile(
    [
      field('nullable', 'notes'),
      field('optional', 'notes'),
      field('untyped', 'notes'),
      field('required_text', 'notes'),
    ],
    schema,
  );

  test('stay null where the schema allows it, are left out of optional fields, fail required ones', () => {
    expect(apply(transform, customer())).toEqual({
      ok: false,
      errors: [
        {
          target_field: 'required_text',
          stage: 'validate_schema',
          message: 'is NULL for this record, but record_schema wants a string',
          fix: 'allow null in record_schema ("type": ["string", "null"]), or map an expression with a default such as notes ?? ""',
        },
      ],
    });
    expect(apply(transform, customer({ notes: 'hi' }))).toEqual({
      ok: true,
      record: { nullable: 'hi', optional: 'hi', untyped: 'hi', required_text: 'hi' },
    });
  });

  test('a schema without required text fields passes with nulls and omissions', () => {
    const lenient = compile(
      [field('nullable', 'notes'), field('optional', 'notes'), field('untyped', 'notes')],
      schema,
    );
    // required_text is required but unmapped: that is a schema error of its own.
    expect(apply(lenient, customer())).toEqual({
      ok: false,
      errors: [
        {
          target_field: 'required_text',
          stage: 'validate_schema',
          message: 'is required by record_schema but nothing is mapped to it',
          fix: 'map a column or an expression to "required_text"',
        },
      ],
    });
    const relaxed = compile(
      [field('nullable', 'notes'), field('optional', 'notes'), field('untyped', 'notes')],
      { ...schema, required: [] },
    );
    expect(apply(relaxed, customer())).toEqual({
      ok: true,
      record: { nullable: null, untyped: null },
    });
  });
});

describe('expression mappings', () => {
  const schema = object({
    full_name: { type: 'string' },
    segment: { type: 'string' },
    signed_up: { type: 'string' },
    day: { type: 'string' },
    next_ref: { type: 'string' },
    double_id: { type: 'integer' },
    year: { type: 'integer' },
    country_name: { type: 'string' },
    ltv: { type: 'number' },
  });

  test('CONCATENATE, IF, TIMESTAMPVALUE, TODAY and exact integer arithmetic', () => {
    const transform = compile(
      [
        expression('full_name', 'CONCATENATE(first_name, " ", last_name)'),
        expression('segment', 'IF(float(lifetime_value) > 1000, "vip", "regular")'),
        expression('signed_up', 'TIMESTAMPVALUE(signup_at)'),
        expression('day', 'TODAY()'),
        expression('next_ref', 'string(external_ref + 1)'),
        expression('double_id', 'id * 2'),
        expression('year', 'date(signup_at).Year()'),
        expression('country_name', 'missing_column ?? PROPER(LEFT(country, 1))'),
        expression('ltv', 'float(lifetime_value)'),
      ],
      schema,
    );
    expect(apply(transform, customer())).toEqual({
      ok: true,
      record: {
        full_name: 'Zoë Åkesson',
        segment: 'vip',
        signed_up: '2026-03-29T00:59:59.999999Z',
        day: '2024-06-01',
        next_ref: '9007199254740994',
        double_id: 14,
        year: 2026,
        country_name: 'S',
        ltv: 1234.56,
      },
    });
  });

  test('results become JSON: big ints as exact text, dates as RFC 3339, durations as Go text, maps and arrays deep', () => {
    const transform = compile(
      [
        expression('big', 'external_ref * 2'),
        expression('at', 'date("2024-01-02 03:04:05")'),
        expression('took', 'duration("1h30m")'),
        expression('nested', '{"refs": [external_ref, id], "when": now()}'),
        expression('nothing', 'nil'),
      ],
      object({ big: {}, at: {}, took: {}, nested: {}, nothing: {} }),
    );
    expect(apply(transform, customer())).toEqual({
      ok: true,
      record: {
        big: '18014398509481986',
        at: '2024-01-02T03:04:05Z',
        took: '1h30m0s',
        nested: { refs: ['9007199254740993', 7], when: '2024-06-01T12:34:56.789Z' },
        nothing: null,
      },
    });
  });

  test('an integer beyond 2^53 is an exact int to every expression that reads it, by name or through $env', () => {
    const transform = compile(
      [
        expression('named', 'external_ref + 1'),
        expression('literal', '$env["external_ref"] + 1'),
        expression('computed', 'let column = "external_ref"; $env[column] + 1'),
      ],
      object({ named: {}, literal: {}, computed: {} }),
    );
    expect(apply(transform, customer())).toEqual({
      ok: true,
      record: {
        named: '9007199254740994',
        literal: '9007199254740994',
        computed: '9007199254740994',
      },
    });
  });

  test('an expression object with a "__proto__" key delivers it as a field', () => {
    const transform = compile(
      [expression('meta', '{"__proto__": {"polluted": true}, "b": 1}')],
      object({ meta: {} }),
    );
    const result = apply(transform, customer());
    expect(result.ok && JSON.stringify(result.record)).toBe(
      '{"meta":{"__proto__":{"polluted":true},"b":1}}',
    );
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  test('an evaluation error fails only that record, naming the field; the next record goes on', () => {
    const transform = compile(
      [field('id', 'id'), expression('code', 'int(plan)')],
      object({ id: { type: 'integer' }, code: { type: 'integer' } }),
    );
    expect(apply(transform, customer())).toEqual({
      ok: false,
      errors: [
        { target_field: 'code', stage: 'transform', message: 'invalid operation: int(pro)' },
      ],
    });
    expect(apply(transform, customer({ plan: '3' }))).toEqual({
      ok: true,
      record: { id: 7, code: 3 },
    });
  });

  test("a record's expressions share one time budget: the one that runs out fails the record, and the rest are skipped", () => {
    const slow = 'len(map(1..1000000, reverse(1..1000000)))';
    const transform = compile(
      [
        field('id', 'id'),
        expression('first', slow),
        expression('second', slow),
        expression('plan', 'upper(plan)'),
      ],
      object({
        id: { type: 'integer' },
        first: { type: 'integer' },
        second: { type: 'integer' },
        plan: { type: 'string' },
      }),
    );
    const started = performance.now();
    const result = transform.apply(
      { recordId: '7', data: customer(), isDeleted: false },
      { now, maxMilliseconds: 50 },
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          target_field: 'first',
          stage: 'transform',
          message: 'expression took too long (more than its time budget of 50 ms)',
          fix: expect.stringContaining('simplify the expression'),
        },
      ],
    });
    // The next record starts with a budget of its own.
    const quick = compile(
      [field('id', 'id'), expression('plan', 'upper(plan)')],
      object({ id: { type: 'integer' }, plan: { type: 'string' } }),
    );
    expect(
      quick.apply(
        { recordId: '7', data: customer(), isDeleted: false },
        { now, maxMilliseconds: 50 },
      ),
    ).toEqual({ ok: true, record: { id: 7, plan: 'PRO' } });
  });

  test('a mapping whose regular expression RE2 rejects does not compile, with the reason', () => {
    const compiled = compileMappings(
      [expression('code', 'plan matches "(?=pro)"')],
      object({ code: { type: 'boolean' } }),
      columns,
    );
    expect(compiled.ok || compiled.errors).toEqual([
      {
        code: 'invalid_expression',
        path: 'stream.mappings.0.expression.expr',
        message:
          'error parsing regexp: invalid or unsupported Perl syntax: `(?=` (line 1, column 14)',
      },
    ]);
  });

  test('NaN is not JSON: a transform error', () => {
    const transform = compile([expression('score', 'float("nan")')], object({}));
    expect(apply(transform, customer())).toEqual({
      ok: false,
      errors: [
        {
          target_field: 'score',
          stage: 'transform',
          message: 'the expression returned NaN, which JSON cannot carry',
        },
      ],
    });
  });

  test('an expression result of the wrong type fails validation with a fix', () => {
    const transform = compile([expression('code', 'plan')], object({ code: { type: 'integer' } }));
    expect(apply(transform, customer())).toEqual({
      ok: false,
      errors: [
        {
          target_field: 'code',
          stage: 'validate_schema',
          message: 'the value is text ("pro"), not a number',
          fix: 'use an expression like int(plan) to read the text as a number',
        },
      ],
    });
  });

  test('a column whose name is not an identifier is named through $env in fixes', () => {
    const transform = compile([field('n', 'first name')], object({ n: { type: 'integer' } }));
    expect(apply(transform, { id: 1, 'first name': 'Ann' })).toMatchObject({
      ok: false,
      errors: [
        { fix: 'use an expression like int($env["first name"]) to read the text as a number' },
      ],
    });
  });
});

describe('nested targets', () => {
  // The reference's example record_schema.
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    required: ['email', 'name', 'timezone'],
    properties: {
      email: { type: 'string', format: 'email' },
      name: { type: 'string' },
      timezone: { type: 'string' },
      preferences: {
        type: 'object',
        required: ['default'],
        properties: {
          default: {
            type: 'object',
            required: ['channel_types', 'workflows'],
            properties: {
              channel_types: {
                type: 'object',
                required: ['email'],
                properties: { email: { type: 'boolean' } },
              },
              workflows: { type: 'object' },
            },
          },
        },
      },
    },
  };
  const mappings = [
    field('email'),
    expression('name', 'CONCATENATE(first_name, " ", last_name)'),
    expression('timezone', '"Europe/Stockholm"'),
    expression('preferences.default.channel_types.email', 'opt_in == "yes"'),
    expression('preferences.default.workflows', '{"welcome": true}'),
  ];

  test('dotted targets build nested objects', () => {
    expect(apply(compile(mappings, schema), customer())).toEqual({
      ok: true,
      record: {
        email: 'zoe@example.com',
        name: 'Zoë Åkesson',
        timezone: 'Europe/Stockholm',
        preferences: { default: { channel_types: { email: true }, workflows: { welcome: true } } },
      },
    });
  });

  test('errors inside nested objects name the dotted path', () => {
    const transform = compile(
      [...mappings.slice(0, 4), field('preferences.default.channel_types.email_text', 'opt_in')],
      schema,
    );
    expect(apply(transform, customer({ email: 'not-an-email' }))).toEqual({
      ok: false,
      errors: [
        {
          target_field: 'email',
          stage: 'validate_schema',
          message: '"not-an-email" is not a valid email',
        },
        {
          target_field: 'preferences.default.workflows',
          stage: 'validate_schema',
          message: 'is required by record_schema but nothing is mapped to it',
          fix: 'map a column or an expression to "preferences.default.workflows"',
        },
      ],
    });
  });

  test('a required object whose mapped fields are all empty is reported at the object', () => {
    const schema = object(
      { id: { type: 'integer' }, address: object({ city: { type: 'string' } }) },
      ['address'],
    );
    const transform = compile([field('id'), field('address.city', 'notes')], schema);
    expect(apply(transform, customer())).toEqual({
      ok: false,
      errors: [
        {
          target_field: 'address',
          stage: 'validate_schema',
          message:
            'is required by record_schema, but no field mapped inside it has a value for this record',
          fix: 'give the fields inside "address" defaults with expressions such as x ?? ""',
        },
      ],
    });
  });

  test('a field outside a closed schema is reported at its path', () => {
    const transform = compile([...mappings, field('nickname', 'first_name')], schema);
    expect(apply(transform, customer())).toEqual({
      ok: false,
      errors: [
        {
          target_field: 'nickname',
          stage: 'validate_schema',
          message: 'is not a field of record_schema, which allows no other fields',
          fix: 'remove its mapping, or add "nickname" to record_schema',
        },
      ],
    });
  });

  test('unicode field names and values', () => {
    const transform = compile(
      [field('név', 'first_name'), field('città.nome', 'last_name')],
      object({ név: { type: 'string' } }),
    );
    expect(apply(transform, customer())).toEqual({
      ok: true,
      record: { név: 'Zoë', città: { nome: 'Åkesson' } },
    });
  });

  test('"__proto__" is an ordinary field name', () => {
    const record = apply(compile([field('__proto__.x', 'id')], object({})), customer());
    expect(record.ok && Object.keys(record.record)).toEqual(['__proto__']);
    expect(({} as { x?: unknown }).x).toBeUndefined();
  });
});

describe('other schema errors', () => {
  test('enum, maximum and minLength name the value', () => {
    const transform = compile(
      [field('plan'), field('id'), field('country')],
      object({
        plan: { enum: ['free', 'team'] },
        id: { type: 'integer', maximum: 5 },
        country: { type: 'string', minLength: 3 },
      }),
    );
    expect(apply(transform, customer())).toEqual({
      ok: false,
      errors: [
        {
          target_field: 'plan',
          stage: 'validate_schema',
          message: '"pro" is not one of "free", "team"',
        },
        { target_field: 'id', stage: 'validate_schema', message: '7 must be <= 5' },
        {
          target_field: 'country',
          stage: 'validate_schema',
          message: '"SE" must NOT have fewer than 3 characters',
        },
      ],
    });
  });
});

describe('deleted records', () => {
  test('carry their mapped fields and _prequel_is_deleted, without validation', () => {
    const transform = compile(
      [field('id'), field('email'), expression('code', 'int(plan)')],
      object({ id: { type: 'string' }, email: { type: 'string', format: 'email' } }, ['id']),
    );
    expect(apply(transform, customer({ email: 'broken' }), true)).toEqual({
      ok: true,
      record: { id: '7', email: 'broken', _prequel_is_deleted: true },
    });
  });
});

describe('compile errors', () => {
  test('a bad expression names the mapping and the position', () => {
    const compiled = compileMappings(
      [field('id'), expression('name', 'first_name +')],
      object({}),
      columns,
    );
    expect(compiled).toEqual({
      ok: false,
      errors: [
        {
          code: 'invalid_expression',
          path: 'stream.mappings.1.expression.expr',
          message: 'unexpected end of expression (line 1, column 13)',
        },
      ],
    });
  });

  test('an unknown function is caught before any record is read', () => {
    const compiled = compileMappings(
      [expression('name', 'SHOUT(first_name)')],
      object({}),
      columns,
    );
    expect(compiled).toMatchObject({
      ok: false,
      errors: [
        { code: 'invalid_expression', message: 'unknown function SHOUT (line 1, column 1)' },
      ],
    });
  });

  test('a target inside another target, and the same target twice', () => {
    const compiled = compileMappings(
      [field('a', 'id'), field('a.b', 'id'), field('c', 'id'), field('c', 'email')],
      object({}),
      columns,
    );
    expect(compiled).toEqual({
      ok: false,
      errors: [
        {
          code: 'target_conflict',
          path: 'stream.mappings.1.target_field',
          message: '"a.b" is inside "a", which mapping 0 sets to a value of its own',
        },
        {
          code: 'duplicate_target_field',
          path: 'stream.mappings.3.target_field',
          message: 'is already mapped by mapping 2',
        },
      ],
    });
  });

  test('a record_schema that is not an object schema', () => {
    expect(compileMappings([field('id')], { type: 'array' }, columns)).toMatchObject({
      ok: false,
      errors: [{ code: 'invalid_record_schema', path: 'destination.record_schema.type' }],
    });
  });
});

describe('the preview schema', () => {
  test('lists every target with its declared type and whether it may be missing', () => {
    const transform = compile(
      [field('id'), field('notes'), field('untyped', 'notes'), field('prefs.email', 'opt_in')],
      object(
        {
          id: { type: 'string' },
          notes: { type: ['string', 'null'] },
          untyped: {},
          prefs: object({ email: { type: 'boolean' } }, ['email']),
        },
        ['id', 'notes'],
      ),
    );
    const column = (name: string, database_type_name: string, nullable: boolean) => ({
      name,
      database_type_name,
      length: null,
      precision: null,
      scale: null,
      nullable,
    });
    expect(transform.schema).toEqual([
      column('id', 'string', false),
      column('notes', 'string', true),
      column('untyped', 'any', true),
      column('prefs.email', 'boolean', false),
    ]);
  });
});

describe('the columns a transform reads', () => {
  test('are the mapped columns and the names its expressions read, so a load can leave the others unread', () => {
    const transform = compile(
      [
        field('id'),
        expression('name', 'first_name + " " + $env["last_name"]'),
        expression('segment', 'let p = plan; p == "pro" ? "a" : "b"'),
      ],
      object({}),
    );
    expect([...transform.columns!].sort()).toEqual(['first_name', 'id', 'last_name', 'plan']);
    // It reads the same from a record holding only those as from the full row.
    const full = customer();
    const only = Object.fromEntries(
      transform.columns!.map((name) => [name, full[name as keyof typeof full]]),
    );
    expect(apply(transform, only)).toEqual(apply(transform, full));
  });

  test('are unknown (every column is read) once an expression may read any', () => {
    expect(
      compile([field('id'), expression('all', 'len(keys($env))')], object({})).columns,
    ).toBeNull();
  });
});
