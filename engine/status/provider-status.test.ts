import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { ProviderStatusResponseSchema } from '../../lib/prequel/contract/provider-status';
import { create, createPipeline, stream, tableDataset } from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { uuidv7 } from '../store/uuid';

let api: TestEngine;
beforeAll(async () => {
  api = await startTestEngine();
});
afterAll(() => api.close());

type Body = {
  data: Record<string, Record<string, unknown> & { extracts?: unknown[]; loads?: unknown[] }>;
};

/** A provider with `datasets` datasets, each streamed to the pipeline's destination, with `extracts` finished extracts each. */
async function tenantWith(datasets: number, extracts: number) {
  const pipeline = await createPipeline(api);
  const datasetIds = [pipeline.dataset.id];
  for (let n = 1; n < datasets; n++)
    datasetIds.push(
      (
        await create(
          api,
          '/import/datasets',
          tableDataset(pipeline.source.id, `table_${n}`),
          'dataset',
        )
      ).id,
    );
  const streamIds: string[] = [];
  for (const datasetId of datasetIds) {
    const created = await create(
      api,
      '/import/streams',
      stream(datasetId, pipeline.destination.id),
      'stream',
      '?skip_validation=true',
    );
    streamIds.push(created.id);
    for (let n = 0; n < extracts; n++) {
      await api.engine.db.query(
        `insert into extracts (id, dataset_id, status, submitted_at, started_at, ended_at, records_processed) values ($1, $2, 'succeeded', now() - $3 * interval '1 hour', now() - $3 * interval '1 hour', now() - $3 * interval '1 hour' + interval '1 minute', $4)`,
        [uuidv7(), datasetId, extracts - n, n],
      );
    }
    await api.engine.db.query(
      `insert into loads (id, stream_id, status, submitted_at, ended_at, records_loaded) values ($1, $2, 'succeeded', now(), now(), 7)`,
      [uuidv7(), created.id],
    );
  }
  return { ...pipeline, datasetIds, streamIds };
}

async function statusOf(providerId: string, query = '') {
  const response = await api.request<Body>('GET', `/import/providers/${providerId}/status${query}`);
  expect(response.status, response.text).toBe(200);
  expect(ProviderStatusResponseSchema.safeParse(response.body).error).toBeUndefined();
  return response.body.data.provider_status as unknown as {
    provider: { id: string };
    sources: Record<string, unknown>[];
    datasets: (Record<string, unknown> & { id: string; extracts: { id: string }[] })[];
    streams: (Record<string, unknown> & {
      id: string;
      loads: unknown[];
      destination_name: string;
      retry: unknown;
    })[];
  };
}

describe('GET /import/providers/{id}/status', () => {
  test('answers each object as its own endpoint does, with the newest jobs as the job lists answer them', async () => {
    const tenant = await tenantWith(2, 25);
    await tenantWith(1, 1);
    // One record the endpoint could not take yet waits for its retry.
    await api.engine.db.query(
      `insert into stream_records (stream_id, record_id, version, status) values ($1, '42', 1, 'retry')`,
      [tenant.streamIds[0]],
    );
    await api.engine.db.query(
      `insert into stream_state (stream_id, next_retry_at) values ($1, now() + interval '5 minutes')`,
      [tenant.streamIds[0]],
    );

    const status = await statusOf(tenant.provider.id);
    const read = async (path: string, key: string) =>
      (await api.request<Body>('GET', path)).body.data[key];
    expect(status.provider).toEqual(
      await read(`/import/providers/${tenant.provider.id}`, 'provider'),
    );
    expect(status.sources).toEqual([await read(`/import/sources/${tenant.source.id}`, 'source')]);
    expect(status.datasets.map((dataset) => dataset.id)).toEqual([...tenant.datasetIds].reverse());
    for (const { extracts, ...dataset } of status.datasets) {
      expect(dataset).toEqual(await read(`/import/datasets/${dataset.id}`, 'dataset'));
      expect(extracts).toEqual(
        await read(`/import/extracts?dataset_id=${dataset.id}&page_size=20&order=desc`, 'extracts'),
      );
      expect(extracts).toHaveLength(20);
    }
    expect(status.streams.map((stream) => stream.id)).toEqual([...tenant.streamIds].reverse());
    for (const { loads, destination_name, ...stream } of status.streams) {
      expect(stream).toEqual(await read(`/import/streams/${stream.id}`, 'stream'));
      expect(loads).toEqual(
        await read(`/import/loads?stream_id=${stream.id}&page_size=20&order=desc`, 'loads'),
      );
      expect(destination_name).toBe(tenant.destination.name);
    }
    expect(status.streams.find((stream) => stream.id === tenant.streamIds[0])?.retry).toEqual({
      records_waiting: 1,
      next_retry_at: expect.any(String),
    });

    const short = await statusOf(tenant.provider.id, '?history=3');
    expect(short.datasets[0]!.extracts.map((extract) => extract.id)).toEqual(
      status.datasets[0]!.extracts.slice(0, 3).map((extract) => extract.id),
    );
  });

  test('reads the same number of times whatever the number of datasets and streams', async () => {
    const small = await tenantWith(1, 2);
    const large = await tenantWith(6, 2);
    const queries = async (providerId: string) => {
      const spy = vi.spyOn(api.engine.db, 'query');
      try {
        await statusOf(providerId);
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const forSmall = await queries(small.provider.id);
    expect(forSmall).toBeGreaterThan(0);
    expect(await queries(large.provider.id)).toBe(forSmall);
  });

  test('answers 404 for a provider that does not exist, and 400 for a history it does not serve', async () => {
    expect((await api.request('GET', '/import/providers/no-such-tenant/status')).status).toBe(404);
    const tenant = await tenantWith(1, 1);
    expect(
      (await api.request('GET', `/import/providers/${tenant.provider.id}/status?history=51`))
        .status,
    ).toBe(400);
  });
});
