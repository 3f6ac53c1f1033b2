import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { runExtract } from '../extract/run-extract';
import { triggerExtract } from '../extract/trigger-extract';
import { startJobRunner } from '../jobs/job-runner';
import { createTableDataset } from '../testing/extract-fixtures';
import { type Load, recordStream } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// (ext) POST /import/loads/{id}/cancel: a queued load never starts; a running one sends no further request, records
// what it delivered, and the next load sends the rest, each record once.
const RECORDS = 120;
let source: SourceDatabase;
let api: TestEngine;
let receiver: Receiver;

beforeAll(async () => {
  source = await createSourceDatabase({
    customers: RECORDS,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  // No job runner: each test starts one when it wants its loads to run.
  api = await startTestEngine();
  receiver = createReceiver({ engineUrl: api.baseUrl });
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  await api.close();
  await source.drop();
});

type CancelResponse = {
  status: number;
  text: string;
  body: { data: { load: Load & { cancel_requested_at: string | null } }; message: string };
};
const cancel = (id: string) =>
  api.request('POST', `/import/loads/${id}/cancel`, undefined, {
    headers: { 'x-inlet-reason': 'wrong%20mapping' },
  }) as Promise<CancelResponse>;
const getLoad = async (id: string) =>
  (await api.request<{ data: { load: Load } }>('GET', `/import/loads/${id}`)).body.data.load;
const startLoad = async (streamId: string) =>
  (await api.request<{ data: { load: Load } }>('POST', `/import/streams/${streamId}/load`, {})).body
    .data.load;

async function finished(id: string, timeoutMs = 30_000): Promise<Load> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const load = await getLoad(id);
    if (!['queued', 'running'].includes(load.status)) return load;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`load ${id} did not finish`);
}

/** A dataset extracted (by hand: no runner) and a paused stream of it to the receiver, one record per request. */
async function extractedStream() {
  const dataset = await createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'customers' },
    type: 'dimension',
    dimension: { primary_key_column: 'id' },
  });
  const { extract } = await triggerExtract(api.engine.db, dataset.id, 'api');
  await runExtract(api.engine, extract.id, { workerId: 'test' });
  return recordStream(api, { datasetId: dataset.id, uri: `${receiver.url}/records` });
}

describe('cancelling a load', () => {
  test(
    'queued: it never starts, and the next load delivers everything once',
    { timeout: 60_000 },
    async () => {
      receiver.reset();
      const stream = await extractedStream();
      const queued = await startLoad(stream.id);
      expect(queued.status).toBe('queued');
      const cancelled = await cancel(queued.id);
      expect(cancelled.status, cancelled.text).toBe(200);
      expect(cancelled.body).toMatchObject({
        message: 'Load cancelled.',
        data: { load: { status: 'cancelled', cancel_requested_at: expect.any(String) } },
      });

      const runner = await startJobRunner(api.engine, {
        pollIntervalMs: 100,
        schedulerIntervalMs: 100,
      });
      try {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(await getLoad(queued.id)).toMatchObject({
          status: 'cancelled',
          records_processed: 0,
        });
        expect(receiver.store.stats().deliveries).toBe(0);
        const next = await finished((await startLoad(stream.id)).id);
        expect(next).toMatchObject({ status: 'succeeded', records_loaded: RECORDS });
        expect(receiver.store.stats()).toMatchObject({
          latestKeys: RECORDS,
          stored: RECORDS,
          duplicates: 0,
        });
      } finally {
        await runner.stop();
      }
      const logs = (
        await api.request<{ data: { logs: { resource_id: string; reason: string }[] } }>(
          'GET',
          '/logs?event_type=IMPORT_LOAD_CANCEL',
        )
      ).body.data.logs;
      expect(logs).toContainEqual(
        expect.objectContaining({ resource_id: queued.id, reason: 'wrong mapping' }),
      );
    },
  );

  test(
    'running: it stops before its next request with what it delivered recorded; the next load sends the rest, each record once',
    { timeout: 60_000 },
    async () => {
      receiver.reset();
      const stream = await extractedStream();
      // One request at a time, 40 ms each: the load would take about 5 s.
      receiver.control.set({ latencyMs: 40 });
      const runner = await startJobRunner(api.engine, {
        pollIntervalMs: 100,
        schedulerIntervalMs: 100,
      });
      try {
        const running = await startLoad(stream.id);
        await receiver.waitFor((stats) => stats.stored >= 10, 10_000);
        const asked = await cancel(running.id);
        expect(asked.status, asked.text).toBe(200);
        expect(asked.body.message).toBe(
          'Cancel requested: the load stops before its next request.',
        );

        const stopped = await finished(running.id);
        const sent = receiver.store.stats().stored;
        expect(stopped).toMatchObject({ status: 'cancelled', records_errored: 0, error: null });
        expect(sent).toBeLessThan(RECORDS);
        // Everything sent is recorded as delivered, and nothing else: the counts are what was handled.
        expect(stopped.records_loaded).toBe(sent);
        expect(stopped.records_processed).toBe(sent);
        const ledger = (
          await api.engine.db.query<{ status: string; n: number }>(
            'select status, count(*)::int as n from stream_records where stream_id = $1 group by status',
            [stream.id],
          )
        ).rows;
        expect(ledger).toEqual([{ status: 'delivered', n: sent }]);
        // A cancelled load settles nothing: the next one reads the same range and skips what was delivered.
        expect(
          (
            await api.engine.db.query(
              'select settled_version from stream_state where stream_id = $1 and settled_version > 0',
              [stream.id],
            )
          ).rowCount,
        ).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(receiver.store.stats().stored).toBe(sent);

        receiver.control.reset();
        const rest = await finished((await startLoad(stream.id)).id);
        expect(rest).toMatchObject({
          status: 'succeeded',
          records_loaded: RECORDS - sent,
          records_processed: RECORDS - sent,
        });
        expect(receiver.store.stats()).toMatchObject({
          latestKeys: RECORDS,
          stored: RECORDS,
          duplicates: 0,
        });
      } finally {
        await runner.stop();
      }
    },
  );

  test('a finished load cannot be cancelled; an unknown one is 404', async () => {
    const stream = await extractedStream();
    await api.engine.db.query(
      `insert into loads (id, stream_id, status, ended_at) values ('01900000-0000-7000-8000-000000000001', $1, 'succeeded', clock_timestamp())`,
      [stream.id],
    );
    const done = await cancel('01900000-0000-7000-8000-000000000001');
    expect(done.status).toBe(409);
    expect(done.text).toContain('not_cancellable');
    expect((await cancel('01900000-0000-7000-8000-000000000002')).status).toBe(404);
  });
});
