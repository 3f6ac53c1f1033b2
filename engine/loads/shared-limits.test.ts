import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { createPool, type Db } from '../store/db';
import { create } from '../testing/fixtures';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// Two engines on one database, as on two machines: each with its own connection pool and job runner, each running
// one job at a time, so two loads started together run one on each engine.
const RECORDS = 65;
let first: TestEngine;
let second: TestEngine;
let secondPool: Db;
let source: SourceDatabase;
let receiver: Receiver;
let datasetId: string;

beforeAll(async () => {
  const encryptionKey = randomBytes(32);
  const jobs = { concurrency: 1, load: { maxAttempts: 3, maxWaitMs: 1000, timeoutMs: 5000 } };
  first = await startTestEngine({ jobs, encryptionKey });
  secondPool = createPool(first.database.url, { max: 5 });
  // The same local datalake directory too: engines on several machines would share an S3 datalake.
  second = await startTestEngine({
    jobs,
    encryptionKey,
    database: { db: secondPool, url: first.database.url, drop: async () => {} },
    context: { dataDir: first.engine.dataDir },
  });
  source = await createSourceDatabase({
    customers: RECORDS,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  receiver = createReceiver({ engineUrl: first.baseUrl });
  await receiver.start();
  const dataset = await createTableDataset(first, source, {
    table: { source_table_namespace: 'public', source_table_name: 'customers' },
    type: 'dimension',
    dimension: { primary_key_column: 'id' },
  });
  datasetId = dataset.id;
  await extractNow(first, datasetId);
});
afterAll(async () => {
  await receiver.stop();
  await second.close();
  await secondPool.end();
  await first.close();
  await source.drop();
});

type Load = {
  id: string;
  status: string;
  records_loaded: number;
  records_errored: number;
  error: unknown;
};

/** Two streams of the same dataset to one destination with these limits, loaded at the same time. */
async function loadTwoStreamsAtOnce(limits: {
  max_records_per_minute: number;
  max_concurrency: number;
}) {
  const destination = await create(
    first,
    '/import/destinations',
    {
      destination: {
        name: 'shared limits',
        type: 'webhook_record',
        record_schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        webhook_record: { request_template: { method: 'POST', uri: `${receiver.url}/records` } },
        ...limits,
      },
    },
    'destination',
  );
  const streams = await Promise.all(
    [1, 2].map((n) =>
      create(
        first,
        '/import/streams',
        {
          stream: {
            name: `stream ${n}`,
            dataset_id: datasetId,
            destination_id: destination.id,
            is_enabled: false,
            mappings: [{ target_field: 'id', field_type: 'field', column: { name: 'id' } }],
          },
        },
        'stream',
      ),
    ),
  );
  const started = await Promise.all(
    streams.map((stream) =>
      first.request<{ data: { load: Load } }>('POST', `/import/streams/${stream.id}/load`, {}),
    ),
  );
  const loads: Load[] = [];
  for (const { body } of started) {
    for (const deadline = Date.now() + 25_000; ;) {
      const load = (
        await first.request<{ data: { load: Load } }>('GET', `/import/loads/${body.data.load.id}`)
      ).body.data.load;
      if (load.status === 'succeeded' || load.status === 'failed') {
        loads.push(load);
        break;
      }
      if (Date.now() > deadline) throw new Error(`load ${load.id} still ${load.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const workers = await first.engine.db.query<{
    worker_id: string;
    started_at: string;
    ended_at: string;
  }>(
    `select worker_id, started_at::text, ended_at::text from loads where id = any($1) order by started_at`,
    [loads.map((load) => load.id)],
  );
  return { loads, runs: workers.rows };
}

describe('destination limits shared by two engines', () => {
  test(
    'max_records_per_minute holds for the records both engines deliver',
    { timeout: 30_000 },
    async () => {
      receiver.reset();
      // 120 a minute: a minute's budget (120) at once, then 2 a second, for 130 records in all.
      const { loads, runs } = await loadTwoStreamsAtOnce({
        max_records_per_minute: 120,
        max_concurrency: 4,
      });
      expect(
        loads.map((load) => [load.status, load.records_loaded]),
        JSON.stringify(loads),
      ).toEqual([
        ['succeeded', RECORDS],
        ['succeeded', RECORDS],
      ]);
      // One load on each engine, at the same time.
      expect(new Set(runs.map((run) => run.worker_id)).size).toBe(2);
      expect(runs[1]!.started_at < runs[0]!.ended_at).toBe(true);

      const arrivals = receiver.store
        .deliveries({ limit: 1000 })
        .filter((entry) => entry.outcome === 'stored')
        .map((entry) => Date.parse(entry.receivedAt));
      expect(arrivals).toHaveLength(2 * RECORDS);
      // The token bucket's promise, checked over every interval between two arrivals: at most the burst (120) plus
      // 2 records a second. Allowed on top: one record, for a reservation on the boundary of the interval, plus 100 ms
      // of the rate for the time between a reservation in Postgres and the request's arrival (signing, the event loop).
      // Limits counted per engine would let 130 through at once (each engine its own 120).
      for (let i = 0; i < arrivals.length; i++) {
        for (let j = i; j < arrivals.length; j++) {
          const seconds = (arrivals[j]! - arrivals[i]!) / 1000;
          expect(j - i + 1, `${j - i + 1} records within ${seconds} s`).toBeLessThanOrEqual(
            120 + 2 * (seconds + 0.1) + 1,
          );
        }
      }
      // The 10 records beyond the burst took their 5 s.
      expect((arrivals.at(-1)! - arrivals[0]!) / 1000).toBeGreaterThan(4.4);
    },
  );

  test(
    'max_concurrency 1 holds for the requests both engines send',
    { timeout: 30_000 },
    async () => {
      receiver.reset();
      // Every request stays a while at the receiver, so overlapping requests could not go unseen.
      receiver.control.set({ latencyMs: 10 });
      const { loads, runs } = await loadTwoStreamsAtOnce({
        max_records_per_minute: 1_000_000,
        max_concurrency: 1,
      });
      expect(loads.map((load) => load.records_loaded)).toEqual([RECORDS, RECORDS]);
      expect(new Set(runs.map((run) => run.worker_id)).size).toBe(2);
      expect(runs[1]!.started_at < runs[0]!.ended_at).toBe(true);
      expect(receiver.store.stats()).toMatchObject({ stored: 2 * RECORDS, peakInFlight: 1 });
    },
  );
});
