import { describe, expect, test } from 'vitest';
import { targetFieldsOf } from './target-fields';

const usersSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'email', 'address'],
  properties: {
    id: { type: 'string', description: 'Your unique id for the user' },
    email: { type: 'string', format: 'email', examples: ['ada@example.com'] },
    full_name: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
    is_active: { type: 'boolean', default: true },
    plan: { type: 'string', enum: ['free', 'starter', 'pro', 'enterprise'] },
    address: {
      type: 'object',
      required: ['city'],
      properties: {
        city: { type: 'string' },
        postal_code: { type: 'string' },
        geo: {
          type: 'object',
          required: ['lat'],
          properties: { lat: { type: 'number' }, lng: { type: 'number' } },
        },
      },
    },
    tags: { type: 'array', items: { type: 'string' } },
    traits: { type: 'object' },
  },
};

describe('targetFieldsOf', () => {
  test('flattens nested objects to dotted paths, required fields first, then in schema order', () => {
    expect(targetFieldsOf(usersSchema).map((field) => [field.path, field.required])).toEqual([
      ['id', true],
      ['email', true],
      ['address.city', true],
      ['full_name', false],
      ['created_at', false],
      ['is_active', false],
      ['plan', false],
      ['address.postal_code', false],
      // lat is required inside geo, but geo itself is optional.
      ['address.geo.lat', false],
      ['address.geo.lng', false],
      ['tags', false],
      ['traits', false],
    ]);
  });

  test('keeps the type, format, description, allowed values and an example of each field', () => {
    const fields = targetFieldsOf(usersSchema);
    expect(fields.find((field) => field.path === 'id')).toEqual({
      path: 'id',
      type: ['string'],
      required: true,
      description: 'Your unique id for the user',
    });
    expect(fields.find((field) => field.path === 'email')).toEqual({
      path: 'email',
      type: ['string'],
      format: 'email',
      required: true,
      example: 'ada@example.com',
    });
    expect(fields.find((field) => field.path === 'full_name')?.type).toEqual(['string', 'null']);
    expect(fields.find((field) => field.path === 'plan')?.enum).toEqual([
      'free',
      'starter',
      'pro',
      'enterprise',
    ]);
  });

  test('treats arrays and objects without properties as single fields', () => {
    const fields = targetFieldsOf(usersSchema);
    expect(fields.find((field) => field.path === 'tags')?.type).toEqual(['array']);
    expect(fields.find((field) => field.path === 'traits')?.type).toEqual(['object']);
    expect(
      targetFieldsOf({
        type: 'object',
        required: ['meta'],
        properties: { meta: { type: 'object', properties: {} } },
      }),
    ).toEqual([{ path: 'meta', type: ['object'], required: true }]);
  });

  test('a field without a type accepts anything', () => {
    expect(targetFieldsOf({ type: 'object', properties: { anything: {}, flag: true } })).toEqual([
      { path: 'anything', type: [], required: false },
      { path: 'flag', type: [], required: false },
    ]);
  });

  test('reads nullable fields written as anyOf, and const as a single allowed value', () => {
    const fields = targetFieldsOf({
      type: 'object',
      properties: {
        nickname: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        kind: { const: 'user' },
        mixed: { anyOf: [{ type: 'string' }, { minimum: 3 }] },
      },
    });
    expect(fields).toEqual([
      { path: 'nickname', type: ['string', 'null'], required: false },
      { path: 'kind', type: [], required: false, enum: ['user'] },
      { path: 'mixed', type: [], required: false },
    ]);
  });

  test('descends into nested objects whose type includes null', () => {
    const fields = targetFieldsOf({
      type: 'object',
      required: ['company'],
      properties: {
        company: {
          type: ['object', 'null'],
          required: ['name'],
          properties: { name: { type: 'string' } },
        },
      },
    });
    expect(fields).toEqual([{ path: 'company.name', type: ['string'], required: true }]);
  });

  test('resolves local $ref to definitions, keeping the description given where it is used', () => {
    const fields = targetFieldsOf({
      type: 'object',
      required: ['billing'],
      definitions: {
        address: {
          type: 'object',
          required: ['city'],
          properties: {
            city: { type: 'string', description: 'City name' },
            zip: { $ref: '#/definitions/zip' },
          },
        },
        zip: { type: 'string', pattern: '^[0-9]{5}$', description: 'Five digits' },
      },
      properties: {
        billing: { $ref: '#/definitions/address' },
        shipping: { $ref: '#/definitions/address' },
        postal: { $ref: '#/definitions/zip', description: 'Where the invoice goes' },
        $defs_style: { $ref: '#/$defs/code' },
        missing: { $ref: '#/definitions/nope' },
        remote: { $ref: 'https://example.com/schema.json' },
      },
      $defs: { code: { type: 'integer' } },
    });
    expect(fields).toEqual([
      { path: 'billing.city', type: ['string'], required: true, description: 'City name' },
      { path: 'billing.zip', type: ['string'], required: false, description: 'Five digits' },
      { path: 'shipping.city', type: ['string'], required: false, description: 'City name' },
      { path: 'shipping.zip', type: ['string'], required: false, description: 'Five digits' },
      { path: 'postal', type: ['string'], required: false, description: 'Where the invoice goes' },
      { path: '$defs_style', type: ['integer'], required: false },
      { path: 'missing', type: [], required: false },
      { path: 'remote', type: [], required: false },
    ]);
  });

  test('stops at recursive definitions instead of looping', () => {
    const fields = targetFieldsOf({
      type: 'object',
      definitions: {
        person: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            manager: { $ref: '#/definitions/person', description: 'Their manager' },
          },
        },
        a: { $ref: '#/definitions/b' },
        b: { $ref: '#/definitions/a' },
      },
      properties: { owner: { $ref: '#/definitions/person' }, loop: { $ref: '#/definitions/a' } },
    });
    expect(fields).toEqual([
      { path: 'owner.name', type: ['string'], required: false },
      { path: 'owner.manager', type: [], required: false, description: 'Their manager' },
      { path: 'loop', type: [], required: false },
    ]);
  });

  test('a root $ref is followed', () => {
    expect(
      targetFieldsOf({
        $ref: '#/definitions/user',
        definitions: {
          user: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
        },
      }),
    ).toEqual([{ path: 'id', type: ['integer'], required: true }]);
  });

  test('skips property names a mapping cannot target', () => {
    expect(
      targetFieldsOf({
        type: 'object',
        properties: {
          'a.b': { type: 'string' },
          'has space': { type: 'string' },
          '': { type: 'string' },
          ok: { type: 'string' },
        },
      }).map((field) => field.path),
    ).toEqual(['ok']);
  });

  test('returns nothing for schemas without properties or that are not objects', () => {
    expect(targetFieldsOf({ type: 'object' })).toEqual([]);
    expect(targetFieldsOf({ type: 'object', properties: [] })).toEqual([]);
    expect(targetFieldsOf(null)).toEqual([]);
    expect(targetFieldsOf('schema')).toEqual([]);
    expect(targetFieldsOf([{ type: 'object' }])).toEqual([]);
  });

  test('ignores malformed required lists and inherited property names', () => {
    const fields = targetFieldsOf({
      type: 'object',
      required: 'id',
      properties: { id: { type: 'string' }, constructor: { type: 'string' } },
    });
    expect(fields).toEqual([
      { path: 'id', type: ['string'], required: false },
      { path: 'constructor', type: ['string'], required: false },
    ]);
  });

  test('stops descending at a very deep nesting', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let depth = 0; depth < 40; depth++) schema = { type: 'object', properties: { n: schema } };
    const [field] = targetFieldsOf(schema);
    expect(field?.path.split('.').length).toBe(17);
    expect(field?.type).toEqual(['object']);
  });
});
