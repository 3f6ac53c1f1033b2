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

vi.mock('server-only', () => ({}));

/** The status loader as the app loads it, configured for one API (fresh modules: env and capability caches are per module). */
async function connect(url: string, key: string) {
  vi.resetModules();
  vi.stubEnv('PREQUEL_API_URL', url);
  vi.stubEnv('PREQUEL_API_KEY', key);
  return import('./load-status');
}

let engine: TestEngine;
let plain: PlainApi;
let providerId: string;
const TABLES = 4;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

beforeAll(async () => {
  engine = await startTestEngine();
  const db = engine.engine.db;
  const lake = await create(engine, '/import/datalakes', localDatalake(), 'datalake');
  const body = {
    id: `t-${randomBytes(4).toString('hex')}`,
    name: 'Status tenant',
    datalake_id: lake.id,
    products: ['all'],
  };
  providerId = (await create(engine, '/import/providers', { provider: body }, 'provider')).id;
  const source = await create(engine, '/import/sources', postgresSource(providerId), 'source');
  const destination = await create(
    engine,
    '/import/destinations',
    recordDestination(),
    'destination',
    '?skip_validation=true',
  );
  for (let table = 0; table < TABLES; table++) {
    const dataset = await create(
      engine,
      '/import/datasets',
      tableDataset(source.id, `table_${table}`),
      'dataset',
    );
    const created = await create(
      engine,
      '/import/streams',
      stream(dataset.id, destination.id),
      'stream',
      '?skip_validation=true',
    );
    for (let run = 0; run < 3; run++) {
      const [submitted, ended] = [ago(60 - run * 10 - table), ago(59 - run * 10 - table)];
      await db.query(
        `insert into extracts (id, dataset_id, status, submitted_at, started_at, ended_at) values ($1, $2, 'succeeded', $3, $3, $4)`,
        [uuidv7(), dataset.id, submitted, ended],
      );
      await db.query(
        `insert into loads (id, stream_id, status, submitted_at, started_at, ended_at) values ($1, $2, 'succeeded', $3, $3, $4)`,
        [uuidv7(), created.id, submitted, ended],
      );
    }
  }
  plain = await startPlainApi(engine.baseUrl);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await plain?.close();
  await engine?.close();
});

describe("a tenant's status", () => {
  it('is read in one call per poll from the summary, and reads the same from the documented lists', async () => {
    const fromEngine = await connect(engine.baseUrl, engine.apiKey);
    const first = await countingCalls(engine.baseUrl, () =>
      fromEngine.loadProviderStatus(providerId),
    );
    const poll = await countingCalls(engine.baseUrl, () =>
      fromEngine.loadProviderStatus(providerId),
    );
    if (!first.result.ok || !poll.result.ok) throw new Error('expected the status');
    expect(first.calls).toEqual([
      '/openapi.json',
      `/import/providers/${providerId}/status?history=20`,
    ]);
    expect(poll.calls).toEqual([`/import/providers/${providerId}/status?history=20`]);
    const summary = first.result.data;
    expect(summary.datasets).toHaveLength(TABLES);
    expect(summary.streams).toHaveLength(TABLES);
    expect(summary.datasets.every((dataset) => dataset.extracts.length === 3)).toBe(true);
    expect(summary.provider).toMatchObject({ id: providerId, name: 'Status tenant' });

    const fromPlain = await connect(plain.url, engine.apiKey);
    const lists = await countingCalls(plain.url, () => fromPlain.loadProviderStatus(providerId));
    if (!lists.result.ok) throw new Error('expected the status');
    expect(lists.calls.length).toBeGreaterThan(2 * TABLES);
    const comparable = ({
      readAt: _readAt,
      provider: _provider,
      features: _features,
      ...rest
    }: typeof summary) => rest;
    expect(comparable(lists.result.data)).toEqual(comparable(summary));
    expect(lists.result.data.provider).toBeNull();
  });

  it('answers not found for a tenant that does not exist', async () => {
    const loader = await connect(engine.baseUrl, engine.apiKey);
    const missing = await loader.loadProviderStatus('t-missing');
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
