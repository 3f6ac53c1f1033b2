// Payload builders for engine tests: each returns a valid request body that a test can alter.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestEngine } from './test-engine';

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export const localDatalake = () => ({
  datalake: { name: unique('lake'), storage: 'local', local: { path: 'datalake' } },
});

export const provider = (datalakeId: string, products = ['all']) => ({
  provider: { id: unique('tenant'), name: 'Tenant Inc', datalake_id: datalakeId, products },
});

export const postgresSource = (
  providerId: string,
  password = 'pw-' + randomBytes(8).toString('hex'),
) => ({
  source: {
    name: unique('pg'),
    vendor: 'postgres',
    provider_id: providerId,
    postgres: {
      host: 'db.acme.example.com',
      port: 5432,
      database: 'production',
      auth_method: 'password_auth',
      password_auth: { username: 'prequel', password },
    },
  },
});

export const tableDataset = (sourceId: string, table = 'users') => ({
  dataset: {
    source_id: sourceId,
    method: 'table',
    table: { source_table_namespace: 'public', source_table_name: table },
    type: 'dimension',
    dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
    frequency_minutes: 60,
  },
});

export const recordDestination = (
  schema: Record<string, unknown> = {
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string' } },
  },
) => ({
  destination: {
    name: unique('dest'),
    type: 'webhook_record',
    record_schema: schema,
    webhook_record: { request_template: { uri: 'http://127.0.0.1:9/records', method: 'POST' } },
  },
});

export const stream = (
  datasetId: string,
  destinationId: string,
  mappings: unknown[] = [{ target_field: 'id', field_type: 'field', column: { name: 'id' } }],
) => ({
  stream: {
    name: unique('stream'),
    dataset_id: datasetId,
    destination_id: destinationId,
    mappings,
  },
});

type Created = { id: string } & Record<string, unknown>;

/**
 * POSTs and returns the created object, failing the test with the response when it is not a
 * success.
 */
export async function create(
  api: TestEngine,
  path: string,
  body: unknown,
  key: string,
  query = '',
): Promise<Created> {
  const response = await api.request<{ data: Record<string, Created> }>(
    'POST',
    `${path}${query}`,
    body,
  );
  expect(response.status, response.text).toBe(200);
  return response.body.data[key]!;
}

/** A datalake, a provider on it, a source, a dataset and a destination, ready for a stream. */
export async function createPipeline(api: TestEngine, options: { products?: string[] } = {}) {
  const datalake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
  const tenant = await create(
    api,
    '/import/providers',
    provider(datalake.id, options.products),
    'provider',
  );
  const source = await create(api, '/import/sources', postgresSource(tenant.id), 'source');
  const dataset = await create(api, '/import/datasets', tableDataset(source.id), 'dataset');
  const destination = await create(
    api,
    '/import/destinations',
    recordDestination(),
    'destination',
    '?skip_validation=true',
  );
  return { datalake, provider: tenant, source, dataset, destination };
}
