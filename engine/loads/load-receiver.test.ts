import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { create } from '../testing/fixtures';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { loadAndWait } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// Deliveries to the reference receiver (which verifies, de-duplicates and misbehaves on command).
let api: TestEngine;
let source: SourceDatabase;
let receiver: Receiver;

beforeAll(async () => {
  api = await startTestEngine({
    jobs: { load: { maxAttempts: 3, maxWaitMs: 2500, timeoutMs: 1500 } },
  });
  source = await createSourceDatabase({
    customers: 30,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  receiver = createReceiver({ engineUrl: api.baseUrl });
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  await api.close();
  await source.drop();
});

async function recordStream() {
  const dataset = await createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'customers' },
    type: 'dimension',
    dimension: { primary_key_column: 'id' },
  });
  const destination = await create(
    api,
    '/import/destinations',
    {
      destination: {
        name: 'reference receiver',
        type: 'webhook_record',
        record_schema: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string' }, email: { type: 'string' } },
        },
        webhook_record: { request_template: { method: 'POST', uri: `${receiver.url}/records` } },
      },
    },
    'destination',
  );
  const stream = await create(
    api,
    '/import/streams',
    {
      stream: {
        name: 'to receiver',
        dataset_id: dataset.id,
        destination_id: destination.id,
        // Disabled: the loads of these tests are started by hand, one at a time.
        is_enabled: false,
        mappings: [
          { target_field: 'id', field_type: 'field', column: { name: 'id' } },
          { target_field: 'email', field_type: 'field', column: { name: 'email' } },
        ],
      },
    },
    'stream',
  );
  await extractNow(api, dataset.id);
  return stream;
}

describe('deliveries to the reference receiver', () => {
  test(
    'through 5xx, 429 with Retry-After, dropped connections and a lost ack, every record arrives once',
    { timeout: 120_000 },
    async () => {
      receiver.reset();
      receiver.control.set({
        sequence: [
          500,
          502,
          { status: 429, retryAfter: 1 },
          503,
          { kind: 'drop' },
          504,
          { kind: 'lose-ack' },
          500,
          500,
          500,
        ],
      });
      const stream = await recordStream();
      let load = await loadAndWait(api, stream.id, 60_000);
      // Records that ran out of attempts wait for a retry (the stream is paused, so the test loads by hand).
      for (let i = 0; i < 4 && receiver.store.stats().latestKeys < 30; i++)
        load = await loadAndWait(api, stream.id, 60_000);
      const stats = receiver.store.stats();
      expect(stats.latestKeys).toBe(30);
      expect(stats.rejections).toBe(0);
      // The lost ack was redelivered under the same delivery id and recognised.
      expect(stats.lostAcks).toBe(1);
      expect(stats.duplicates).toBeGreaterThanOrEqual(1);
      expect(stats.stored).toBe(30);
      expect(load.status).toBe('succeeded');
      // Nothing is pending any more.
      const idle = await loadAndWait(api, stream.id, 60_000);
      expect(idle).toMatchObject({ records_loaded: 0, records_errored: 0 });
    },
  );

  test(
    'a redirect is never followed and rejects the record; a 400 rejects only its record',
    { timeout: 60_000 },
    async () => {
      receiver.reset();
      receiver.control.set({ sequence: [{ status: 302 }, 400] });
      const stream = await recordStream();
      const load = await loadAndWait(api, stream.id, 60_000);
      expect(load).toMatchObject({ status: 'succeeded', records_loaded: 28, records_errored: 2 });
      expect(load.error).toMatchObject({ blame: 'destination' });
      expect(load.error?.message).toMatch(/redirect|rejected/);
      const stats = receiver.store.stats();
      expect(stats.redirectsFollowed).toBe(0);
      expect(stats.stored).toBe(28);
    },
  );

  test(
    'a record whose first version failed ends at its newest version, never an older one',
    { timeout: 60_000 },
    async () => {
      receiver.reset();
      // The first record of the load (id "1") fails every attempt of its first delivery.
      receiver.control.set({ sequence: [503, 503, 503] });
      const stream = await recordStream();
      const first = await loadAndWait(api, stream.id, 60_000);
      expect(first).toMatchObject({ records_loaded: 29, records_errored: 1 });
      expect(receiver.store.latest(String(stream.provider_id), '1')).toBeUndefined();

      await source.client.query(
        `update customers set email = 'second-version@example.com', updated_at = clock_timestamp() where id = 1`,
      );
      const dataset = String(stream.dataset_id);
      await extractNow(api, dataset);
      await loadAndWait(api, stream.id, 60_000);
      const latest = receiver.store.latest(String(stream.provider_id), '1');
      expect(latest?.record).toMatchObject({ id: '1', email: 'second-version@example.com' });
      // Delivered once, at the newest version: the older one was never sent after it.
      const forOne = receiver.store.records({ key: '1' }).records;
      expect(forOne.map((stored) => (stored.record as { email: string }).email)).toEqual([
        'second-version@example.com',
      ]);
    },
  );
});
