import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createPipeline,
  postgresSource,
  provider,
  recordDestination,
  stream,
  tableDataset,
} from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

let api: TestEngine;
let pipeline: Awaited<ReturnType<typeof createPipeline>>;
beforeAll(async () => {
  api = await startTestEngine();
  pipeline = await createPipeline(api);
});
afterAll(() => api.close());

type ErrorBody = {
  status: string;
  message: string;
  error: { code: string; details?: { path: string; message: string }[] };
};

const MB_STRING = 'x'.repeat(1024 * 1024);
const MANY = Array.from({ length: 10_000 }, (_, i) => i);

/** [description, method, path, body or raw text, expected status, expected path in details] */
type BadInput = [string, string, string, unknown, 400 | 404 | 413 | 422, string | null];

const cases = (): BadInput[] => {
  const source = postgresSource(pipeline.provider.id).source;
  return [
    ['malformed JSON', 'POST', '/import/sources', { raw: '{"source": {"name": ' }, 400, null],
    ['a JSON array body', 'POST', '/import/sources', { raw: '[1,2,3]' }, 400, 'source'],
    ['an empty body', 'POST', '/import/datalakes', { raw: '' }, 400, null],
    ['a body without its wrapper', 'POST', '/import/sources', source, 400, 'source'],
    [
      'a port of the wrong type',
      'POST',
      '/import/sources',
      { source: { ...source, postgres: { ...source.postgres, port: '5432' } } },
      400,
      'source.postgres.port',
    ],
    [
      'a port out of range',
      'POST',
      '/import/sources',
      { source: { ...source, postgres: { ...source.postgres, port: 70000 } } },
      400,
      'source.postgres.port',
    ],
    [
      'a name that is a number',
      'POST',
      '/import/sources',
      { source: { ...source, name: 42 } },
      400,
      'source.name',
    ],
    [
      'an unknown vendor',
      'POST',
      '/import/sources',
      { source: { ...source, vendor: 'oracle' } },
      400,
      'source.vendor',
    ],
    [
      'a missing vendor block',
      'POST',
      '/import/sources',
      { source: { name: 'x', vendor: 'postgres', provider_id: pipeline.provider.id } },
      400,
      'source.postgres',
    ],
    [
      'a missing password',
      'POST',
      '/import/sources',
      { source: { ...source, postgres: { ...source.postgres, password_auth: { username: 'u' } } } },
      400,
      'source.postgres.password_auth.password',
    ],
    [
      'a host with a scheme',
      'POST',
      '/import/sources',
      { source: { ...source, postgres: { ...source.postgres, host: 'postgres://db/x' } } },
      400,
      'source.postgres.host',
    ],
    [
      'a 1 MB name',
      'POST',
      '/import/sources',
      { source: { ...source, name: MB_STRING } },
      400,
      'source.name',
    ],
    [
      'a 1 MB host',
      'POST',
      '/import/sources',
      { source: { ...source, postgres: { ...source.postgres, host: MB_STRING } } },
      400,
      'source.postgres.host',
    ],
    [
      'a 1 MB password',
      'POST',
      '/import/sources',
      {
        source: {
          ...source,
          postgres: { ...source.postgres, password_auth: { username: 'u', password: MB_STRING } },
        },
      },
      400,
      'source.postgres.password_auth.password',
    ],
    [
      'a 1 MB SQL query',
      'POST',
      '/import/datasets',
      {
        dataset: {
          source_id: pipeline.source.id,
          method: 'sql',
          sql: { query: MB_STRING },
          type: 'dimension',
          dimension: { primary_key_column: 'id' },
        },
      },
      400,
      'dataset.sql.query',
    ],
    [
      'a 1 MB template body',
      'POST',
      '/import/destinations',
      {
        destination: {
          ...recordDestination().destination,
          webhook_record: { request_template: { uri: 'http://localhost/x', body: MB_STRING } },
        },
      },
      400,
      'destination.webhook_record.request_template.body',
    ],
    [
      '10,000 products',
      'POST',
      '/import/providers',
      { provider: { ...provider(pipeline.datalake.id).provider, products: MANY.map(String) } },
      400,
      'provider.products',
    ],
    [
      '10,000 destinations in a product',
      'POST',
      '/import/products',
      { product: { name: 'many', destinations: MANY.map(() => pipeline.destination.id) } },
      400,
      'product.destinations',
    ],
    [
      '10,000 mappings',
      'POST',
      '/import/streams',
      stream(
        pipeline.dataset.id,
        pipeline.destination.id,
        MANY.map((i) => ({ target_field: `f${i}`, field_type: 'field', column: { name: 'id' } })),
      ),
      400,
      'stream.mappings',
    ],
    [
      '10,000 webhook events',
      'POST',
      '/webhooks',
      {
        webhook: {
          vendor: 'generic_post',
          url: 'http://localhost/x',
          events: MANY.map(() => 'load.failed'),
        },
      },
      400,
      'webhook.events',
    ],
    [
      'an unknown mapping type',
      'POST',
      '/import/streams',
      stream(pipeline.dataset.id, pipeline.destination.id, [
        { target_field: 'id', field_type: 'magic' },
      ]),
      400,
      'stream.mappings.0.field_type',
    ],
    [
      'an empty target field segment',
      'POST',
      '/import/streams',
      stream(pipeline.dataset.id, pipeline.destination.id, [
        { target_field: 'a..b', field_type: 'field', column: { name: 'id' } },
      ]),
      400,
      'stream.mappings.0.target_field',
    ],
    [
      'a record_schema that is not a schema',
      'POST',
      '/import/destinations',
      {
        destination: {
          ...recordDestination({ type: 'object', properties: { id: { type: 'strin' } } })
            .destination,
        },
      },
      422,
      'destination.record_schema.properties.id.type',
    ],
    [
      'a record_schema for a non-object',
      'POST',
      '/import/destinations',
      { destination: { ...recordDestination({ type: 'string' }).destination } },
      422,
      'destination.record_schema.type',
    ],
    [
      'a record_schema of another draft',
      'POST',
      '/import/destinations',
      {
        destination: {
          ...recordDestination({
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'object',
          }).destination,
        },
      },
      422,
      'destination.record_schema.$schema',
    ],
    [
      'a record_schema that is an array',
      'POST',
      '/import/destinations',
      { destination: { ...recordDestination().destination, record_schema: [] } },
      400,
      'destination.record_schema',
    ],
    [
      'a record_schema with a dangling $ref',
      'POST',
      '/import/destinations',
      {
        destination: {
          ...recordDestination({
            type: 'object',
            properties: { a: { $ref: '#/definitions/missing' } },
          }).destination,
        },
      },
      422,
      'destination.record_schema',
    ],
    [
      'an unparsable URI template',
      'POST',
      '/import/destinations',
      {
        destination: {
          ...recordDestination().destination,
          webhook_record: {
            request_template: { uri: 'http://localhost/{{.Record.id', method: 'POST' },
          },
        },
      },
      422,
      'destination.webhook_record.request_template.uri',
    ],
    [
      'an unparsable body template',
      'POST',
      '/import/destinations',
      {
        destination: {
          ...recordDestination().destination,
          webhook_record: {
            request_template: { uri: 'http://localhost/x', body: '{{if .IsDeleted}}gone' },
          },
        },
      },
      422,
      'destination.webhook_record.request_template.body',
    ],
    [
      'an unparsable header template',
      'POST',
      '/import/destinations',
      {
        destination: {
          ...recordDestination().destination,
          webhook_record: {
            request_template: {
              uri: 'http://localhost/x',
              headers: { 'X-Tz': '{{.Record.tz | nosuchfunc}}' },
            },
          },
        },
      },
      422,
      'destination.webhook_record.request_template.headers.X-Tz',
    ],
    [
      'an invalid header name',
      'POST',
      '/import/destinations',
      {
        destination: {
          ...recordDestination().destination,
          webhook_record: {
            request_template: { uri: 'http://localhost/x', headers: { 'Bad Header': 'v' } },
          },
        },
      },
      400,
      'destination.webhook_record.request_template.headers.Bad Header',
    ],
    [
      'a URI that is not http',
      'POST',
      '/import/destinations',
      {
        destination: {
          ...recordDestination().destination,
          webhook_record: { request_template: { uri: 'file:///etc/passwd' } },
        },
      },
      422,
      'destination.webhook_record.request_template.uri',
    ],
    [
      'an unknown destination type',
      'POST',
      '/import/destinations',
      { destination: { ...recordDestination().destination, type: 'carrier_pigeon' } },
      400,
      'destination.type',
    ],
    [
      'an unknown source id',
      'POST',
      '/import/datasets',
      tableDataset('00000000-0000-7000-8000-000000000000'),
      422,
      'dataset.source_id',
    ],
    [
      'a source id that is not a UUID',
      'POST',
      '/import/datasets',
      tableDataset('users'),
      400,
      'dataset.source_id',
    ],
    [
      'an unknown dataset id',
      'POST',
      '/import/streams',
      stream('00000000-0000-7000-8000-000000000000', pipeline.destination.id),
      422,
      'stream.dataset_id',
    ],
    [
      'an unknown destination id',
      'POST',
      '/import/streams',
      stream(pipeline.dataset.id, '00000000-0000-7000-8000-000000000000'),
      422,
      'stream.destination_id',
    ],
    [
      'an unknown datalake id',
      'POST',
      '/import/providers',
      provider('00000000-0000-7000-8000-000000000000'),
      422,
      'provider.datalake_id',
    ],
    [
      'a datalake path escaping the data directory',
      'POST',
      '/import/datalakes',
      { datalake: { name: 'x', storage: 'local', local: { path: '../../etc' } } },
      400,
      'datalake.local.path',
    ],
    [
      'an absolute datalake path',
      'POST',
      '/import/datalakes',
      { datalake: { name: 'x', storage: 'local', local: { path: '/etc' } } },
      400,
      'datalake.local.path',
    ],
    [
      'an s3 datalake without its block',
      'POST',
      '/import/datalakes',
      { datalake: { name: 'x', storage: 's3' } },
      400,
      'datalake.s3',
    ],
    [
      'a provider id with a slash',
      'POST',
      '/import/providers',
      { provider: { ...provider(pipeline.datalake.id).provider, id: 'a/b' } },
      400,
      'provider.id',
    ],
    [
      'frequency below one minute',
      'POST',
      '/import/datasets',
      { dataset: { ...tableDataset(pipeline.source.id).dataset, frequency_minutes: 0 } },
      400,
      'dataset.frequency_minutes',
    ],
    [
      'a PATCH without its wrapper',
      'PATCH',
      `/import/sources/${pipeline.source.id}`,
      { name: 'x' },
      400,
      'source',
    ],
    [
      'a PATCH that breaks the shape',
      'PATCH',
      `/import/sources/${pipeline.source.id}`,
      { source: { postgres: { port: 'high' } } },
      400,
      'source.postgres.port',
    ],
    [
      'a PATCH with a 1 MB string',
      'PATCH',
      `/import/datasets/${pipeline.dataset.id}`,
      { dataset: { name: MB_STRING } },
      400,
      'dataset.name',
    ],
    [
      'JSON nested 10,000 deep',
      'POST',
      '/import/destinations',
      { raw: `{"destination":${'['.repeat(10_000)}${']'.repeat(10_000)}}` },
      400,
      null,
    ],
    [
      'a body over 8 MB',
      'POST',
      '/import/datalakes',
      { raw: JSON.stringify({ datalake: { name: 'x'.repeat(9 * 1024 * 1024) } }) },
      413,
      null,
    ],
  ];
};

describe('bad input', () => {
  test('never gets a 500: each case answers its 4xx in the error shape with the offending path', async () => {
    for (const [description, method, path, body, status, errorPath] of cases()) {
      const raw =
        typeof body === 'object' && body !== null && 'raw' in body
          ? String((body as { raw: string }).raw)
          : undefined;
      const response = await api.request<ErrorBody>(
        method,
        path,
        raw === undefined ? body : undefined,
        { rawBody: raw },
      );
      expect(response.status, `${description}: ${response.text.slice(0, 300)}`).toBe(status);
      expect(response.body.status, description).toBe('error');
      expect(response.body.error.code, description).toMatch(/^[a-z_]+$/);
      expect(response.body.message, description).not.toMatch(/\bat .*\.ts:\d+/);
      if (errorPath)
        expect(
          response.body.error.details?.map((d) => d.path),
          description,
        ).toContain(errorPath);
      // The response never echoes a huge input back.
      expect(response.text.length, description).toBeLessThan(20_000);
    }
    expect(api.logs.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  });

  test('unknown routes answer 404 in the error shape', async () => {
    const response = await api.request<ErrorBody>('GET', '/import/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('route_not_found');
  });
});
