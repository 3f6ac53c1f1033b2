import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  create,
  createPipeline,
  localDatalake,
  postgresSource,
  provider,
  recordDestination,
  stream,
  tableDataset,
  unique,
} from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

let api: TestEngine;
let pipeline: Awaited<ReturnType<typeof createPipeline>>;

beforeAll(async () => {
  api = await startTestEngine();
  pipeline = await createPipeline(api);
});
afterAll(() => api.close());

type Body = Record<string, unknown>;
type Case = {
  key: string;
  plural: string;
  path: string;
  body: () => Promise<Body> | Body;
  patch: Body;
  expectAfterPatch: Body;
  query?: string;
};

const cases: Case[] = [
  {
    key: 'datalake',
    plural: 'datalakes',
    path: '/import/datalakes',
    body: localDatalake,
    patch: { retention_window_days: 14 },
    expectAfterPatch: { retention_window_days: 14 },
  },
  {
    key: 'provider',
    plural: 'providers',
    path: '/import/providers',
    body: () => provider(pipeline.datalake.id),
    patch: { name: 'Renamed Tenant' },
    expectAfterPatch: { name: 'Renamed Tenant', products: ['all'] },
  },
  {
    key: 'product',
    plural: 'products',
    path: '/import/products',
    body: () => ({ product: { name: unique('product'), destinations: [pipeline.destination.id] } }),
    patch: { destinations: [] },
    expectAfterPatch: { destinations: [] },
  },
  {
    key: 'source',
    plural: 'sources',
    path: '/import/sources',
    body: () => postgresSource(pipeline.provider.id),
    patch: {
      postgres: { port: 6543, password_auth: { password: 'entered-again-for-the-new-port' } },
    },
    expectAfterPatch: {
      postgres: expect.objectContaining({
        port: 6543,
        host: 'db.acme.example.com',
        username: 'prequel',
      }),
    },
  },
  {
    key: 'dataset',
    plural: 'datasets',
    path: '/import/datasets',
    body: () => tableDataset(pipeline.source.id, 'accounts'),
    patch: { frequency_minutes: 5 },
    expectAfterPatch: { frequency_minutes: 5, name: 'accounts' },
  },
  {
    key: 'destination',
    plural: 'destinations',
    path: '/import/destinations',
    query: '?skip_validation=true',
    body: () => recordDestination(),
    patch: { max_records_per_minute: 60 },
    expectAfterPatch: { max_records_per_minute: 60, max_concurrency: 1 },
  },
  {
    key: 'stream',
    plural: 'streams',
    path: '/import/streams',
    body: () => stream(pipeline.dataset.id, pipeline.destination.id),
    patch: { is_enabled: false },
    expectAfterPatch: { is_enabled: false, is_valid: true },
  },
  {
    key: 'webhook',
    plural: 'webhooks',
    path: '/webhooks',
    body: () => ({
      webhook: { vendor: 'generic_post', url: 'http://127.0.0.1:9/hook', events: ['load.failed'] },
    }),
    patch: { events: ['extract.failed'] },
    expectAfterPatch: { events: ['extract.failed'] },
  },
];

describe.each(cases)(
  '$plural',
  ({ key, plural, path, body, patch, expectAfterPatch, query = '' }) => {
    test('create, get, list, patch and delete, each in the contract envelope and audited', async () => {
      const created = await api.request<{
        status: string;
        message: string;
        data: Record<string, Body & { id: string; created_at: string }>;
      }>('POST', `${path}${query}`, await body());
      expect(created.status, created.text).toBe(200);
      expect(created.body).toMatchObject({ status: 'success', message: expect.any(String) });
      const object = created.body.data[key]!;
      expect(object.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);

      const fetched = await api.request<{ data: Record<string, Body> }>(
        'GET',
        `${path}/${object.id}`,
      );
      expect(fetched.status).toBe(200);
      expect(fetched.body.data[key]).toEqual(object);

      const listed = await api.request<{
        data: Record<string, Body[]>;
        has_next: boolean;
        next_url: string | null;
      }>('GET', `${path}?page_size=100`);
      expect(listed.status).toBe(200);
      expect(listed.body.data[plural]!.map((item) => item.id)).toContain(object.id);
      expect(listed.body).toMatchObject({ status: 'success', has_next: false, next_url: null });

      const patched = await api.request<{ data: Record<string, Body> }>(
        'PATCH',
        `${path}/${object.id}${query}`,
        { [key]: patch },
      );
      expect(patched.status, patched.text).toBe(200);
      expect(patched.body.data[key]).toMatchObject(expectAfterPatch);
      expect(patched.body.data[key]!.updated_at).not.toBe(object.updated_at);

      const deleted = await api.request<{ data: Record<string, Body> }>(
        'DELETE',
        `${path}/${object.id}`,
      );
      expect(deleted.status, deleted.text).toBe(200);
      expect((await api.request('GET', `${path}/${object.id}`)).status).toBe(404);

      const logs = await api.request<{
        data: {
          logs: {
            event_type: string;
            object: Body | null;
            previous_object: Body | null;
            actor: Body;
          }[];
        };
      }>(
        'GET',
        `/logs?resource_id=${encodeURIComponent(String(object.id))}&order=asc&page_size=10`,
      );
      const entries = logs.body.data.logs;
      expect(entries.map((entry) => entry.event_type.replace(/^.*_/, ''))).toEqual([
        'ADD',
        'UPDATE',
        'DELETE',
      ]);
      expect(entries[0]).toMatchObject({
        object,
        previous_object: null,
        actor: { type: 'api_key' },
      });
      expect(entries[1]!.previous_object).toEqual(object);
      expect(entries[1]!.object).toMatchObject(expectAfterPatch);
      expect(entries[2]!.object).toBeNull();
    });

    test('unknown ids answer 404 in the error shape', async () => {
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const response = await api.request<{ status: string; error: { code: string } }>(
          method,
          `${path}/00000000-0000-7000-8000-000000000000`,
          method === 'PATCH' ? { [key]: {} } : undefined,
        );
        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({ status: 'error', error: { code: 'not_found' } });
      }
    });
  },
);

describe('pagination', () => {
  test('follows next_url across three pages in both orders without repeats or gaps', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push((await create(api, '/import/datalakes', localDatalake(), 'datalake')).id);
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let url: string | null = `/import/datalakes?page_size=3&order=${order}`;
      let pages = 0;
      while (url) {
        const page: {
          status: number;
          body: {
            data: { datalakes: { id: string }[] };
            has_next: boolean;
            next_url: string | null;
          };
        } = await api.request('GET', url);
        expect(page.status).toBe(200);
        seen.push(...page.body.data.datalakes.map((lake) => lake.id));
        expect(page.body.has_next).toBe(page.body.next_url !== null);
        url = page.body.next_url;
        pages++;
      }
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(new Set(seen).size).toBe(seen.length);
      const ours = seen.filter((id) => ids.includes(id));
      expect(ours).toEqual(order === 'asc' ? ids : [...ids].reverse());
    }
  });

  test('defaults to 10 per page, newest first', async () => {
    for (let i = 0; i < 11; i++)
      await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const response = await api.request<{
      data: { datalakes: { created_at: string }[] };
      has_next: boolean;
    }>('GET', '/import/datalakes');
    expect(response.body.data.datalakes).toHaveLength(10);
    expect(response.body.has_next).toBe(true);
    const times = response.body.data.datalakes.map((lake) => lake.created_at);
    expect(times).toEqual([...times].sort().reverse());
  });

  test('rejects page sizes outside 1-100 and forged cursors with 400', async () => {
    for (const query of [
      'page_size=0',
      'page_size=101',
      'page_size=abc',
      'order=sideways',
      'cursor=not-a-cursor',
      `cursor=${Buffer.from('{"t":"yesterday","i":"x"}').toString('base64url')}`,
    ]) {
      const response = await api.request<{ error: { code: string; details?: { path: string }[] } }>(
        'GET',
        `/import/datalakes?${query}`,
      );
      expect(response.status, query).toBe(400);
    }
  });

  test('filters sources, datasets and streams by provider', async () => {
    const other = await createPipeline(api);
    for (const plural of ['sources', 'datasets']) {
      const response = await api.request<{ data: Record<string, { provider_id: string }[]> }>(
        'GET',
        `/import/${plural}?provider_id=${other.provider.id}&page_size=100`,
      );
      expect(response.body.data[plural]!.length).toBeGreaterThan(0);
      expect(new Set(response.body.data[plural]!.map((item) => item.provider_id))).toEqual(
        new Set([other.provider.id]),
      );
    }
    await create(api, '/import/streams', stream(other.dataset.id, other.destination.id), 'stream');
    const streams = await api.request<{ data: { streams: { provider_id: string }[] } }>(
      'GET',
      `/import/streams?provider_id=${other.provider.id}`,
    );
    expect(streams.body.data.streams).toHaveLength(1);
  });
});

describe('the audit log', () => {
  test('filters by event type and min_time, and returns single entries', async () => {
    const before = Math.floor(Date.now() / 1000) - 1;
    await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const response = await api.request<{ data: { logs: { id: string; event_type: string }[] } }>(
      'GET',
      `/logs?event_type=IMPORT_DATALAKE_ADD&min_time=${before}&page_size=100`,
    );
    expect(response.status).toBe(200);
    expect(response.body.data.logs.length).toBeGreaterThan(0);
    expect(new Set(response.body.data.logs.map((log) => log.event_type))).toEqual(
      new Set(['IMPORT_DATALAKE_ADD']),
    );
    const single = await api.request<{ data: { log: { id: string } } }>(
      'GET',
      `/logs/${response.body.data.logs[0]!.id}`,
    );
    expect(single.body.data.log.id).toBe(response.body.data.logs[0]!.id);
    expect((await api.request('GET', '/logs/nope')).status).toBe(404);
    expect((await api.request('GET', '/logs?min_time=tomorrowish')).status).toBe(400);
  });
});
