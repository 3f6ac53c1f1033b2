import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { create, localDatalake, provider, recordDestination, stream } from '../testing/fixtures';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

type Preview = {
  schema: {
    name: string;
    database_type_name: string;
    length: null;
    precision: null;
    scale: null;
    nullable: boolean;
  }[];
  records: Record<string, unknown>[];
  errors: {
    record_id: string;
    target_field?: string;
    stage: string;
    message: string;
    fix?: string;
  }[];
};
type PreviewResponse = { status: string; data: Preview; message: string };
type ErrorResponse = {
  error: { code: string; details?: { path: string; message: string }[] };
  message: string;
};

let api: TestEngine;
let source: SourceDatabase;
let dataset: { id: string; provider_id?: unknown };
/** Live customers, by id, as the source holds them. */
let customers: {
  id: string;
  email: string;
  full_name: string;
  plan: string;
  external_ref: string | null;
}[];
let deletedId: string;

const idField = { target_field: 'id', field_type: 'field', column: { name: 'id' } };
const quickstartSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' } },
};

beforeAll(async () => {
  api = await startTestEngine({ jobs: true });
  source = await createSourceDatabase({
    customers: 300,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  await source.client.query(`update customers set email = 'not-an-email' where id = 5`);
  await source.client.query(`update customers set is_deleted = false where id <= 10`);
  await source.client.query(`update customers set is_deleted = true where id = 11`);
  dataset = await createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'customers' },
    type: 'dimension',
    dimension: {
      primary_key_column: 'id',
      last_modified_column: 'updated_at',
      is_deleted_column: 'is_deleted',
    },
  });
  await extractNow(api, dataset.id);
  customers = (
    await source.client.query(
      `select id::text, email, full_name, plan, external_ref::text from customers where id <= 10 order by id`,
    )
  ).rows;
  deletedId = '11';
});
afterAll(async () => {
  await api.close();
  await source.drop();
});

async function destinationWith(schema: Record<string, unknown>) {
  return create(
    api,
    '/import/destinations',
    recordDestination(schema),
    'destination',
    '?skip_validation=true',
  );
}

async function savedStream(schema: Record<string, unknown>, mappings: unknown[]) {
  const destination = await destinationWith(schema);
  return create(api, '/import/streams', stream(dataset.id, destination.id, mappings), 'stream');
}

const testTransform = (streamId: string, body: unknown, query = '') =>
  api.request<PreviewResponse & ErrorResponse>(
    'POST',
    `/import/streams/${streamId}/test-transform${query}`,
    body,
  );
const testStream = (body: unknown, query = '') =>
  api.request<PreviewResponse & ErrorResponse>('POST', `/import/test-stream${query}`, body);
const customer = (id: string) => customers.find((row) => row.id === id)!;

describe('test-transform on a saved stream', () => {
  test("the quickstart's integer id mapped onto a string field", async () => {
    const saved = await savedStream(quickstartSchema, [idField]);
    const response = await testTransform(saved.id, { record_ids: ['1', '2'] });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({
      status: 'success',
      data: {
        schema: [
          {
            name: 'id',
            database_type_name: 'string',
            length: null,
            precision: null,
            scale: null,
            nullable: false,
          },
        ],
        records: [
          { _prequel_record_id: '1', id: '1' },
          { _prequel_record_id: '2', id: '2' },
        ],
        errors: [],
      },
      message: 'Transformed 2 records.',
    });
  });

  test('a record whose email breaks format: email is an error for that record and field only', async () => {
    const saved = await savedStream(
      {
        type: 'object',
        required: ['id', 'email'],
        properties: { id: { type: 'string' }, email: { type: 'string', format: 'email' } },
      },
      [idField, { target_field: 'email', field_type: 'field', column: { name: 'email' } }],
    );
    const response = await testTransform(saved.id, { record_ids: ['4', '5', '6'] });
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.records.map((record) => record._prequel_record_id)).toEqual([
      '4',
      '6',
    ]);
    expect(response.body.data.records[0]).toEqual({
      _prequel_record_id: '4',
      id: '4',
      email: customer('4').email,
    });
    expect(response.body.data.errors).toEqual([
      {
        record_id: '5',
        target_field: 'email',
        stage: 'validate_schema',
        message: '"not-an-email" is not a valid email',
      },
    ]);
    expect(response.body.message).toBe('Transformed 2 records; 1 with errors.');
  });

  test('unsaved changes change the output, and the saved stream stays as it was', async () => {
    const saved = await savedStream(
      {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' }, label: { type: 'string' } },
      },
      [idField],
    );
    const before = await api.request<{ data: { stream: Record<string, unknown> } }>(
      'GET',
      `/import/streams/${saved.id}`,
    );
    const patch = {
      mappings: [
        idField,
        {
          target_field: 'label',
          field_type: 'expression',
          expression: { expr: 'CONCATENATE(full_name, " <", plan, ">")' },
        },
      ],
    };
    const response = await testTransform(saved.id, { record_ids: ['3'], stream: patch });
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.records).toEqual([
      {
        _prequel_record_id: '3',
        id: '3',
        label: `${customer('3').full_name} <${customer('3').plan}>`,
      },
    ]);
    expect(response.body.data.schema.map((column) => column.name)).toEqual(['id', 'label']);

    const after = await api.request<{ data: { stream: Record<string, unknown> } }>(
      'GET',
      `/import/streams/${saved.id}`,
    );
    expect(after.body.data.stream).toEqual(before.body.data.stream);
    const plain = await testTransform(saved.id, { record_ids: ['3'] });
    expect(plain.body.data.records).toEqual([{ _prequel_record_id: '3', id: '3' }]);
  });

  test('an id the cache does not hold is reported among the errors, not as a 404', async () => {
    const saved = await savedStream(quickstartSchema, [idField]);
    const response = await testTransform(saved.id, { record_ids: ['1', '999999'] });
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.records).toEqual([{ _prequel_record_id: '1', id: '1' }]);
    expect(response.body.data.errors).toEqual([
      {
        record_id: '999999',
        stage: 'extract',
        message: "no record with this id in the dataset's cache",
      },
    ]);
  });

  test('integers beyond 2^53 keep every digit in a string field, and are refused by an integer field with a fix', async () => {
    const row = customers.find((candidate) => candidate.external_ref !== null)!;
    expect(BigInt(row.external_ref!) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const saved = await savedStream(
      {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'string' },
          ref: { type: 'string' },
          ref_number: { type: 'integer' },
        },
      },
      [idField, { target_field: 'ref', field_type: 'field', column: { name: 'external_ref' } }],
    );
    const exact = await testTransform(saved.id, { record_ids: [row.id] });
    expect(exact.body.data.records).toEqual([
      { _prequel_record_id: row.id, id: row.id, ref: row.external_ref },
    ]);

    const lossy = await testTransform(saved.id, {
      record_ids: [row.id],
      stream: {
        mappings: [
          idField,
          { target_field: 'ref_number', field_type: 'field', column: { name: 'external_ref' } },
        ],
      },
    });
    expect(lossy.body.data.records).toEqual([]);
    expect(lossy.body.data.errors).toEqual([
      {
        record_id: row.id,
        target_field: 'ref_number',
        stage: 'validate_schema',
        message: `${row.external_ref} has more digits than a JSON number can hold exactly (it would arrive as ${String(Number(row.external_ref))})`,
        fix: expect.stringContaining('string(external_ref)'),
      },
    ]);
  });

  test('dotted targets build nested objects', async () => {
    const schema = {
      type: 'object',
      required: ['id', 'preferences'],
      properties: {
        id: { type: 'string' },
        preferences: {
          type: 'object',
          required: ['default'],
          properties: {
            default: {
              type: 'object',
              properties: {
                channel_types: {
                  type: 'object',
                  required: ['email'],
                  properties: { email: { type: 'boolean' } },
                },
              },
            },
          },
        },
      },
    };
    const saved = await savedStream(schema, [
      idField,
      {
        target_field: 'preferences.default.channel_types.email',
        field_type: 'expression',
        expression: { expr: 'plan != "free"' },
      },
    ]);
    const response = await testTransform(saved.id, { record_ids: ['7'] });
    expect(response.body.data.records).toEqual([
      {
        _prequel_record_id: '7',
        id: '7',
        preferences: { default: { channel_types: { email: customer('7').plan !== 'free' } } },
      },
    ]);
  });

  test('a deleted record is previewed with _prequel_is_deleted', async () => {
    const saved = await savedStream(quickstartSchema, [idField]);
    const response = await testTransform(saved.id, { record_ids: [deletedId] });
    expect(response.body.data.records).toEqual([
      { _prequel_record_id: deletedId, id: deletedId, _prequel_is_deleted: true },
    ]);
  });

  test('a bad expression in the unsaved changes is a 422 with its position', async () => {
    const saved = await savedStream(quickstartSchema, [idField]);
    const response = await testTransform(saved.id, {
      record_ids: ['1'],
      stream: {
        mappings: [
          idField,
          { target_field: 'x', field_type: 'expression', expression: { expr: 'UPPER(full_name' } },
        ],
      },
    });
    expect(response.status, response.text).toBe(422);
    expect(response.body.error.code).toBe('invalid_expression');
    expect(response.body.error.details).toEqual([
      {
        path: 'stream.mappings.1.expression.expr',
        message: expect.stringMatching(/\(line 1, column \d+\)$/),
      },
    ]);
  });

  test('mappings that leave a required field unmapped: 422, or per-record errors with skip_validation', async () => {
    const saved = await savedStream(quickstartSchema, [idField]);
    const patch = {
      stream: {
        mappings: [{ target_field: 'other', field_type: 'field', column: { name: 'email' } }],
      },
    };
    const strict = await testTransform(saved.id, { record_ids: ['1'], ...patch });
    expect(strict.status, strict.text).toBe(422);
    expect(strict.body.error.code).toBe('required_fields_unmapped');
    const lenient = await testTransform(
      saved.id,
      { record_ids: ['1'], ...patch },
      '?skip_validation=true',
    );
    expect(lenient.status, lenient.text).toBe(200);
    expect(lenient.body.data.errors).toEqual([
      {
        record_id: '1',
        target_field: 'id',
        stage: 'validate_schema',
        message: 'is required by record_schema but nothing is mapped to it',
        fix: 'map a column or an expression to "id"',
      },
    ]);
  });

  test('request errors: unknown stream 404, no or too many record ids 400', async () => {
    expect(
      (await testTransform('0190f1c2-0000-7000-8000-000000000000', { record_ids: ['1'] })).status,
    ).toBe(404);
    const saved = await savedStream(quickstartSchema, [idField]);
    expect((await testTransform(saved.id, { record_ids: [] })).status).toBe(400);
    expect(
      (
        await testTransform(saved.id, {
          record_ids: Array.from({ length: 51 }, (_, index) => String(index + 1)),
        })
      ).status,
    ).toBe(400);
    expect((await testTransform(saved.id, { record_ids: [1] })).status).toBe(400);
  });
});

describe('test-stream on a candidate stream', () => {
  test('transforms without saving anything', async () => {
    const destination = await destinationWith(quickstartSchema);
    const streamsBefore = await api.request<{ data: { streams: unknown[] } }>(
      'GET',
      `/import/streams?destination_id=${destination.id}`,
    );
    const response = await testStream({
      ...stream(dataset.id, destination.id),
      record_ids: ['8', '9'],
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.records).toEqual([
      { _prequel_record_id: '8', id: '8' },
      { _prequel_record_id: '9', id: '9' },
    ]);
    const streamsAfter = await api.request<{ data: { streams: unknown[] } }>(
      'GET',
      `/import/streams?destination_id=${destination.id}`,
    );
    expect(streamsAfter.body.data.streams).toEqual(streamsBefore.body.data.streams);
  });

  test('a bad expression is a 422 invalid_expression with its position', async () => {
    const destination = await destinationWith(quickstartSchema);
    const response = await testStream({
      ...stream(dataset.id, destination.id, [
        idField,
        { target_field: 'x', field_type: 'expression', expression: { expr: 'full_name +' } },
      ]),
      record_ids: ['1'],
    });
    expect(response.status, response.text).toBe(422);
    expect(response.body.error).toEqual({
      code: 'invalid_expression',
      details: [
        {
          path: 'stream.mappings.1.expression.expr',
          message: 'unexpected end of expression (line 1, column 12)',
        },
      ],
    });
  });

  test('a nested target conflict is a 422', async () => {
    const destination = await destinationWith(quickstartSchema);
    const mappings = [
      idField,
      { target_field: 'a', field_type: 'field', column: { name: 'plan' } },
      { target_field: 'a.b', field_type: 'field', column: { name: 'plan' } },
    ];
    const response = await testStream(
      { ...stream(dataset.id, destination.id, mappings), record_ids: ['1'] },
      '?skip_validation=true',
    );
    expect(response.status, response.text).toBe(422);
    expect(response.body.error.code).toBe('target_conflict');
    expect(response.body.error.details?.[0]?.path).toBe('stream.mappings.2.target_field');
  });

  test('an unknown dataset or destination is a 422 naming the field', async () => {
    const destination = await destinationWith(quickstartSchema);
    const missing = '0190f1c2-0000-7000-8000-000000000000';
    const noDataset = await testStream({ ...stream(missing, destination.id), record_ids: ['1'] });
    expect(noDataset.status).toBe(422);
    expect(noDataset.body.error.details).toEqual([
      { path: 'stream.dataset_id', message: 'no dataset with this id' },
    ]);
    const noDestination = await testStream({ ...stream(dataset.id, missing), record_ids: ['1'] });
    expect(noDestination.status).toBe(422);
    expect(noDestination.body.error.details).toEqual([
      { path: 'stream.destination_id', message: 'no destination with this id' },
    ]);
  });

  test("a destination outside the provider's products is a 403", async () => {
    const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const allowed = await destinationWith(quickstartSchema);
    const other = await destinationWith(quickstartSchema);
    const product = await create(
      api,
      '/import/products',
      { product: { name: `only-${allowed.id.slice(0, 8)}`, destinations: [allowed.id] } },
      'product',
    );
    const tenant = await create(
      api,
      '/import/providers',
      provider(lake.id, [product.name as string]),
      'provider',
    );
    const src = await create(
      api,
      '/import/sources',
      {
        source: {
          name: 'narrow',
          vendor: 'postgres',
          provider_id: tenant.id,
          postgres: source.postgres,
        },
      },
      'source',
    );
    const narrow = await create(
      api,
      '/import/datasets',
      {
        dataset: {
          source_id: src.id,
          method: 'table',
          table: { source_table_namespace: 'public', source_table_name: 'customers' },
          type: 'dimension',
          dimension: { primary_key_column: 'id' },
        },
      },
      'dataset',
    );
    const response = await testStream({ ...stream(narrow.id, other.id), record_ids: ['1'] });
    expect(response.status, response.text).toBe(403);
    expect(response.body.error).toEqual({
      code: 'destination_not_allowed',
      details: [{ path: 'stream.destination_id', message: 'is not available to this provider' }],
    });
    // Allowed destination, but nothing extracted yet: every id is reported as missing from the cache.
    const empty = await testStream(
      { ...stream(narrow.id, allowed.id), record_ids: ['1'] },
      '?skip_validation=true',
    );
    expect(empty.status, empty.text).toBe(200);
    expect(empty.body.data.errors).toEqual([
      {
        record_id: '1',
        stage: 'extract',
        message: "no record with this id in the dataset's cache",
      },
    ]);
  });
});
