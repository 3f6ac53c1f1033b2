import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { create } from '../testing/fixtures';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { type Load, loadAndWait, recordStream } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// Records an endpoint refused are retried on their own schedule, not left for the dataset's next extract.
const RECORDS = 30;
let source: SourceDatabase;
let receiver: Receiver;

beforeAll(async () => {
  source = await createSourceDatabase({
    customers: RECORDS,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
});
afterAll(() => source.drop());

/** An engine and a receiver that trusts its signing key. */
async function startPair(options: Parameters<typeof startTestEngine>[0]) {
  const api = await startTestEngine(options);
  receiver = createReceiver({ engineUrl: api.baseUrl });
  await receiver.start();
  return { api, close: async () => (await receiver.stop(), await api.close()) };
}

type StreamRead = {
  id: string;
  provider_id: string;
  retry: { records_waiting: number; next_retry_at: string | null } | null;
};
type LoadRead = Load & {
  mode: string;
  trigger: string;
  started_at: string | null;
  ended_at: string | null;
};

/** An enabled stream of the customers table to a JSON batch endpoint, created after the extract: its loads are the test's and the retries'. */
async function batchStream(api: TestEngine) {
  const dataset = await createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'customers' },
    type: 'dimension',
    dimension: { primary_key_column: 'id' },
  });
  await extractNow(api, dataset.id);
  const destination = await create(
    api,
    '/import/destinations',
    {
      destination: {
        name: 'batch endpoint',
        type: 'webhook_batch',
        record_schema: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string' }, email: { type: 'string' } },
        },
        webhook_batch: {
          request_template: { method: 'POST', uri: `${receiver.url}/batch` },
          format: 'json',
          max_records_per_batch: 100,
        },
      },
    },
    'destination',
  );
  return create(
    api,
    '/import/streams',
    {
      stream: {
        name: 'to the batch endpoint',
        dataset_id: dataset.id,
        destination_id: destination.id,
        mappings: [
          { target_field: 'id', field_type: 'field', column: { name: 'id' } },
          { target_field: 'email', field_type: 'field', column: { name: 'email' } },
        ],
      },
    },
    'stream',
  );
}

const readStream = async (api: TestEngine, id: string) =>
  (await api.request<{ data: { stream: StreamRead } }>('GET', `/import/streams/${id}`)).body.data
    .stream;
const loadsOf = async (api: TestEngine, streamId: string) =>
  (
    await api.request<{ data: { loads: LoadRead[] } }>(
      'GET',
      `/import/loads?stream_id=${streamId}&order=asc&page_size=100`,
    )
  ).body.data.loads;

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('with the engine’s default settings', () => {
  let api: TestEngine;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ api, close } = await startPair({ jobs: true }));
  });
  afterAll(() => close());

  test(
    'an endpoint that refuses every attempt of a load gets every record from the first scheduled retry, seconds later, exactly once',
    { timeout: 60_000 },
    async () => {
      receiver.reset();
      // A load tries a request 4 times; all four are refused.
      receiver.control.set({ sequence: [503, 502, { status: 429 }, 500] });
      const stream = await batchStream(api);
      const failed = await loadAndWait(api, stream.id);
      const refusedAt = Date.now();
      expect(failed).toMatchObject({
        status: 'failed',
        records_loaded: 0,
        records_errored: RECORDS,
        error: { error_code: 'destination_unavailable', blame: 'destination' },
      });
      expect(failed.error?.message).toMatch(/retried automatically, next at \d\d:\d\d:\d\d UTC/);
      expect(receiver.store.stats().latestKeys).toBe(0);
      const waiting = await readStream(api, stream.id);
      expect(waiting.retry).toMatchObject({
        records_waiting: RECORDS,
        next_retry_at: expect.any(String),
      });
      // The first step is 5 s (±10 %), not the dataset's hour.
      const dueIn = Date.parse(waiting.retry!.next_retry_at!) - refusedAt;
      expect(dueIn).toBeGreaterThan(3_500);
      expect(dueIn).toBeLessThan(6_000);

      const stats = await receiver.waitFor((current) => current.latestKeys === RECORDS, 15_000);
      expect(Date.now() - refusedAt).toBeGreaterThan(4_000);
      expect(stats).toMatchObject({ stored: 1, records: RECORDS, duplicates: 0, rejections: 0 });
      const loads = await until(
        () => loadsOf(api, stream.id),
        (all) => all.length === 2 && all[1]!.status === 'succeeded',
        10_000,
      );
      expect(loads[1]).toMatchObject({
        mode: 'retry',
        trigger: 'retry',
        records_loaded: RECORDS,
        records_errored: 0,
        error: null,
      });
      expect((await readStream(api, stream.id)).retry).toBeNull();
      // Nothing is pending: the next load sends nothing.
      expect(await loadAndWait(api, stream.id)).toMatchObject({
        status: 'succeeded',
        records_processed: 0,
      });
      expect(receiver.store.stats().records).toBe(RECORDS);
    },
  );

  test(
    'a destination’s own timeout_seconds times out a slow endpoint, while the engine keeps its 30 s for the others',
    { timeout: 30_000 },
    async () => {
      receiver.reset();
      const dataset = await createTableDataset(api, source, {
        table: { source_table_namespace: 'public', source_table_name: 'customers' },
        type: 'dimension',
        dimension: { primary_key_column: 'id' },
      });
      await extractNow(api, dataset.id);
      const stream = await recordStream(api, {
        datasetId: dataset.id,
        uri: `${receiver.url}/records`,
        limits: { max_concurrency: RECORDS },
      });
      await api.request('PATCH', `/import/destinations/${stream.destination_id}`, {
        destination: { timeout_seconds: 1 },
      });
      expect(
        (
          await api.request<{ data: { destination: { timeout_seconds: number } } }>(
            'GET',
            `/import/destinations/${stream.destination_id}`,
          )
        ).body.data.destination.timeout_seconds,
      ).toBe(1);
      receiver.control.set({ latencyMs: 1_500 });
      const slow = await loadAndWait(api, stream.id);
      expect(slow).toMatchObject({
        status: 'failed',
        records_errored: RECORDS,
        error: { error_code: 'destination_unavailable' },
      });
      expect(slow.error?.message).toContain('did not answer within 1 s after 4 attempts');
    },
  );
});

describe('with a compressed schedule', () => {
  let api: TestEngine;
  let close: () => Promise<void>;
  const SCHEDULE = [300, 600, 1_200];
  beforeAll(async () => {
    ({ api, close } = await startPair({
      jobs: {
        schedulerIntervalMs: 100,
        load: { maxAttempts: 2, maxWaitMs: 500, retryScheduleMs: SCHEDULE },
      },
    }));
  });
  afterAll(() => close());

  test(
    'each retry that delivers nothing waits the next step; the records arrive once the endpoint is back',
    { timeout: 60_000 },
    async () => {
      receiver.reset();
      // The load and two retries (2 attempts each) are refused; the third retry gets through.
      receiver.control.set({ sequence: [{ status: 503, times: 6 }] });
      const stream = await batchStream(api);
      expect(await loadAndWait(api, stream.id)).toMatchObject({
        status: 'failed',
        records_errored: RECORDS,
      });
      await receiver.waitFor((current) => current.latestKeys === RECORDS, 20_000);
      const loads = await until(
        () => loadsOf(api, stream.id),
        (all) => all.length === 4 && all[3]!.status === 'succeeded',
        10_000,
      );
      expect(loads.map((load) => [load.mode, load.status, load.records_loaded])).toEqual([
        ['pending', 'failed', 0],
        ['retry', 'failed', 0],
        ['retry', 'failed', 0],
        ['retry', 'succeeded', RECORDS],
      ]);
      // The gaps between a load's end and the next start grow with the schedule (±10 %, plus the scheduler's tick).
      const gaps = loads
        .slice(1)
        .map((load, index) => Date.parse(load.started_at!) - Date.parse(loads[index]!.ended_at!));
      SCHEDULE.forEach((step, index) => {
        expect(gaps[index]).toBeGreaterThanOrEqual(step * 0.9 - 50);
        expect(gaps[index]).toBeLessThan(step * 1.1 + 600);
      });
      expect(receiver.store.stats()).toMatchObject({ records: RECORDS, duplicates: 0 });
      expect((await readStream(api, stream.id)).retry).toBeNull();
    },
  );

  test(
    'a Retry-After longer than the load would wait is honoured by the scheduled retry',
    { timeout: 30_000 },
    async () => {
      receiver.reset();
      receiver.control.set({ sequence: [{ status: 429, retryAfter: 2 }] });
      const stream = await batchStream(api);
      const refused = await loadAndWait(api, stream.id);
      expect(refused).toMatchObject({ status: 'failed', records_errored: RECORDS });
      expect(refused.error?.message).toContain('asked to wait 2 s');
      await receiver.waitFor((current) => current.latestKeys === RECORDS, 10_000);
      const [first, retry] = await until(
        () => loadsOf(api, stream.id),
        (all) => all.length === 2 && all[1]!.status === 'succeeded',
        5_000,
      );
      // Not after the schedule's 300 ms: after the 2 s the endpoint asked for.
      expect(
        Date.parse(retry!.started_at!) - Date.parse(first!.started_at!),
      ).toBeGreaterThanOrEqual(1_900);
    },
  );

  test(
    'a delivery starts the schedule over: a load that delivers some records retries the rest at the first step',
    { timeout: 30_000 },
    async () => {
      receiver.reset();
      const dataset = await createTableDataset(api, source, {
        table: { source_table_namespace: 'public', source_table_name: 'customers' },
        type: 'dimension',
        dimension: { primary_key_column: 'id' },
      });
      await extractNow(api, dataset.id);
      const stream = await recordStream(api, {
        datasetId: dataset.id,
        uri: `${receiver.url}/records`,
        enabled: true,
      });
      // Two retries in a row had delivered nothing; then one record (the first sent) is refused by both of a load's
      // attempts and the others go through.
      await api.database.db.query(
        'insert into stream_state (stream_id, retry_step) values ($1, 2) on conflict (stream_id) do update set retry_step = 2',
        [stream.id],
      );
      receiver.control.set({ sequence: [503, 503] });
      const partial = await loadAndWait(api, stream.id);
      expect(partial).toMatchObject({
        status: 'succeeded',
        records_loaded: RECORDS - 1,
        records_errored: 1,
      });
      const state = (
        await api.database.db.query<{ retry_step: number }>(
          'select retry_step from stream_state where stream_id = $1',
          [stream.id],
        )
      ).rows[0]!;
      expect(state.retry_step).toBe(1);
      await receiver.waitFor((current) => current.latestKeys === RECORDS, 5_000);
      expect(receiver.store.stats()).toMatchObject({ records: RECORDS, duplicates: 0 });
    },
  );

  test(
    'a paused stream keeps its records waiting without retrying them; resumed, they go at once',
    { timeout: 30_000 },
    async () => {
      receiver.reset();
      receiver.control.set({ sequence: [503, 503] });
      const stream = await batchStream(api);
      await api.request('PATCH', `/import/streams/${stream.id}`, { stream: { is_enabled: false } });
      expect(await loadAndWait(api, stream.id)).toMatchObject({ status: 'failed' });
      expect((await readStream(api, stream.id)).retry).toEqual({
        records_waiting: RECORDS,
        next_retry_at: null,
      });
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(receiver.store.stats().latestKeys).toBe(0);
      expect(await loadsOf(api, stream.id)).toHaveLength(1);
      await api.request('PATCH', `/import/streams/${stream.id}`, { stream: { is_enabled: true } });
      await receiver.waitFor((current) => current.latestKeys === RECORDS, 5_000);
    },
  );
});
