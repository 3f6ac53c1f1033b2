import { describe, expect, test } from 'vitest';
// Tests only: the engine's mapping core delivers every suggestion on the sample rows and validates the result.
import { compileExpression } from '@/engine/transform/expr/compile-expression';
import { compileMappings } from '@/engine/transform/mapping/compile-mappings';
import type { SchemaColumn } from '@/lib/prequel/contract/source-actions';
import type { Mapping } from '@/lib/prequel/contract/stream';
import {
  mappingProgress,
  suggestMappings,
  type ColumnInfo,
  type Suggestion,
} from './suggest-mappings';
import { targetFieldsOf, type TargetField } from './target-fields';

type Row = Record<string, unknown>;

/** Columns with their samples taken from the rows, the way the map step builds them from cached records. */
function columnsOf(
  types: Record<string, ColumnInfo['prequel_type']>,
  rows: readonly Row[],
): ColumnInfo[] {
  return Object.entries(types).map(([name, prequel_type]) => ({
    name,
    prequel_type,
    samples: rows.map((row) => row[name]).filter((value) => value !== undefined),
  }));
}

/**
 * Transforms and validates every row with the suggested mappings, as a load would, and returns the errors
 * that concern a suggested field (unmapped required fields are the customer's next step, not a bad suggestion).
 */
function deliveryErrors(
  schema: Record<string, unknown>,
  columns: readonly ColumnInfo[],
  rows: readonly Row[],
  suggestions: readonly Suggestion[],
): string[] {
  const schemaColumns: SchemaColumn[] = columns.map((column, index) => ({
    name: column.name,
    raw_type: column.prequel_type,
    prequel_type: column.prequel_type,
    ordinal_position: index + 1,
    is_nullable: true,
  }));
  const compiled = compileMappings(
    suggestions.map((suggestion) => suggestion.mapping),
    schema,
    schemaColumns,
  );
  if (!compiled.ok) return compiled.errors.map((error) => `${error.path}: ${error.message}`);
  const suggested = new Set(suggestions.map((suggestion) => suggestion.target));
  return rows.flatMap((row, index) => {
    const result = compiled.transform.apply(
      { recordId: String(index), data: row, isDeleted: false },
      { now: new Date('2024-06-01T12:00:00Z') },
    );
    if (result.ok) return [];
    return result.errors
      .filter((error) => error.target_field === undefined || suggested.has(error.target_field))
      .map((error) => `row ${index} ${error.target_field}: ${error.message}`);
  });
}

function expressionsParse(suggestions: readonly Suggestion[]): void {
  for (const { mapping } of suggestions) {
    if (mapping.field_type === 'expression')
      expect(compileExpression(mapping.expression.expr).ok, mapping.expression.expr).toBe(true);
  }
}

const bySuggestion = (suggestions: readonly Suggestion[]) =>
  Object.fromEntries(suggestions.map((suggestion) => [suggestion.target, suggestion]));
const source = (mapping: Mapping | undefined) =>
  mapping === undefined
    ? undefined
    : mapping.field_type === 'field'
      ? mapping.column.name
      : mapping.expression.expr;

// The sample database's customers table, as cached records carry it.
const customerTypes = {
  id: 'integer',
  email: 'string',
  full_name: 'string',
  country: 'string',
  plan: 'string',
  signup_at: 'timestamp',
  updated_at: 'timestamp',
  is_deleted: 'boolean',
  notes: 'string',
  lifetime_value: 'decimal',
  external_ref: 'integer',
  attributes: 'json',
} as const;

const customerRows: Row[] = [
  {
    id: 1,
    email: 'emma.smith1@gmail.com',
    full_name: 'Emma Smith',
    country: 'US',
    plan: 'free',
    signup_at: '2023-01-04T09:15:22.123456Z',
    updated_at: '2024-05-01T10:00:00.5Z',
    is_deleted: false,
    notes: null,
    lifetime_value: '1520.5000000000',
    external_ref: '9007199254740993',
    attributes: {
      tier: 'gold',
      tags: ['vip', '🚀'],
      prefs: { newsletter: true, locale: 'en-US', theme: null },
    },
  },
  {
    id: 2,
    email: 'WANG.FANG2@YAHOO.CO.JP',
    full_name: '王芳',
    country: 'CN',
    plan: 'pro',
    signup_at: '2023-02-11T17:40:00Z',
    updated_at: '2024-05-02T08:00:00.000001Z',
    is_deleted: false,
    notes: 'Called twice.\nPrefers e-mail.',
    lifetime_value: '-12.0000000000',
    external_ref: '9007199254740995',
    attributes: {},
  },
  {
    id: 3,
    email: 'Jose.Garcia3@Outlook.com',
    full_name: ' José García  ',
    country: null,
    plan: 'starter',
    signup_at: null,
    updated_at: '2024-05-03T23:59:59.999999Z',
    is_deleted: true,
    notes: '',
    lifetime_value: null,
    external_ref: null,
    attributes: null,
  },
  {
    id: 4,
    email: 'mohamed.ali4+shop@proton.me',
    full_name: 'محمد علي',
    country: 'SA',
    plan: 'enterprise',
    signup_at: '2023-03-01T00:00:00Z',
    updated_at: '2024-05-04T12:00:00Z',
    is_deleted: false,
    notes: 'ملاحظة: العميل يفضل الهاتف',
    lifetime_value: '9007199254740993123.1234567890',
    external_ref: '9007199254740997',
    attributes: { score: 12.5 },
  },
  {
    id: 5,
    email: 'ana.lima5@web.de',
    full_name: 'Ana 🌸 Lima',
    country: 'BR',
    plan: 'free',
    signup_at: '2023-04-15T06:30:00.25Z',
    updated_at: '2024-05-05T12:00:00Z',
    is_deleted: false,
    notes: null,
    lifetime_value: '0.0000000001',
    external_ref: '9007199254740999',
    attributes: { tags: [] },
  },
  {
    id: 6,
    email: 'kim.minjun6@mail.ru',
    full_name: null,
    country: 'KR',
    plan: 'free',
    signup_at: '2023-05-20T19:05:00Z',
    updated_at: '2024-05-06T12:00:00Z',
    is_deleted: false,
    notes: null,
    lifetime_value: '42.0000000000',
    external_ref: '9007199254741001',
    attributes: { tier: null },
  },
];

const usersSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'email'],
  properties: {
    id: { type: 'string', description: 'Your unique id for the user' },
    email: { type: 'string', format: 'email' },
    full_name: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    is_active: { type: 'boolean' },
    plan: { type: 'string', enum: ['free', 'starter', 'pro', 'enterprise'] },
    lifetime_value: { type: 'number' },
    external_id: { type: 'string' },
    traits: { type: 'object' },
    address: {
      type: 'object',
      properties: { city: { type: 'string' }, country: { type: 'string', pattern: '^[A-Z]{2}$' } },
    },
  },
};

const orderTypes = {
  id: 'integer',
  customer_id: 'integer',
  created_at: 'timestamp',
  amount: 'decimal',
  currency: 'string',
  items: 'json',
  status: 'string',
} as const;
const orderRows: Row[] = [
  {
    id: 1001,
    customer_id: 1,
    created_at: '2024-01-02T03:04:05.678901Z',
    amount: '25.98',
    currency: 'USD',
    items: [{ sku: 'SKU-00042', name: 'Café crème 250g', qty: 2, unit_price: 12.99 }],
    status: 'paid',
  },
  {
    id: 1002,
    customer_id: 4,
    created_at: '2024-01-02T03:04:06Z',
    amount: '1000.00',
    currency: 'JPY',
    items: [{ sku: 'SKU-10000', name: 'Gift card 🎁', qty: 1, unit_price: 1000, discount: null }],
    status: 'refunded',
  },
  {
    id: 1003,
    customer_id: 2,
    created_at: '2024-01-03T00:00:00Z',
    amount: '0.99',
    currency: 'EUR',
    items: [],
    status: 'shipped',
  },
];
const ordersSchema = {
  type: 'object',
  required: ['order_id', 'customer_id', 'amount', 'currency', 'ordered_at'],
  properties: {
    order_id: { type: 'integer' },
    customer_id: { type: 'string' },
    amount: { type: 'number', description: 'Order total in the currency' },
    currency: { type: 'string', enum: ['USD', 'EUR', 'GBP', 'JPY', 'BRL', 'INR', 'CAD'] },
    ordered_at: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: ['paid', 'shipped', 'pending', 'refunded', 'cancelled'] },
    line_items: { type: 'array', items: { type: 'object' } },
  },
};

const eventTypes = {
  id: 'integer',
  customer_id: 'integer',
  occurred_at: 'timestamp',
  type: 'string',
  payload: 'json',
} as const;
const eventRows: Row[] = [
  {
    id: 1,
    customer_id: 3,
    occurred_at: '2024-02-01T10:00:00.000123Z',
    type: 'page_view',
    payload: { path: '/blog/2026/naïve-café', referrer: null, ms: 120 },
  },
  {
    id: 2,
    customer_id: 3,
    occurred_at: '2024-02-01T10:00:05Z',
    type: 'search',
    payload: { query: '東京 hotel', results: 12, filters: { in_stock: true, brand: null } },
  },
  {
    id: 3,
    customer_id: 9,
    occurred_at: '2024-02-01T10:01:00Z',
    type: 'checkout',
    payload: { total: 99.5, currency: 'EUR', steps: [1, 2, 3] },
  },
];
// A Segment-style track call.
const trackSchema = {
  type: 'object',
  required: ['event', 'user_id', 'timestamp'],
  properties: {
    message_id: { type: 'string' },
    event: { type: 'string' },
    user_id: { type: 'string' },
    timestamp: { type: 'string', format: 'date-time' },
    properties: { type: 'object' },
  },
};

// A legacy CRM export: every column is text, with its own spelling of names, dates and flags.
const crmTypes = {
  CustomerID: 'string',
  Email_Address: 'string',
  FirstName: 'string',
  LastName: 'string',
  Active: 'string',
  SignupDate: 'string',
  Phone: 'string',
  ZIP: 'string',
  Score: 'string',
  PLAN: 'string',
  Age: 'string',
} as const;
const crmRows: Row[] = [
  {
    CustomerID: '42',
    Email_Address: 'Ada.Lovelace@Example.org',
    FirstName: 'Ada',
    LastName: 'Lovelace',
    Active: 'Y',
    SignupDate: '2024-01-05 10:00:00',
    Phone: '+44 20 7946 0958',
    ZIP: 'EC1A 1BB',
    Score: '12.5',
    PLAN: 'PRO',
    Age: '36',
  },
  {
    CustomerID: '7',
    Email_Address: 'grace@navy.mil',
    FirstName: 'Grace',
    LastName: null,
    Active: 'n',
    SignupDate: '2024-01-06',
    Phone: '+1 555-010-0101',
    ZIP: '94107',
    Score: '-3',
    PLAN: 'FREE',
    Age: null,
  },
  {
    CustomerID: '1001',
    Email_Address: 'linus@kernel.org',
    FirstName: null,
    LastName: 'Torvalds',
    Active: 'yes',
    SignupDate: '2024-01-07T08:30',
    Phone: '(030) 1234567',
    ZIP: '00100',
    Score: '1e3',
    PLAN: 'Free',
    Age: '54',
  },
];
const contactsSchema = {
  type: 'object',
  required: ['email', 'name'],
  properties: {
    customer_id: { type: 'integer' },
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    is_active: { type: 'boolean' },
    created_at: { type: 'string', format: 'date-time' },
    phone: { type: 'string' },
    postal_code: { type: 'string' },
    score: { type: 'number' },
    plan: { type: 'string', enum: ['free', 'pro'] },
    age: { type: 'integer' },
    timezone: { type: 'string' },
  },
};

describe('suggestMappings on the sample database', () => {
  test('customers → a users schema: names, synonyms, types and samples', () => {
    const columns = columnsOf(customerTypes, customerRows);
    const suggestions = suggestMappings(targetFieldsOf(usersSchema), columns);
    const byTarget = bySuggestion(suggestions);
    expect(
      suggestions.map((suggestion) => [
        suggestion.target,
        source(suggestion.mapping),
        suggestion.confidence,
      ]),
    ).toEqual([
      ['id', 'string(id)', 'high'],
      ['email', 'email', 'high'],
      ['full_name', 'full_name', 'high'],
      ['created_at', 'signup_at', 'high'],
      ['updated_at', 'updated_at', 'high'],
      ['plan', 'plan', 'high'],
      ['lifetime_value', 'IF(lifetime_value == nil, nil, float(lifetime_value))', 'high'],
      ['external_id', 'IF(external_ref == nil, nil, string(external_ref))', 'medium'],
      ['traits', 'attributes', 'medium'],
      ['address.country', 'country', 'high'],
    ]);
    expect(byTarget.email?.reason).toBe('Same name, both text; samples look like email addresses');
    expect(byTarget.full_name?.reason).toBe('Same name, both text');
    expect(byTarget.created_at?.reason).toBe(
      'Similar name (signup_at ≈ created_at), both timestamps',
    );
    expect(byTarget.plan?.reason).toBe('Same name, values match the allowed list');
    expect(byTarget.id?.reason).toBe('Same name, numbers sent as text');
    expect(byTarget['address.country']?.reason).toBe(
      'Similar name (country ≈ address.country), both text; samples look like country codes',
    );
    // Nothing in customers says whether a user is active or where they live.
    expect(byTarget.is_active).toBeUndefined();
    expect(byTarget['address.city']).toBeUndefined();
    expressionsParse(suggestions);
    expect(deliveryErrors(usersSchema, columns, customerRows, suggestions)).toEqual([]);
  });

  test('orders → an orders schema: decimals as numbers, the table id as order_id, JSON lists', () => {
    const columns = columnsOf(orderTypes, orderRows);
    const suggestions = suggestMappings(targetFieldsOf(ordersSchema), columns);
    expect(
      suggestions.map((suggestion) => [
        suggestion.target,
        source(suggestion.mapping),
        suggestion.confidence,
      ]),
    ).toEqual([
      ['order_id', 'id', 'low'],
      ['customer_id', 'string(customer_id)', 'high'],
      ['amount', 'float(amount)', 'high'],
      ['currency', 'currency', 'high'],
      ['ordered_at', 'created_at', 'high'],
      ['status', 'status', 'high'],
      ['line_items', 'items', 'medium'],
    ]);
    expect(bySuggestion(suggestions).currency?.reason).toBe(
      'Same name, values match the allowed list; samples look like currency codes',
    );
    expect(bySuggestion(suggestions).order_id?.reason).toBe(
      'Similar name (id ≈ order_id), both whole numbers',
    );
    expressionsParse(suggestions);
    expect(deliveryErrors(ordersSchema, columns, orderRows, suggestions)).toEqual([]);
  });

  test('events → a track call: type as event, customer_id as user_id, payload as properties', () => {
    const columns = columnsOf(eventTypes, eventRows);
    const suggestions = suggestMappings(targetFieldsOf(trackSchema), columns);
    expect(
      suggestions.map((suggestion) => [suggestion.target, source(suggestion.mapping)]),
    ).toEqual([
      ['event', 'type'],
      ['user_id', 'string(customer_id)'],
      ['timestamp', 'occurred_at'],
      ['message_id', 'string(id)'],
      ['properties', 'payload'],
    ]);
    expressionsParse(suggestions);
    expect(deliveryErrors(trackSchema, columns, eventRows, suggestions)).toEqual([]);
  });

  test('a text-only CRM export: conversions by sample values and a name built from two columns', () => {
    const columns = columnsOf(crmTypes, crmRows);
    const suggestions = suggestMappings(targetFieldsOf(contactsSchema), columns);
    const byTarget = bySuggestion(suggestions);
    expect(
      suggestions.map((suggestion) => [suggestion.target, source(suggestion.mapping)]),
    ).toEqual([
      ['email', 'Email_Address'],
      ['name', 'trim(CONCATENATE(FirstName, " ", LastName))'],
      ['customer_id', 'int(CustomerID)'],
      ['is_active', 'lower(Active) in ["t", "true", "yes", "y", "1"]'],
      ['created_at', 'TIMESTAMPVALUE(SignupDate)'],
      ['phone', 'Phone'],
      ['postal_code', 'ZIP'],
      ['score', 'float(Score)'],
      ['plan', 'lower(PLAN)'],
      ['age', 'IF(Age == nil, nil, int(Age))'],
    ]);
    expect(byTarget.email).toMatchObject({
      confidence: 'high',
      reason: 'Similar name (Email_Address ≈ email), both text; samples look like email addresses',
    });
    expect(byTarget.name).toMatchObject({
      confidence: 'medium',
      reason: 'Built from FirstName and LastName',
    });
    expect(byTarget.is_active?.reason).toBe(
      'Similar name (Active ≈ is_active), yes/no text read as true/false',
    );
    expect(byTarget.plan?.reason).toBe('Same name, values lower-cased to match the allowed list');
    expect(byTarget.phone?.reason).toBe('Same name, both text; samples look like phone numbers');
    expect(byTarget.timezone).toBeUndefined();
    expressionsParse(suggestions);
    expect(deliveryErrors(contactsSchema, columns, crmRows, suggestions)).toEqual([]);
  });

  test('before the first import has cached records, suggestions go by name and type, and conversions keep NULLs', () => {
    const columns = columnsOf(customerTypes, []);
    const byTarget = bySuggestion(suggestMappings(targetFieldsOf(usersSchema), columns));
    expect(source(byTarget.id?.mapping)).toBe('IF(id == nil, nil, string(id))');
    expect(source(byTarget.email?.mapping)).toBe('email');
    expect(byTarget.email?.reason).toBe('Same name, both text');
    expect(source(byTarget.plan?.mapping)).toBe('plan');
    expect(source(byTarget.created_at?.mapping)).toBe('signup_at');
  });
});

const field = (path: string, type: string[], extra: Partial<TargetField> = {}): TargetField => ({
  path,
  type,
  required: false,
  ...extra,
});
const column = (
  name: string,
  prequel_type: ColumnInfo['prequel_type'],
  samples: unknown[] = [],
): ColumnInfo => ({ name, prequel_type, samples });

describe('suggestMappings with the dataset’s key column', () => {
  test('an integer key fills a text id as a plain field mapping, which the pipeline sends as text', () => {
    const columns = columnsOf(customerTypes, customerRows);
    const byTarget = bySuggestion(
      suggestMappings(targetFieldsOf(usersSchema), columns, { keyColumn: 'id' }),
    );
    expect(byTarget.id).toEqual({
      target: 'id',
      mapping: { target_field: 'id', field_type: 'field', column: { name: 'id' } },
      reason: 'The key column of your data (id), numbers sent as text',
      confidence: 'high',
    });
    const suggestions = Object.values(byTarget);
    expect(deliveryErrors(usersSchema, columns, customerRows, suggestions)).toEqual([]);
  });

  test('the key fills id whatever it is called, and is not offered to another field too', () => {
    const rows = customerRows.map(({ id, ...rest }) => ({ ...rest, customer_no: id }));
    const { id: _id, ...types } = customerTypes;
    const columns = columnsOf({ ...types, customer_no: 'integer' }, rows);
    const suggestions = suggestMappings(targetFieldsOf(usersSchema), columns, {
      keyColumn: 'customer_no',
    });
    expect(bySuggestion(suggestions).id?.mapping).toEqual({
      target_field: 'id',
      field_type: 'field',
      column: { name: 'customer_no' },
    });
    expect(
      suggestions.filter((suggestion) => source(suggestion.mapping) === 'customer_no'),
    ).toHaveLength(1);
    expect(deliveryErrors(usersSchema, columns, rows, suggestions)).toEqual([]);
  });

  test('a text key stays as it is', () => {
    const columns = columnsOf(crmTypes, crmRows);
    const fields = [field('id', ['string'], { required: true })];
    expect(suggestMappings(fields, columns, { keyColumn: 'CustomerID' })[0]).toMatchObject({
      mapping: { field_type: 'field', column: { name: 'CustomerID' } },
      reason: 'The key column of your data (CustomerID), both text',
    });
  });

  test('a key that does not fit the id field, or that is not a column, leaves the usual suggestion', () => {
    const fields = [field('id', ['integer'], { required: true })];
    const columns = [column('id', 'integer', [1, 2]), column('ref', 'json', [{ a: 1 }])];
    expect(source(suggestMappings(fields, columns, { keyColumn: 'ref' })[0]?.mapping)).toBe('id');
    expect(source(suggestMappings(fields, columns, { keyColumn: 'gone' })[0]?.mapping)).toBe('id');
  });
});

describe('suggestMappings choices', () => {
  test('nothing to suggest without columns or without fields', () => {
    expect(suggestMappings([], [column('email', 'string')])).toEqual([]);
    expect(suggestMappings([field('email', ['string'])], [])).toEqual([]);
  });

  test('never suggests the pipeline’s own _prequel_ columns', () => {
    const suggestions = suggestMappings(
      [
        field('_prequel_record_id', ['string']),
        field('record_id', ['string']),
        field('is_deleted', ['boolean']),
      ],
      [
        column('_prequel_record_id', 'string', ['1']),
        column('_prequel_is_deleted', 'boolean', [false]),
        column('_PREQUEL_x', 'string'),
      ],
    );
    expect(suggestions.map((suggestion) => source(suggestion.mapping))).not.toContain(
      '_prequel_record_id',
    );
    expect(suggestions.map((suggestion) => source(suggestion.mapping))).not.toContain(
      '_prequel_is_deleted',
    );
    expect(
      suggestions.every((suggestion) => !source(suggestion.mapping)?.includes('_prequel_')),
    ).toBe(true);
  });

  test('with names differing only in case, each field gets the exactly named column', () => {
    const columns = [column('EMAIL', 'string', ['A@B.IO']), column('email', 'string', ['a@b.io'])];
    expect(
      suggestMappings([field('email', ['string'])], columns).map((suggestion) =>
        source(suggestion.mapping),
      ),
    ).toEqual(['email']);
    expect(
      suggestMappings([field('email', ['string']), field('EMAIL', ['string'])], columns).map(
        (suggestion) => [suggestion.target, source(suggestion.mapping)],
      ),
    ).toEqual([
      ['email', 'email'],
      ['EMAIL', 'EMAIL'],
    ]);
  });

  test('a column goes to the field it fits best, not the first one asking', () => {
    const suggestions = suggestMappings(
      [
        field('contact', ['string'], { format: 'email' }),
        field('email', ['string'], { format: 'email' }),
      ],
      [column('email', 'string', ['a@b.io', 'c@d.io'])],
    );
    // email fits the email field by name and samples; the contact field may only reuse it, with less confidence.
    expect(suggestions).toEqual([
      {
        target: 'contact',
        mapping: { target_field: 'contact', field_type: 'field', column: { name: 'email' } },
        reason: 'Samples look like email addresses, both text; also suggested for email',
        confidence: 'low',
      },
      {
        target: 'email',
        mapping: { target_field: 'email', field_type: 'field', column: { name: 'email' } },
        reason: 'Same name, both text; samples look like email addresses',
        confidence: 'high',
      },
    ]);
  });

  test('a column is reused only when nothing better exists and the match is good', () => {
    const fields = [
      field('updated_at', ['string'], { format: 'date-time' }),
      field('modified_at', ['string'], { format: 'date-time' }),
      field('notes_text', ['string']),
    ];
    const suggestions = suggestMappings(fields, [
      column('updated_at', 'timestamp', ['2024-01-01T00:00:00Z']),
      column('notes', 'string', ['x']),
      column('modified_at', 'timestamp', ['2024-01-02T00:00:00Z']),
    ]);
    expect(
      suggestions.map((suggestion) => [suggestion.target, source(suggestion.mapping)]),
    ).toEqual([
      ['updated_at', 'updated_at'],
      ['modified_at', 'modified_at'],
      ['notes_text', 'notes'],
    ]);
    const reused = suggestMappings(fields.slice(0, 2), [
      column('updated_at', 'timestamp', ['2024-01-01T00:00:00Z']),
    ]);
    expect(
      reused.map((suggestion) => [
        suggestion.target,
        source(suggestion.mapping),
        suggestion.confidence,
      ]),
    ).toEqual([
      ['updated_at', 'updated_at', 'high'],
      ['modified_at', 'updated_at', 'low'],
    ]);
    expect(reused[1]?.reason).toContain('also suggested for updated_at');
  });

  test('a composite name gives way to a column that holds the whole name', () => {
    const suggestions = suggestMappings(
      [field('full_name', ['string'])],
      [
        column('first_name', 'string', ['Ada']),
        column('last_name', 'string', ['Lovelace']),
        column('full_name', 'string', ['Ada Lovelace']),
      ],
    );
    expect(source(suggestions[0]?.mapping)).toBe('full_name');
  });

  test('a field that takes no text gets no composite name', () => {
    expect(
      suggestMappings(
        [field('name', ['integer'])],
        [column('first_name', 'string', ['Ada']), column('last_name', 'string', ['Lovelace'])],
      ),
    ).toEqual([]);
  });

  test('incompatible types are not suggested, however alike the names', () => {
    expect(
      suggestMappings(
        [field('created_at', ['string'], { format: 'date-time' })],
        [column('created_at', 'boolean', [true])],
      ),
    ).toEqual([]);
    expect(
      suggestMappings([field('age', ['integer'])], [column('age', 'string', ['thirty', '40'])]),
    ).toEqual([]);
    expect(
      suggestMappings(
        [field('email', ['string'], { format: 'email' })],
        [column('email_verified', 'boolean', [true])],
      ),
    ).toEqual([]);
  });

  test('samples that contradict the field lower the confidence', () => {
    const [suggestion] = suggestMappings(
      [field('email', ['string'], { format: 'email' })],
      [column('email', 'string', ['n/a', 'unknown', 'ask Bob'])],
    );
    expect(suggestion).toMatchObject({
      confidence: 'medium',
      reason: "Same name, both text; but samples don't look like email addresses",
    });
    const [outsideList] = suggestMappings(
      [field('plan', ['string'], { enum: ['free', 'pro'] })],
      [column('plan', 'string', ['gold', 'silver'])],
    );
    expect(outsideList).toMatchObject({
      confidence: 'medium',
      reason: 'Same name, but some values are not in the allowed list',
    });
  });

  test('a column found by its samples alone is suggested for an email field', () => {
    const [suggestion] = suggestMappings(
      [field('email', ['string'], { format: 'email' })],
      [column('id', 'integer', [1]), column('contact', 'string', ['a@b.io', 'c@d.io'])],
    );
    expect(suggestion).toMatchObject({
      target: 'email',
      mapping: { column: { name: 'contact' } },
      confidence: 'medium',
      reason: 'Samples look like email addresses, both text',
    });
  });

  test('unrelated names are not suggested', () => {
    expect(
      suggestMappings(
        [field('timezone', ['string']), field('avatar_url', ['string'])],
        [column('id', 'integer', [1]), column('notes', 'string', ['x'])],
      ),
    ).toEqual([]);
  });

  test('required fields come first, in field order, whatever order the fields are given in', () => {
    const fields = [
      field('plan', ['string']),
      field('email', ['string'], { required: true }),
      field('id', ['integer'], { required: true }),
    ];
    const suggestions = suggestMappings(fields, [
      column('plan', 'string', ['pro']),
      column('id', 'integer', [1]),
      column('email', 'string', ['a@b.io']),
    ]);
    expect(suggestions.map((suggestion) => suggestion.target)).toEqual(['email', 'id', 'plan']);
  });

  test('one suggestion per field, even when the field is listed twice', () => {
    const suggestions = suggestMappings(
      [field('email', ['string']), field('email', ['string'])],
      [column('email', 'string', ['a@b.io']), column('e_mail', 'string', ['c@d.io'])],
    );
    expect(suggestions).toHaveLength(1);
  });

  test('is deterministic', () => {
    const columns = columnsOf(customerTypes, customerRows);
    const fields = targetFieldsOf(usersSchema);
    const first = suggestMappings(fields, columns);
    expect(suggestMappings(fields, columns)).toEqual(first);
    // The exact-name choices do not depend on column order.
    const reversed = bySuggestion(suggestMappings(fields, [...columns].reverse()));
    for (const suggestion of first)
      expect(reversed[suggestion.target]?.mapping).toEqual(suggestion.mapping);
  });

  test('a wide table is handled quickly', () => {
    // Numbered names are the worst case: every pair is a near miss that has to be measured.
    const columns = Array.from({ length: 500 }, (_, index) =>
      column(`attribute_${index}_value`, 'string', ['x', 'y']),
    );
    const fields = Array.from({ length: 200 }, (_, index) =>
      field(`Attribute${index}Value`, ['string']),
    );
    const started = performance.now();
    const suggestions = suggestMappings(fields, columns);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(suggestions).toHaveLength(200);
    expect(suggestions.find((suggestion) => suggestion.target === 'Attribute7Value')).toMatchObject(
      { mapping: { column: { name: 'attribute_7_value' } }, reason: 'Same name, both text' },
    );
  });
});

describe('mappingProgress', () => {
  const fields = targetFieldsOf(usersSchema);
  const mapped = (...targets: string[]): Mapping[] =>
    targets.map((target) => ({ target_field: target, field_type: 'field', column: { name: 'x' } }));

  test('counts required and all fields mapped', () => {
    expect(mappingProgress(fields, [])).toEqual({
      requiredMapped: 0,
      requiredTotal: 2,
      mapped: 0,
      total: fields.length,
    });
    expect(mappingProgress(fields, mapped('email', 'plan'))).toEqual({
      requiredMapped: 1,
      requiredTotal: 2,
      mapped: 2,
      total: fields.length,
    });
    expect(mappingProgress(fields, mapped('id', 'email', 'plan', 'address.city'))).toMatchObject({
      requiredMapped: 2,
      requiredTotal: 2,
      mapped: 4,
    });
  });

  test('a mapping of a whole object covers the fields inside it', () => {
    const nested = targetFieldsOf({
      type: 'object',
      required: ['preferences'],
      properties: {
        preferences: {
          type: 'object',
          required: ['email', 'sms'],
          properties: {
            email: { type: 'boolean' },
            sms: { type: 'boolean' },
            push: { type: 'boolean' },
          },
        },
      },
    });
    expect(mappingProgress(nested, mapped('preferences'))).toEqual({
      requiredMapped: 2,
      requiredTotal: 2,
      mapped: 3,
      total: 3,
    });
  });

  test('ignores mappings of fields the schema does not list, and counts a field mapped twice once', () => {
    expect(mappingProgress(fields, mapped('nickname', 'email', 'email'))).toMatchObject({
      requiredMapped: 1,
      mapped: 1,
    });
    expect(mappingProgress([], mapped('email'))).toEqual({
      requiredMapped: 0,
      requiredTotal: 0,
      mapped: 0,
      total: 0,
    });
  });
});
