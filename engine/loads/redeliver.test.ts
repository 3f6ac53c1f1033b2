import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { create } from '../testing/fixtures';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { type Load, loadAndWait, recordStream } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// (ext) POST /import/streams/{id}/load {"redeliver":"all"}: every current record is sent again, under new delivery
// ids (a receiver that de-duplicates stores them again), marked as a redelivery in the request, the ledger and the tracer.
const RECORDS = 40;
let source: SourceDatabase;
let api: TestEngine;
let receiver: Receiver;
let datasetId: string;

beforeAll(async () => {
  source = await createSourceDatabase({
    customers: RECORDS,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  await source.client.query('update customers set is_deleted = false');
  api = await startTestEngine({ jobs: true });
  receiver = createReceiver({ engineUrl: api.baseUrl });
  await receiver.start();
  const dataset = await createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'customers' },
    type: 'dimension',
    dimension: {
      primary_key_column: 'id',
      last_modified_column: 'updated_at',
      is_deleted_column: 'is_deleted',
    },
  });
  datasetId = dataset.id;
  await extractNow(api, datasetId);
});
afterAll(async () => {
  await receiver.stop();
  await api.close();
  await source.drop();
});

type LoadRead = Load & { mode: string };
const redeliver = (streamId: string, headers: Record<string, string> = {}) =>
  api.request<{ data: { load: LoadRead }; error?: { code: string } }>(
    'POST',
    `/import/streams/${streamId}/load`,
    { redeliver: 'all' },
    { headers },
  );

async function finished(id: string): Promise<LoadRead> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const load = (await api.request<{ data: { load: LoadRead } }>('GET', `/import/loads/${id}`))
      .body.data.load;
    if (!['queued', 'running'].includes(load.status)) return load;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`load ${id} did not finish`);
}

async function batchStream() {
  const destination = await create(
    api,
    '/import/destinations',
    {
      destination: {
        name: 'batches',
        type: 'webhook_batch',
        record_schema: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string' }, email: { type: 'string' } },
        },
        webhook_batch: {
          request_template: { method: 'POST', uri: `${receiver.url}/batch` },
          format: 'json',
          max_records_per_batch: 10,
        },
      },
    },
    'destination',
  );
  const mappings = [
    { target_field: 'id', field_type: 'field', column: { name: 'id' } },
    { target_field: 'email', field_type: 'field', column: { name: 'email' } },
  ];
  return create(
    api,
    '/import/streams',
    {
      stream: {
        name: 'batches',
        dataset_id: datasetId,
        destination_id: destination.id,
        is_enabled: false,
        mappings,
      },
    },
    'stream',
  );
}

describe('redelivering every record', () => {
  test(
    'sends each current record exactly once more, deleted ones left out; the ledger and the tracer say so; the next load sends nothing',
    { timeout: 60_000 },
    async () => {
      receiver.reset();
      const stream = await batchStream();
      expect(await loadAndWait(api, stream.id)).toMatchObject({
        status: 'succeeded',
        records_loaded: RECORDS,
      });
      // One record is deleted at the source and the deletion delivered: a redelivery sends what exists.
      await source.client.query(
        `update customers set is_deleted = true, updated_at = clock_timestamp() where id = (select min(id) from customers)`,
      );
      await extractNow(api, datasetId);
      expect(await loadAndWait(api, stream.id)).toMatchObject({ records_loaded: 1 });
      const before = receiver.store.stats();
      expect(before).toMatchObject({ records: RECORDS + 1, duplicates: 0 });

      const asked = await redeliver(stream.id, {
        'x-inlet-actor': 'support:ada',
        'x-inlet-reason': 'the%20SaaS%20lost%20its%20data',
      });
      expect(asked.status, asked.text).toBe(200);
      expect(asked.body.data.load.mode).toBe('redeliver');
      const load = await finished(asked.body.data.load.id);
      expect(load).toMatchObject({
        status: 'succeeded',
        records_processed: RECORDS - 1,
        records_loaded: RECORDS - 1,
        records_errored: 0,
      });
      const after = receiver.store.stats();
      // New delivery ids: stored again, not discarded as duplicates; 39 records in 4 batches.
      expect(after.records - before.records).toBe(RECORDS - 1);
      expect(after.stored - before.stored).toBe(4);
      expect(after.duplicates).toBe(0);

      const ledger = (
        await api.engine.db.query<{ redelivery: boolean; n: number }>(
          'select redelivery, count(*)::int as n from stream_records where stream_id = $1 group by redelivery order by redelivery',
          [stream.id],
        )
      ).rows;
      expect(ledger).toEqual([
        { redelivery: false, n: 1 },
        { redelivery: true, n: RECORDS - 1 },
      ]);
      const someId = (
        await source.client.query<{ id: string }>('select max(id)::text as id from customers')
      ).rows[0]!.id;
      const trace = (
        await api.request<{ data: { record: { load: { redelivery: boolean } } } }>(
          'GET',
          `/import/datasets/${datasetId}/records/${someId}`,
        )
      ).body.data.record;
      expect(trace.load.redelivery).toBe(true);
      const logs = (
        await api.request<{
          data: { logs: { resource_id: string; reason: string; object: { mode: string } }[] };
        }>('GET', '/logs?event_type=IMPORT_LOAD_REQUEST')
      ).body.data.logs;
      expect(logs).toContainEqual(
        expect.objectContaining({
          resource_id: load.id,
          reason: 'the SaaS lost its data',
          object: expect.objectContaining({ mode: 'redeliver' }),
        }),
      );

      // Nothing is pending: the versions were delivered, twice.
      expect(await loadAndWait(api, stream.id)).toMatchObject({
        status: 'succeeded',
        records_processed: 0,
      });
      expect(receiver.store.stats().records).toBe(after.records);
    },
  );

  test(
    'each request says it is a redelivery, under an id of its own that stays the same across retries',
    { timeout: 30_000 },
    async () => {
      const seen: { id: string; redelivery: string | undefined; key: string }[] = [];
      let refuse = 0;
      const server = http.createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          seen.push({
            id: String(request.headers['x-prequel-delivery-id']),
            redelivery: request.headers['x-prequel-redelivery'] as string | undefined,
            key: (JSON.parse(body) as { id: string }).id,
          });
          response.statusCode = refuse-- > 0 ? 503 : 200;
          response.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const stream = await recordStream(api, {
          datasetId,
          uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/records`,
        });
        await loadAndWait(api, stream.id);
        const first = seen.splice(0);
        expect(first.every((request) => request.redelivery === undefined)).toBe(true);
        refuse = 1;
        await finished((await redeliver(stream.id)).body.data.load.id);
        expect(seen.every((request) => request.redelivery === 'true')).toBe(true);
        // The refused request was tried again under the same id; every id is new.
        const [refused, retried] = seen;
        expect(retried!.id).toBe(refused!.id);
        expect(
          seen.filter((request) => first.some((earlier) => earlier.id === request.id)),
        ).toEqual([]);
        expect(new Set(seen.map((request) => request.key)).size).toBe(RECORDS - 1);
      } finally {
        server.close();
      }
    },
  );

  test('a redelivery cannot be combined with record_ids, and is refused while another load runs', async () => {
    const stream = await batchStream();
    const both = await api.request('POST', `/import/streams/${stream.id}/load`, {
      redeliver: 'all',
      record_ids: ['1'],
    });
    expect(both.status).toBe(400);
    await api.engine.db.query(
      `insert into loads (id, stream_id, status, started_at) values ('01900000-0000-7000-8000-0000000000aa', $1, 'running', clock_timestamp())`,
      [stream.id],
    );
    try {
      const busy = await redeliver(stream.id);
      expect(busy.status).toBe(409);
      expect(busy.body.error?.code).toBe('load_running');
    } finally {
      await api.engine.db.query(
        `update loads set status = 'failed' where id = '01900000-0000-7000-8000-0000000000aa'`,
      );
    }
  });
});
