import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  create,
  createPipeline,
  localDatalake,
  provider,
  recordDestination,
  stream,
  unique,
} from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

let api: TestEngine;
beforeAll(async () => {
  api = await startTestEngine();
});
afterAll(() => api.close());

type ErrorBody = {
  status: string;
  message: string;
  error: { code: string; details?: { path: string; message: string }[] };
};

async function expectError(
  promise: Promise<{ status: number; body: unknown; text: string }>,
  status: number,
  code: string,
  path?: string,
) {
  const response = await promise;
  expect(response.status, response.text).toBe(status);
  const body = response.body as ErrorBody;
  expect(body.status).toBe('error');
  expect(body.error.code).toBe(code);
  expect(body.message.length).toBeGreaterThan(10);
  if (path) expect(body.error.details?.map((d) => d.path)).toContain(path);
  return body;
}

describe('deleting what is still referenced', () => {
  test('answers 409 naming what refers to it, at every level of the pipeline', async () => {
    const p = await createPipeline(api);
    const s = await create(
      api,
      '/import/streams',
      stream(p.dataset.id, p.destination.id),
      'stream',
    );
    const product = await create(
      api,
      '/import/products',
      { product: { name: unique('product'), destinations: [p.destination.id] } },
      'product',
    );

    const lake = await expectError(
      api.request('DELETE', `/import/datalakes/${p.datalake.id}`),
      409,
      'still_referenced',
    );
    expect(lake.message).toContain(p.provider.id);
    const tenant = await expectError(
      api.request('DELETE', `/import/providers/${p.provider.id}`),
      409,
      'still_referenced',
    );
    expect(tenant.message).toContain(String(p.source.name));
    await expectError(
      api.request('DELETE', `/import/sources/${p.source.id}`),
      409,
      'still_referenced',
    );
    const dataset = await expectError(
      api.request('DELETE', `/import/datasets/${p.dataset.id}`),
      409,
      'still_referenced',
    );
    expect(dataset.message).toContain(String(s.name));
    const destination = await expectError(
      api.request('DELETE', `/import/destinations/${p.destination.id}`),
      409,
      'still_referenced',
    );
    expect(destination.message).toContain('streams');

    // Unwinding in order succeeds.
    for (const path of [
      `/import/streams/${s.id}`,
      `/import/products/${product.id}`,
      `/import/destinations/${p.destination.id}`,
      `/import/datasets/${p.dataset.id}`,
      `/import/sources/${p.source.id}`,
      `/import/providers/${p.provider.id}`,
      `/import/datalakes/${p.datalake.id}`,
    ]) {
      const response = await api.request('DELETE', path);
      expect(response.status, `${path}: ${response.text}`).toBe(200);
    }
  });

  test('a product still given to a provider cannot be deleted', async () => {
    const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const product = await create(
      api,
      '/import/products',
      { product: { name: unique('product'), destinations: [] } },
      'product',
    );
    const tenant = await create(
      api,
      '/import/providers',
      provider(lake.id, [String(product.name)]),
      'provider',
    );
    const body = await expectError(
      api.request('DELETE', `/import/products/${product.id}`),
      409,
      'still_referenced',
    );
    expect(body.message).toContain(tenant.id);
  });
});

describe('providers', () => {
  test('ids are unique (409) and, with datalake_id, immutable (422)', async () => {
    const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const other = await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const tenant = await create(api, '/import/providers', provider(lake.id), 'provider');
    await expectError(
      api.request('POST', '/import/providers', {
        provider: { id: tenant.id, name: 'Again', datalake_id: lake.id, products: ['all'] },
      }),
      409,
      'already_exists',
      'provider.id',
    );
    await expectError(
      api.request('PATCH', `/import/providers/${tenant.id}`, {
        provider: { datalake_id: other.id },
      }),
      422,
      'immutable_field',
      'provider.datalake_id',
    );
    await expectError(
      api.request('PATCH', `/import/providers/${tenant.id}`, { provider: { id: 'someone-else' } }),
      422,
      'immutable_field',
      'provider.id',
    );
    // Sending the same values is not a change.
    const same = await api.request('PATCH', `/import/providers/${tenant.id}`, {
      provider: { id: tenant.id, datalake_id: lake.id },
    });
    expect(same.status).toBe(200);
  });

  test('must name an existing datalake and existing products', async () => {
    const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
    await expectError(
      api.request('POST', '/import/providers', provider('00000000-0000-7000-8000-000000000000')),
      422,
      'unknown_reference',
      'provider.datalake_id',
    );
    await expectError(
      api.request('POST', '/import/providers', provider(lake.id, ['all', 'no-such-product'])),
      422,
      'unknown_reference',
      'provider.products.1',
    );
  });
});

describe('products', () => {
  test('the built-in "all" lists every destination and cannot be changed or deleted', async () => {
    const destination = await create(
      api,
      '/import/destinations',
      recordDestination(),
      'destination',
      '?skip_validation=true',
    );
    const list = await api.request<{
      data: {
        products: { id: string; name: string; destinations: string[]; is_builtin: boolean }[];
      };
    }>('GET', '/import/products?page_size=100');
    const all = list.body.data.products.find((product) => product.name === 'all')!;
    expect(all.is_builtin).toBe(true);
    expect(all.destinations).toContain(destination.id);
    await expectError(
      api.request('PATCH', `/import/products/${all.id}`, { product: { destinations: [] } }),
      409,
      'protected',
    );
    await expectError(api.request('DELETE', `/import/products/${all.id}`), 409, 'protected');
    await expectError(
      api.request('POST', '/import/products', { product: { name: 'all', destinations: [] } }),
      409,
      'already_exists',
    );
  });

  test('can only list existing destinations, and names are immutable', async () => {
    await expectError(
      api.request('POST', '/import/products', {
        product: { name: unique('p'), destinations: ['00000000-0000-7000-8000-000000000000'] },
      }),
      422,
      'unknown_reference',
      'product.destinations.0',
    );
    const product = await create(
      api,
      '/import/products',
      { product: { name: unique('p') } },
      'product',
    );
    await expectError(
      api.request('PATCH', `/import/products/${product.id}`, { product: { name: 'renamed' } }),
      422,
      'immutable_field',
      'product.name',
    );
  });
});

describe('streams', () => {
  test('are refused with 403 when the provider has no product with the destination', async () => {
    const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const product = await create(
      api,
      '/import/products',
      { product: { name: unique('p'), destinations: [] } },
      'product',
    );
    const tenant = await create(
      api,
      '/import/providers',
      provider(lake.id, [String(product.name)]),
      'provider',
    );
    const source = await create(
      api,
      '/import/sources',
      {
        source: {
          name: 's',
          vendor: 'postgres',
          provider_id: tenant.id,
          postgres: {
            host: 'localhost',
            database: 'app',
            password_auth: { username: 'u', password: 'p' },
          },
        },
      },
      'source',
    );
    const dataset = await create(
      api,
      '/import/datasets',
      {
        dataset: {
          source_id: source.id,
          method: 'table',
          table: { source_table_namespace: 'public', source_table_name: 'users' },
          type: 'fact',
          fact: { primary_key_column: 'id', created_at_column: 'created_at' },
        },
      },
      'dataset',
    );
    const destination = await create(
      api,
      '/import/destinations',
      recordDestination(),
      'destination',
      '?skip_validation=true',
    );
    await expectError(
      api.request('POST', '/import/streams', stream(dataset.id, destination.id)),
      403,
      'destination_not_allowed',
      'stream.destination_id',
    );

    // Adding the destination to the provider's product opens the way.
    await api.request('PATCH', `/import/products/${product.id}`, {
      product: { destinations: [destination.id] },
    });
    await create(api, '/import/streams', stream(dataset.id, destination.id), 'stream');
  });

  test('must map every required field, down to nested ones, unless validation is skipped', async () => {
    const p = await createPipeline(api);
    const destination = await create(
      api,
      '/import/destinations',
      recordDestination({
        type: 'object',
        additionalProperties: false,
        required: ['email', 'name', 'preferences'],
        properties: {
          email: { type: 'string', format: 'email' },
          name: { type: 'string' },
          preferences: {
            type: 'object',
            required: ['channel'],
            properties: { channel: { type: 'string' } },
          },
        },
      }),
      'destination',
      '?skip_validation=true',
    );
    const partial = [{ target_field: 'email', field_type: 'field', column: { name: 'email' } }];
    const body = await expectError(
      api.request('POST', '/import/streams', stream(p.dataset.id, destination.id, partial)),
      422,
      'required_fields_unmapped',
      'stream.mappings',
    );
    expect(body.error.details![0]!.message).toContain('"name"');
    expect(body.error.details![0]!.message).toContain('"preferences.channel"');

    const skipped = await api.request<{ data: { stream: { is_valid: boolean } } }>(
      'POST',
      '/import/streams?skip_validation=true',
      stream(p.dataset.id, destination.id, partial),
    );
    expect(skipped.status).toBe(200);
    expect(skipped.body.data.stream.is_valid).toBe(false);

    const full = [
      ...partial,
      {
        target_field: 'name',
        field_type: 'expression',
        expression: { expr: 'CONCATENATE(first_name, " ", last_name)' },
      },
      {
        target_field: 'preferences.channel',
        field_type: 'expression',
        expression: { expr: '"email"' },
      },
    ];
    const ok = await create(
      api,
      '/import/streams',
      stream(p.dataset.id, destination.id, full),
      'stream',
    );
    expect(ok.is_valid).toBe(true);

    await expectError(
      api.request(
        'POST',
        '/import/streams',
        stream(p.dataset.id, destination.id, [
          ...full,
          { target_field: 'nickname', field_type: 'field', column: { name: 'nick' } },
        ]),
      ),
      422,
      'unknown_target_field',
      'stream.mappings.3.target_field',
    );
    await expectError(
      api.request(
        'POST',
        '/import/streams',
        stream(p.dataset.id, destination.id, [
          ...full,
          { target_field: 'email', field_type: 'field', column: { name: 'other' } },
        ]),
      ),
      422,
      'duplicate_target_field',
      'stream.mappings.3.target_field',
    );
  });

  test('reject expressions that do not parse, with the position', async () => {
    const p = await createPipeline(api);
    const body = await expectError(
      api.request(
        'POST',
        '/import/streams',
        stream(p.dataset.id, p.destination.id, [
          { target_field: 'id', field_type: 'expression', expression: { expr: 'string(id' } },
        ]),
      ),
      422,
      'invalid_expression',
      'stream.mappings.0.expression.expr',
    );
    expect(body.error.details![0]!.message).toMatch(/column \d+/);
  });

  test('must reference columns the dataset has, once its columns are known', async () => {
    const p = await createPipeline(api);
    await create(
      api,
      '/import/streams',
      stream(p.dataset.id, p.destination.id, [
        { target_field: 'id', field_type: 'field', column: { name: 'user_id' } },
      ]),
      'stream',
    );
    // The dataset's columns become known (as after its first schema read).
    await api.database.db.query(`update datasets set columns = $2 where id = $1`, [
      p.dataset.id,
      JSON.stringify([{ name: 'id' }, { name: 'email' }]),
    ]);
    await expectError(
      api.request(
        'POST',
        '/import/streams',
        stream(p.dataset.id, p.destination.id, [
          { target_field: 'id', field_type: 'field', column: { name: 'user_id' } },
        ]),
      ),
      422,
      'unknown_column',
      'stream.mappings.0.column.name',
    );
    await expectError(
      api.request(
        'POST',
        '/import/streams',
        stream(p.dataset.id, p.destination.id, [
          { target_field: 'id', field_type: 'expression', expression: { expr: 'string(user_id)' } },
        ]),
      ),
      422,
      'unknown_column',
      'stream.mappings.0.expression.expr',
    );
    await create(
      api,
      '/import/streams',
      stream(p.dataset.id, p.destination.id, [
        {
          target_field: 'id',
          field_type: 'expression',
          expression: { expr: 'string(id) + email' },
        },
      ]),
      'stream',
    );
  });

  test('become invalid when their destination schema gains a required field', async () => {
    const p = await createPipeline(api);
    const s = await create(
      api,
      '/import/streams',
      stream(p.dataset.id, p.destination.id),
      'stream',
    );
    expect(s.is_valid).toBe(true);
    const patched = await api.request(
      'PATCH',
      `/import/destinations/${p.destination.id}?skip_validation=true`,
      {
        destination: {
          record_schema: {
            type: 'object',
            required: ['id', 'email'],
            properties: { id: { type: 'string' }, email: { type: 'string' } },
          },
        },
      },
    );
    expect(patched.status, patched.text).toBe(200);
    const after = await api.request<{ data: { stream: { is_valid: boolean } } }>(
      'GET',
      `/import/streams/${s.id}`,
    );
    expect(after.body.data.stream.is_valid).toBe(false);
  });
});

describe('destinations', () => {
  test('are created without skip_validation when the endpoint accepts connections', async () => {
    const receiver = http.createServer((_, res) => res.end('ok'));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    try {
      const body = recordDestination();
      body.destination.webhook_record.request_template.uri = `http://localhost:${port}/records/{{.Record.id}}`;
      await create(api, '/import/destinations', body, 'destination');
      receiver.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await expectError(
        api.request('POST', '/import/destinations', body),
        422,
        'destination_unreachable',
        'destination.webhook_record.request_template.uri',
      );
    } finally {
      receiver.close();
    }
  });

  test('refuse kafka topics and iceberg batches with a clear 422', async () => {
    await expectError(
      api.request('POST', '/import/destinations', {
        destination: {
          name: 'k',
          type: 'kafka_topic',
          record_schema: { type: 'object' },
          kafka_topic: { topic: 'users' },
        },
      }),
      422,
      'destination_type_not_supported',
      'destination.type',
    );
    await expectError(
      api.request('POST', '/import/destinations?skip_validation=true', {
        destination: {
          name: 'b',
          type: 'webhook_batch',
          record_schema: { type: 'object' },
          webhook_batch: { format: 'iceberg', request_template: { uri: 'http://localhost/x' } },
        },
      }),
      422,
      'format_not_supported',
      'destination.webhook_batch.format',
    );
  });
});

describe('sources', () => {
  test('of vendors the engine cannot read answer 422 vendor_not_supported', async () => {
    const p = await createPipeline(api);
    const body = await expectError(
      api.request('POST', '/import/sources', {
        source: {
          name: 'wh',
          vendor: 'snowflake',
          provider_id: p.provider.id,
          snowflake: { host: 'acct.snowflakecomputing.com' },
        },
      }),
      422,
      'vendor_not_supported',
      'source.vendor',
    );
    expect(body.message).toContain('postgres');
  });

  test('belong to an existing provider, which cannot change', async () => {
    const p = await createPipeline(api);
    const other = await createPipeline(api);
    await expectError(
      api.request('PATCH', `/import/sources/${p.source.id}`, {
        source: { provider_id: other.provider.id },
      }),
      422,
      'immutable_field',
      'source.provider_id',
    );
    await expectError(
      api.request('POST', '/import/sources', {
        source: {
          name: 'x',
          vendor: 'postgres',
          provider_id: 'ghost',
          postgres: { host: 'h', database: 'd', password_auth: { username: 'u', password: 'p' } },
        },
      }),
      422,
      'unknown_reference',
      'source.provider_id',
    );
  });
});

describe('datasets', () => {
  test('need the block their method and type name, and a method the source supports', async () => {
    const p = await createPipeline(api);
    await expectError(
      api.request('POST', '/import/datasets', {
        dataset: {
          source_id: p.source.id,
          method: 'sql',
          type: 'dimension',
          dimension: { primary_key_column: 'id' },
        },
      }),
      400,
      'invalid_request',
      'dataset.sql',
    );
    await expectError(
      api.request('POST', '/import/datasets', {
        dataset: {
          source_id: p.source.id,
          method: 'table',
          table: { source_table_namespace: 'public', source_table_name: 't' },
          type: 'fact',
        },
      }),
      400,
      'invalid_request',
      'dataset.fact',
    );
    await expectError(
      api.request('POST', '/import/datasets', {
        dataset: {
          source_id: p.source.id,
          method: 'glob',
          glob: { pattern: '*.csv', format: 'csv' },
          type: 'fact',
          fact: { primary_key_column: 'id', created_at_column: 'ts' },
        },
      }),
      422,
      'method_not_supported',
      'dataset.method',
    );
    const sql = await create(
      api,
      '/import/datasets',
      {
        dataset: {
          source_id: p.source.id,
          method: 'sql',
          sql: { query: 'select 1 as id' },
          type: 'dimension',
          dimension: { primary_key_column: 'id' },
        },
      },
      'dataset',
    );
    expect(sql).toMatchObject({
      name: 'sql-query',
      frequency_minutes: 60,
      provider_id: p.provider.id,
    });
    await expectError(
      api.request('PATCH', `/import/datasets/${sql.id}`, {
        dataset: { source_id: '00000000-0000-7000-8000-000000000000' },
      }),
      422,
      'immutable_field',
      'dataset.source_id',
    );
  });

  test('PATCH with null removes an optional field (JSON merge patch)', async () => {
    const p = await createPipeline(api);
    const patched = await api.request<{
      data: { dataset: { dimension: Record<string, unknown> } };
    }>('PATCH', `/import/datasets/${p.dataset.id}`, {
      dataset: { dimension: { last_modified_column: null, is_deleted_column: 'deleted' } },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data.dataset.dimension).toEqual({
      primary_key_column: 'id',
      is_deleted_column: 'deleted',
    });
  });
});
