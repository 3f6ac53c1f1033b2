import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { type EventSink, startEventSink } from '../testing/event-sink';
import { create } from '../testing/fixtures';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { loadAndWait, recordStream } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// Answers a scripted endpoint can give, through whole loads (research §7.2 item 13): what is retried and when,
// what is never followed, what disables the stream, and who is told.
const RECORDS = 5;
let api: TestEngine;
let source: SourceDatabase;
let receiver: Receiver;
let datasetId: string;
/** The operator's monitoring endpoint (a /webhooks subscription). */
let hooks: EventSink;

beforeAll(async () => {
  api = await startTestEngine({
    jobs: { load: { maxAttempts: 3, maxWaitMs: 4000, timeoutMs: 1000 } },
  });
  source = await createSourceDatabase({
    customers: RECORDS,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  receiver = createReceiver({ engineUrl: api.baseUrl });
  await receiver.start();
  hooks = await startEventSink();
  await create(
    api,
    '/webhooks',
    {
      webhook: {
        vendor: 'generic_post',
        url: hooks.url,
        events: ['stream.disabled', 'load.failed', 'load.partially_failed'],
      },
    },
    'webhook',
  );
  const dataset = await createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'customers' },
    type: 'dimension',
    dimension: { primary_key_column: 'id' },
  });
  datasetId = dataset.id;
  await extractNow(api, datasetId);
});
afterAll(async () => {
  await receiver.stop();
  hooks.close();
  await api.close();
  await source.drop();
});

const eventFor = (type: string, streamId: string) => hooks.eventFor(type, streamId);

const toReceiver = (options: { enabled?: boolean; limits?: { max_concurrency?: number } } = {}) =>
  recordStream(api, { datasetId, uri: `${receiver.url}/records`, ...options });

async function ledger(streamId: string) {
  const rows = await api.engine.db.query<{
    record_id: string;
    status: string;
    error: { error_code: string; error_trace: string } | null;
  }>(
    'select record_id, status, error from stream_records where stream_id = $1 order by record_id',
    [streamId],
  );
  return rows.rows;
}

const arrivals = () =>
  receiver.store.deliveries().map((entry) => ({
    at: Date.parse(entry.receivedAt),
    status: entry.status,
    outcome: entry.outcome,
  }));

describe('what an endpoint answers, through whole loads', () => {
  test('429 with Retry-After as an HTTP date: the retry waits until that date', async () => {
    receiver.reset();
    receiver.control.set({ sequence: [{ status: 429, retryAfterDateIn: 3 }] });
    const stream = await toReceiver();
    const load = await loadAndWait(api, stream.id);
    expect(load).toMatchObject({ status: 'succeeded', records_loaded: RECORDS, error: null });
    const [refused, retried] = arrivals();
    expect(refused).toMatchObject({ status: 429 });
    expect(retried).toMatchObject({ outcome: 'stored' });
    // The date has whole seconds, so it is 2–3 s ahead; the backoff alone would have waited at most 200 ms.
    expect(retried!.at - refused!.at).toBeGreaterThanOrEqual(1900);
    expect(retried!.at - refused!.at).toBeLessThan(3500);
  });

  test('301 and 307 are never followed: the record is rejected and the redirect target receives nothing', async () => {
    receiver.reset();
    let targetHits = 0;
    const target = http.createServer((_req, res) => {
      targetHits++;
      res.end();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const location = `http://127.0.0.1:${(target.address() as AddressInfo).port}/moved`;
    receiver.control.set({
      sequence: [
        { status: 301, location },
        { status: 307, location },
      ],
    });
    const stream = await toReceiver();
    const load = await loadAndWait(api, stream.id);
    target.close();
    expect(load).toMatchObject({
      status: 'succeeded',
      records_loaded: RECORDS - 2,
      records_errored: 2,
      error: { blame: 'destination', error_code: 'destination_rejected' },
    });
    expect(load.error?.message).toMatch(/redirects are not followed/);
    expect(targetHits).toBe(0);
    // Asked once each: a redirect is a failure that no retry would change.
    expect(arrivals().map((arrival) => arrival.status)).toEqual([301, 307, 200, 200, 200]);
    expect((await ledger(stream.id)).filter((row) => row.status === 'rejected')).toHaveLength(2);
  });

  test(
    '410 Gone disables the stream, tells the operator, and nothing is sent to it until it is enabled again',
    { timeout: 30_000 },
    async () => {
      receiver.reset();
      receiver.control.set({ sequence: [200, 410] });
      const stream = await toReceiver({ enabled: true });
      const load = await loadAndWait(api, stream.id);
      expect(load).toMatchObject({
        records_loaded: 1,
        records_errored: RECORDS - 1,
        error: { error_code: 'destination_gone', blame: 'destination' },
      });
      expect(load.error?.message).toMatch(/410 Gone.*stream was disabled/);
      // Nothing after the 410.
      expect(receiver.store.stats().deliveries).toBe(2);

      const disabled = (
        await api.request<{ data: { stream: Record<string, unknown> } }>(
          'GET',
          `/import/streams/${stream.id}`,
        )
      ).body.data.stream;
      expect(disabled).toMatchObject({
        is_enabled: false,
        disabled_reason: expect.stringContaining('410 Gone'),
        disabled_at: expect.any(String),
      });
      expect((await eventFor('stream.disabled', stream.id)).data).toMatchObject({
        reason: expect.stringContaining('410'),
        destination_id: stream.destination_id,
      });
      // The records not delivered wait as temporary failures, not as rejected ones.
      expect((await ledger(stream.id)).map((row) => row.status).sort()).toEqual([
        'delivered',
        'retry',
        'retry',
        'retry',
        'retry',
      ]);

      // A new extract starts no load of it, and a load asked for by hand sends nothing.
      await source.client.query(
        `update customers set email = 'after-410@example.com' where id = (select max(id) from customers)`,
      );
      await extractNow(api, datasetId);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const loads = (
        await api.request<{ data: { loads: unknown[] } }>(
          'GET',
          `/import/loads?stream_id=${stream.id}`,
        )
      ).body.data.loads;
      expect(loads).toHaveLength(1);
      const refused = await loadAndWait(api, stream.id);
      expect(refused).toMatchObject({
        status: 'failed',
        records_processed: 0,
        error: { error_code: 'stream_disabled', blame: 'destination' },
      });
      expect(receiver.store.stats().deliveries).toBe(2);

      // Enabled again, the next load delivers everything still pending, the changed record at its new version.
      const enabled = await api.request<{ data: { stream: Record<string, unknown> } }>(
        'PATCH',
        `/import/streams/${stream.id}`,
        { stream: { is_enabled: true } },
      );
      expect(enabled.body.data.stream).toMatchObject({
        is_enabled: true,
        disabled_reason: null,
        disabled_at: null,
      });
      const resumed = await loadAndWait(api, stream.id);
      expect(resumed).toMatchObject({ status: 'succeeded', error: null });
      expect(receiver.store.stats().latestKeys).toBe(RECORDS);
      expect(
        receiver.store
          .records({ latest: true })
          .records.some(
            (stored) => (stored.record as { email: string }).email === 'after-410@example.com',
          ),
      ).toBe(true);
    },
  );

  test('a record out of attempts waits for the next load, on a capped jittered schedule, and the operator is told', async () => {
    receiver.reset();
    receiver.control.set({ sequence: [{ status: 503, times: 3 }] });
    const stream = await toReceiver();
    const load = await loadAndWait(api, stream.id);
    expect(load).toMatchObject({
      status: 'succeeded',
      records_loaded: RECORDS - 1,
      records_errored: 1,
      error: { error_code: 'destination_unavailable', blame: 'destination' },
    });
    expect(load.error?.message).toMatch(/503 after 3 attempts.*retried automatically/);
    expect((await eventFor('load.partially_failed', stream.id)).data).toMatchObject({
      load_id: load.id,
      error: { blame: 'destination' },
    });
    expect((await ledger(stream.id)).filter((row) => row.status === 'retry')).toEqual([
      expect.objectContaining({
        error: expect.objectContaining({
          error_code: 'destination_unavailable',
          error_trace: expect.stringContaining('503'),
        }),
      }),
    ]);
    // One request at a time, so the first three arrivals are the attempts of one record: the waits between them stay
    // within the backoff bounds (200 ms, then 400 ms, with full jitter) plus 150 ms for sending.
    const [first, second, third] = arrivals();
    expect(second!.at - first!.at).toBeLessThanOrEqual(200 + 150);
    expect(third!.at - second!.at).toBeLessThanOrEqual(400 + 150);

    const next = await loadAndWait(api, stream.id);
    expect(next).toMatchObject({ status: 'succeeded', records_loaded: 1, error: null });
    expect(await ledger(stream.id)).toHaveLength(RECORDS);
    expect((await ledger(stream.id)).every((row) => row.status === 'delivered')).toBe(true);
  });

  test('when every attempt fails the load fails, blames the destination, tells the operator, and the next load delivers', async () => {
    receiver.reset();
    receiver.control.set({ then: 503 });
    const stream = await toReceiver({ limits: { max_concurrency: RECORDS } });
    const load = await loadAndWait(api, stream.id);
    expect(load).toMatchObject({
      status: 'failed',
      records_loaded: 0,
      records_errored: RECORDS,
      error: { blame: 'destination' },
    });
    expect((await eventFor('load.failed', stream.id)).data).toMatchObject({
      load_id: load.id,
      records_errored: RECORDS,
      error: { error_code: 'destination_unavailable' },
    });
    expect(receiver.store.stats().deliveries).toBe(3 * RECORDS);

    receiver.control.reset();
    expect(await loadAndWait(api, stream.id)).toMatchObject({
      status: 'succeeded',
      records_loaded: RECORDS,
    });
  });
});
