import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  create,
  localDatalake,
  postgresSource,
  recordDestination,
  stream,
  tableDataset,
} from '@/engine/testing/fixtures';
import { countingCalls, type PlainApi, startPlainApi } from '@/engine/testing/plain-api';
import { startTestEngine, type TestEngine } from '@/engine/testing/test-engine';
import { uuidv7 } from '@/engine/store/uuid';
import type { TenantOverview } from './load-overview';

vi.mock('server-only', () => ({}));
// The console's pages check the session; here the loader is called as a signed-in support page would.
vi.mock('@/lib/actions/support-guard', () => ({
  supportLoader:
    (load: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) =>
      load({ role: 'support' }, ...args),
}));

/** The overview loader as the app loads it, configured for one API (fresh modules: env and capability caches are per module). */
async function connect(url: string, key: string) {
  vi.resetModules();
  vi.stubEnv('PREQUEL_API_URL', url);
  vi.stubEnv('PREQUEL_API_KEY', key);
  (await import('@/lib/env')).getServerEnv();
  return import('./load-overview');
}

let engine: TestEngine;
/** The engine behind an API that documents none of its extensions, as the hosted API answers. */
let plain: PlainApi;
let plainUrl: string;
const prefix = `Overview ${randomBytes(3).toString('hex')}`;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function tenantWithPipeline(
  name: string,
  load: { status: 'succeeded' | 'failed'; error?: Record<string, string> },
) {
  const lake = await create(engine, '/import/datalakes', localDatalake(), 'datalake');
  const provider = await create(
    engine,
    '/import/providers',
    {
      provider: {
        id: `t-${randomBytes(4).toString('hex')}`,
        name,
        datalake_id: lake.id,
        products: ['all'],
      },
    },
    'provider',
  );
  const source = await create(engine, '/import/sources', postgresSource(provider.id), 'source');
  const dataset = await create(engine, '/import/datasets', tableDataset(source.id), 'dataset');
  const destination = await create(
    engine,
    '/import/destinations',
    recordDestination(),
    'destination',
    '?skip_validation=true',
  );
  const created = await create(
    engine,
    '/import/streams',
    stream(dataset.id, destination.id),
    'stream',
    '?skip_validation=true',
  );
  const db = engine.engine.db;
  await db.query(
    `insert into extracts (id, dataset_id, status, submitted_at, started_at, ended_at) values ($1, $2, 'succeeded', $3, $3, $4)`,
    [uuidv7(), dataset.id, ago(6), ago(5)],
  );
  await db.query(
    `insert into loads (id, stream_id, status, submitted_at, started_at, ended_at, records_errored, error) values ($1, $2, $3, $4, $4, $5, $6, $7)`,
    [
      uuidv7(),
      created.id,
      load.status,
      ago(4),
      ago(3),
      load.status === 'failed' ? 20 : 0,
      load.error
        ? JSON.stringify({
            title: 'The load failed',
            documentation_url: '',
            trace: '',
            ...load.error,
          })
        : null,
    ],
  );
  return { providerId: provider.id, streamName: String(created.name) };
}

let failingId: string;
let failingStream: string;
let healthyId: string;
beforeAll(async () => {
  engine = await startTestEngine();
  const lake = await create(engine, '/import/datalakes', localDatalake(), 'datalake');
  for (let n = 1; n <= 28; n++) {
    await create(
      engine,
      '/import/providers',
      {
        provider: {
          id: `t-${randomBytes(4).toString('hex')}`,
          name: `${prefix} new ${String(n).padStart(2, '0')}`,
          datalake_id: lake.id,
          products: ['all'],
        },
      },
      'provider',
    );
  }
  ({ providerId: failingId, streamName: failingStream } = await tenantWithPipeline(
    `${prefix} failing`,
    {
      status: 'failed',
      error: {
        error_code: 'destination_unavailable',
        blame: 'destination',
        message: '20 record(s) not delivered: the endpoint answered 503.',
      },
    },
  ));
  ({ providerId: healthyId } = await tenantWithPipeline(`${prefix} healthy`, {
    status: 'succeeded',
  }));

  plain = await startPlainApi(engine.baseUrl);
  plainUrl = plain.url;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await plain?.close();
  await engine?.close();
});

/** The overview's data, and how many calls it made to the API. */
async function overviewWithCalls(
  loader: Awaited<ReturnType<typeof connect>>,
  apiUrl: string,
  query: Parameters<typeof loader.overviewQuery>[0],
) {
  const { result, calls } = await countingCalls(apiUrl, () =>
    loader.loadOverview(loader.overviewQuery(query)),
  );
  if (!result.ok) throw new Error(`expected an overview, got ${JSON.stringify(result.error)}`);
  return { overview: result.data, calls };
}

const healthById = (overview: TenantOverview) =>
  new Map(overview.tenants.map((tenant) => [tenant.id, tenant.health]));

describe('the support overview', () => {
  let summaries: TenantOverview[];

  it('reads a page of tenants from the status summaries in at most three calls, and pages with cursors', async () => {
    const loader = await connect(engine.baseUrl, engine.apiKey);
    const first = await overviewWithCalls(loader, engine.baseUrl, {
      q: prefix.toUpperCase(),
      size: '25',
    });
    expect(first.overview).toMatchObject({
      source: 'summaries',
      complete: true,
      previousCursor: null,
      counts: { failing: 1, degraded: 0, onboarding_incomplete: 28, healthy: 1 },
    });
    expect(first.overview.tenants).toHaveLength(25);
    expect(first.overview.tenants[0]).toMatchObject({
      id: failingId,
      health: {
        health: 'failing',
        reasons: [`Stream ${failingStream}: The service's endpoint is failing (HTTP 503)`],
      },
    });
    expect(first.overview.tenants.slice(1).map((tenant) => tenant.name)).toEqual(
      Array.from(
        { length: 24 },
        (_, index) => `${prefix} new ${String(index + 1).padStart(2, '0')}`,
      ),
    );
    expect(first.calls.length).toBeLessThanOrEqual(3);
    expect(
      first.overview.groups.find((group) => group.code === 'destination_unavailable')?.tenants,
    ).toEqual([{ id: failingId, name: `${prefix} failing` }]);
    // Support reads the failure in words, not its code.
    expect(
      first.overview.groups.find((group) => group.code === 'destination_unavailable')?.title,
    ).toBe("The service's endpoint is failing (HTTP 503)");

    const second = await overviewWithCalls(loader, engine.baseUrl, {
      q: prefix,
      size: '25',
      cursor: first.overview.nextCursor!,
    });
    expect(second.overview.tenants.map((tenant) => tenant.name)).toEqual([
      ...[25, 26, 27, 28].map((n) => `${prefix} new ${n}`),
      `${prefix} healthy`,
    ]);
    expect(second.overview).toMatchObject({ nextCursor: null, previousCursor: expect.any(String) });
    expect(second.calls).toEqual([
      '/import/status/providers?search=' +
        encodeURIComponent(prefix).replace(/%20/g, '+') +
        '&page_size=25&cursor=' +
        first.overview.nextCursor,
    ]);
    summaries = [first.overview, second.overview];
  });

  it('falls back to each tenant’s objects against an API without the summaries, and judges every tenant alike', async () => {
    const loader = await connect(plainUrl, engine.apiKey);
    const { overview, calls } = await overviewWithCalls(loader, plainUrl, {
      q: prefix,
      size: '25',
    });
    expect(overview).toMatchObject({
      source: 'per_tenant',
      complete: true,
      nextCursor: null,
      previousCursor: null,
      counts: { failing: 1, degraded: 0, onboarding_incomplete: 28, healthy: 1 },
    });
    expect(overview.tenants).toHaveLength(30);
    expect(calls.some((call) => call.startsWith('/import/status/'))).toBe(false);
    expect(healthById(overview)).toEqual(
      new Map([...healthById(summaries[0]!), ...healthById(summaries[1]!)]),
    );
    expect(healthById(overview).get(healthyId)).toMatchObject({ health: 'healthy', reasons: [] });
    expect(
      overview.groups.find((group) => group.code === 'destination_unavailable')?.tenants,
    ).toEqual([{ id: failingId, name: `${prefix} failing` }]);
    expect(overview.groups.find((group) => group.code === 'destination_unavailable')?.title).toBe(
      "The service's endpoint is failing (HTTP 503)",
    );

    const failing = await overviewWithCalls(loader, plainUrl, { q: prefix, health: 'failing' });
    expect(failing.overview.tenants.map((tenant) => tenant.id)).toEqual([failingId]);
  });
});
