import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { create, localDatalake, provider } from '../testing/fixtures';
import { extractNow } from '../testing/extract-fixtures';
import { loadAndWait } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { createApp } from './create-app';
import { isExtension, type JsonSchema, withoutExtensions } from './strict-prequel';

// ENGINE_STRICT_PREQUEL: the engine as the hosted API is documented, so the app's promise to work
// against it can be tested. A strict engine and a full one share a database: the same objects,
// read through both, differ by exactly the extensions.

// The documented routes (shared/research/prequel-import-api.md §3.1, the CRUD of §3.2), and the
// engine's own plumbing that is not an API of its own: its liveness probe, and the signed download
// of a local datalake's artifact that stands in for a bucket's presigned URL.
const CRUD = ['datalakes', 'providers', 'products', 'destinations', 'sources', 'datasets']
  .concat('streams')
  .map((plural) => `/import/${plural}`)
  .concat('/webhooks')
  .flatMap((base) => [
    `post ${base}`,
    `get ${base}`,
    ...['get', 'patch', 'delete'].map((method) => `${method} ${base}/{id}`),
  ]);
const DOCUMENTED = new Set([
  'get /',
  ...CRUD,
  'post /import/test-source',
  'post /import/sources/{id}/test-source',
  'post /import/sources/{id}/get-schema',
  'post /import/datasets/{id}/extract',
  'post /import/datasets/{id}/random-sample',
  'get /import/datasets/{id}/records/{record_id}',
  'get /import/extracts',
  'get /import/extracts/{id}',
  'post /import/test-stream',
  'post /import/streams/{id}/test-transform',
  'post /import/streams/{id}/load',
  'get /import/loads',
  'get /import/loads/{id}',
  'get /public/signatures/webhook-public-key',
  'get /logs',
  'get /logs/{id}',
]);
const PLUMBING = ['get /healthz', 'get /public/artifacts/{datalake_id}/{key}'];

type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      {
        summary: string;
        responses: Record<string, { content?: { 'application/json': { schema: JsonSchema } } }>;
      }
    >
  >;
};

let source: SourceDatabase;
let strict: TestEngine;
let full: TestEngine;
let openApi: OpenApi;
let receiver: http.Server;
let receiverUrl: string;

beforeAll(async () => {
  source = await createSourceDatabase();
  await source.client.query(
    'create table people (id bigint primary key, email text, updated_at timestamptz not null)',
  );
  await source.client.query(
    `insert into people select id, 'p' || id || '@example.com', '2026-01-01'::timestamptz ` +
      `from generate_series(1, 20) as id`,
  );
  const encryptionKey = randomBytes(32);
  strict = await startTestEngine({
    strictPrequel: true,
    encryptionKey,
    jobs: { extract: { lagSeconds: 0 } },
  });
  full = await startTestEngine({
    database: strict.database,
    encryptionKey,
    context: { dataDir: strict.engine.dataDir },
  });
  // The full engine's own document lists every route, with the extensions marked.
  openApi = createApp(strict.engine, { apiKeys: [] }).openApi as OpenApi;
  receiver = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/records`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await full.close();
  await strict.close();
  await source.drop();
});

const routes = () =>
  Object.entries(openApi.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      route: `${method} ${path}`,
      method,
      path,
      operation,
    })),
  );

/** A request to the route with made-up ids: enough to tell a missing route from a missing object. */
const probe = (api: TestEngine, method: string, path: string) =>
  api.request<{ error?: { code: string } }>(
    method.toUpperCase(),
    path.replace(/\{[a-z_]+\}/g, '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'),
    method === 'get' || method === 'delete' ? undefined : {},
  );

describe('a strict engine', () => {
  test('serves the documented routes and its plumbing, and no other', async () => {
    const served = routes().filter(({ operation }) => !isExtension(operation.summary));
    expect(served.map(({ route }) => route).sort()).toEqual([...DOCUMENTED, ...PLUMBING].sort());
    for (const { route, method, path } of routes()) {
      const answer = await probe(strict, method, path);
      if (DOCUMENTED.has(route) || PLUMBING.includes(route)) {
        expect(answer.body.error?.code, route).not.toBe('route_not_found');
      } else {
        expect([answer.status, answer.body.error?.code], route).toEqual([404, 'route_not_found']);
        // The full engine serves it.
        expect((await probe(full, method, path)).body.error?.code, route).not.toBe(
          'route_not_found',
        );
      }
    }
  });

  test('answers 404 for its OpenAPI document, as the hosted API does', async () => {
    const response = await fetch(`${strict.baseUrl}/openapi.json`);
    expect(response.status).toBe(404);
    expect((await fetch(`${full.baseUrl}/openapi.json`)).status).toBe(200);
  });

  test('runs the documented journey and answers without the extensions', async () => {
    const lake = await create(strict, '/import/datalakes', localDatalake(), 'datalake');
    const tenant = await create(strict, '/import/providers', provider(lake.id), 'provider');
    const candidate = {
      name: 'people',
      vendor: 'postgres',
      provider_id: tenant.id,
      postgres: source.postgres,
    };
    const tested = await strict.request<{ data: Record<string, unknown> }>(
      'POST',
      '/import/test-source',
      { source: candidate },
    );
    expect(tested.body.data).toEqual({ code: 'success', message: expect.any(String) });
    const fullyTested = await full.request<{ data: Record<string, unknown> }>(
      'POST',
      '/import/test-source',
      { source: candidate },
    );
    expect(fullyTested.body.data.checks).toHaveLength(5);

    const saved = await create(strict, '/import/sources', { source: candidate }, 'source');
    const dataset = await create(
      strict,
      '/import/datasets',
      {
        dataset: {
          source_id: saved.id,
          method: 'table',
          table: { source_table_namespace: 'public', source_table_name: 'people' },
          type: 'dimension',
          dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
        },
      },
      'dataset',
    );
    expect(dataset).not.toHaveProperty('schema_drift');
    const extract = await extractNow(strict, dataset.id);
    expect(extract.records_new_inserted).toBe(20);
    expect(extract).not.toHaveProperty('progress');
    expect(extract).not.toHaveProperty('full_refresh');
    const fullExtract = await full.request<{ data: { extract: object } }>(
      'GET',
      `/import/extracts/${extract.id}`,
    );
    expect(fullExtract.body.data.extract).toHaveProperty('progress');

    // Ids of one character only: records 10 to 20 fail the schema.
    const destination = await create(
      strict,
      '/import/destinations',
      {
        destination: {
          name: 'people endpoint',
          type: 'webhook_record',
          record_schema: {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'string', maxLength: 1 } },
          },
          webhook_record: { request_template: { method: 'POST', uri: receiverUrl } },
        },
      },
      'destination',
    );
    const stream = await create(
      strict,
      '/import/streams',
      {
        stream: {
          name: 'people',
          dataset_id: dataset.id,
          destination_id: destination.id,
          is_enabled: false,
          mappings: [{ target_field: 'id', field_type: 'field', column: { name: 'id' } }],
        },
      },
      'stream',
    );
    expect(stream).not.toHaveProperty('retry');
    const preview = { record_ids: ['5', '15'] };
    const strictPreview = await strict.request<{ data: Record<string, unknown> }>(
      'POST',
      `/import/streams/${stream.id}/test-transform`,
      preview,
    );
    expect(strictPreview.status, strictPreview.text).toBe(200);
    // Record 15 fails the schema: left out, and (ext) said why only by the full engine.
    expect(strictPreview.body.data.records).toEqual([expect.objectContaining({ id: '5' })]);
    expect(strictPreview.body.data).not.toHaveProperty('errors');
    const fullPreview = await full.request<{ data: { errors: unknown[] } }>(
      'POST',
      `/import/streams/${stream.id}/test-transform`,
      preview,
    );
    expect(fullPreview.status, fullPreview.text).toBe(200);
    expect(fullPreview.body.data.errors).toEqual([
      expect.objectContaining({ record_id: '15', stage: 'validate_schema' }),
    ]);

    const load = await loadAndWait(strict, stream.id);
    expect(load).toMatchObject({ status: 'succeeded', records_loaded: 9, records_errored: 11 });
    expect(load).not.toHaveProperty('cancel_requested_at');
  });

  test('leaves every extension out of what it answers, list and object alike', async () => {
    const reads = routes().filter(
      ({ method, path, operation }) =>
        method === 'get' &&
        !isExtension(operation.summary) &&
        /^\/(import|logs|webhooks)/.test(path),
    );
    const lists = reads.filter(({ path }) => !path.includes('{'));
    let extendedInFull = 0;
    for (const { route, path, operation } of lists) {
      const read = await strict.request<{ data: Record<string, Array<{ id: string }>> }>(
        'GET',
        path,
      );
      expect(read.status, route).toBe(200);
      const schemaOf = (of: typeof operation) =>
        of.responses['200']!.content!['application/json'].schema;
      expect(withoutExtensions(read.body, schemaOf(operation)).extensions, route).toEqual([]);
      extendedInFull += withoutExtensions(
        (await full.request('GET', path)).body,
        schemaOf(operation),
      ).extensions.length;
      // The object the list's first item is.
      const first = Object.values(read.body.data)[0]?.[0];
      const one = reads.find((each) => each.path === `${path}/{id}`);
      if (!first || !one) continue;
      const object = await strict.request('GET', `${path}/${first.id}`);
      expect(object.status, one.route).toBe(200);
      expect(withoutExtensions(object.body, schemaOf(one.operation)).extensions, one.route).toEqual(
        [],
      );
    }
    // The full engine's answers to the same reads carry extensions: the lists are not empty of them.
    expect(extendedInFull).toBeGreaterThan(5);
  });

  test('refuses the extensions of a request, and the full engine takes them', async () => {
    const lists = await strict.request<{ error: { code: string; details: unknown[] } }>(
      'GET',
      '/import/sources?provider_id=acme',
    );
    expect(lists.status).toBe(400);
    expect(lists.body.error).toEqual({
      code: 'not_in_prequel_api',
      details: [{ path: 'provider_id', message: 'is not part of the Prequel Import API' }],
    });
    expect((await full.request('GET', '/import/sources?provider_id=acme')).status).toBe(200);

    const datasets = await strict.request<{ data: { datasets: Array<{ id: string }> } }>(
      'GET',
      '/import/datasets',
    );
    const datasetId = datasets.body.data.datasets[0]!.id;
    const refresh = await strict.request<{ error: { code: string } }>(
      'POST',
      `/import/datasets/${datasetId}/extract`,
      { full_refresh: true },
    );
    expect([refresh.status, refresh.body.error.code]).toEqual([400, 'not_in_prequel_api']);
  });
});

describe('withoutExtensions', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      kept: { type: 'string' },
      added: { description: '(ext) ours', type: 'string' },
      items: {
        type: 'array',
        items: {
          anyOf: [
            { type: 'object', properties: { deep: { description: '(ext) deeper' } } },
            { type: 'null' },
          ],
        },
      },
    },
  };

  test('drops marked fields at any depth, keeps the rest and names what it dropped', () => {
    expect(
      withoutExtensions(
        { kept: 'a', added: 'b', undeclared: 1, items: [{ deep: 1, other: 2 }, null] },
        schema,
      ),
    ).toEqual({
      value: { kept: 'a', undeclared: 1, items: [{ other: 2 }, null] },
      extensions: ['added', 'items[0].deep'],
    });
  });
});
