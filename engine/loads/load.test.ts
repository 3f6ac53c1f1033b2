import { createHash, createVerify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { create } from '../testing/fixtures';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { readStreamTransformed } from './load-ledger';

// A receiver that checks every delivery the way a SaaS would (node:crypto + the public key endpoint only).
interface Delivery {
  path: string;
  deliveryId: string;
  body: unknown;
  verified: boolean;
}
let receiver: http.Server;
let receiverUrl: string;
let publicKey = '';
const deliveries: Delivery[] = [];
let respond: (delivery: Delivery) => number = () => 200;

let api: TestEngine;
let source: SourceDatabase;

beforeAll(async () => {
  api = await startTestEngine({
    jobs: { load: { maxAttempts: 3, maxWaitMs: 300, timeoutMs: 3000 } },
  });
  source = await createSourceDatabase({
    customers: 120,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  publicKey = (
    (await (await fetch(`${api.baseUrl}/public/signatures/webhook-public-key`)).json()) as {
      data: { public_key: string };
    }
  ).data.public_key;
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const timestamp = String(req.headers['x-prequel-webhook-timestamp']);
      const verifier = createVerify('sha256');
      verifier.update(`${timestamp}.`);
      verifier.update(raw);
      const verified =
        createHash('sha256').update(raw).digest('hex') ===
          req.headers['x-prequel-webhook-digest'] &&
        verifier.verify(publicKey, String(req.headers['x-prequel-webhook-signature']), 'hex') &&
        Math.abs(Date.now() - Date.parse(timestamp)) < 300_000;
      const delivery = {
        path: req.url ?? '',
        deliveryId: String(req.headers['x-prequel-delivery-id']),
        body: JSON.parse(raw.toString('utf8')),
        verified,
      };
      deliveries.push(delivery);
      res.writeHead(verified ? respond(delivery) : 401);
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://localhost:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  receiver.close();
  await api.close();
  await source.drop();
});

type Load = {
  id: string;
  status: string;
  records_processed: number;
  records_loaded: number;
  records_errored: number;
  error: { blame: string; message: string } | null;
};

async function waitForLoad(streamId: string, previous: string[] = []): Promise<Load> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const list = await api.request<{ data: { loads: Load[] } }>(
      'GET',
      `/import/loads?stream_id=${streamId}&page_size=100`,
    );
    const load = list.body.data.loads.find(
      (candidate) =>
        !previous.includes(candidate.id) && ['succeeded', 'failed'].includes(candidate.status),
    );
    if (load) return load;
    if (Date.now() > deadline) throw new Error('no finished load');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const schema = {
  type: 'object',
  required: ['id', 'email'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    plan: { type: 'string' },
  },
};
const mappings = [
  { target_field: 'id', field_type: 'field', column: { name: 'id' } },
  { target_field: 'email', field_type: 'field', column: { name: 'email' } },
  {
    target_field: 'name',
    field_type: 'expression',
    expression: { expr: 'CONCATENATE(full_name, "")' },
  },
  { target_field: 'plan', field_type: 'field', column: { name: 'plan' } },
];
const customers = {
  table: { source_table_namespace: 'public', source_table_name: 'customers' },
  type: 'dimension',
  dimension: {
    primary_key_column: 'id',
    last_modified_column: 'updated_at',
    is_deleted_column: 'is_deleted',
  },
};

async function pipeline(destination: Record<string, unknown>) {
  const dataset = await createTableDataset(api, source, customers);
  const created = await create(
    api,
    '/import/destinations',
    { destination: { name: 'receiver', record_schema: schema, ...destination } },
    'destination',
    '?skip_validation=true',
  );
  const stream = await create(
    api,
    '/import/streams',
    { stream: { name: 'customers', dataset_id: dataset.id, destination_id: created.id, mappings } },
    'stream',
  );
  return { dataset, stream };
}

describe('loads', () => {
  test('an extract loads every record to a webhook_record endpoint, signed, with stable delivery ids', async () => {
    deliveries.length = 0;
    respond = () => 200;
    const { dataset, stream } = await pipeline({
      type: 'webhook_record',
      webhook_record: {
        request_template: { method: 'PUT', uri: `${receiverUrl}/customers/{{.Record.id}}` },
      },
    });
    await extractNow(api, dataset.id);
    const load = await waitForLoad(stream.id);
    expect(load).toMatchObject({
      status: 'succeeded',
      records_processed: 120,
      records_loaded: 120,
      records_errored: 0,
      error: null,
    });
    expect(deliveries).toHaveLength(120);
    expect(deliveries.every((delivery) => delivery.verified)).toBe(true);
    expect(new Set(deliveries.map((delivery) => delivery.deliveryId)).size).toBe(120);
    const first = deliveries.find((delivery) => delivery.path === '/customers/1')!;
    expect(first.body).toMatchObject({ id: '1' });
    const deleted = deliveries.filter(
      (delivery) => (delivery.body as { _prequel_is_deleted?: boolean })._prequel_is_deleted,
    );
    const softDeleted = Number(
      (await source.client.query('select count(*) from customers where is_deleted')).rows[0].count,
    );
    expect(deleted).toHaveLength(softDeleted);

    // Only what changes is delivered next time.
    const loads = [load.id];
    await source.client.query(
      `update customers set plan = 'enterprise', updated_at = clock_timestamp() where id in (3, 4)`,
    );
    deliveries.length = 0;
    await extractNow(api, dataset.id);
    const second = await waitForLoad(stream.id, loads);
    expect(second).toMatchObject({ status: 'succeeded', records_loaded: 2 });
    expect(deliveries.map((delivery) => delivery.path).sort()).toEqual([
      '/customers/3',
      '/customers/4',
    ]);
  });

  test('temporary failures are retried with the same delivery id; a rejected record does not hold back a batch', async () => {
    deliveries.length = 0;
    const failures = new Map<string, number>();
    respond = (delivery) => {
      const records = (delivery.body as { records: { id: string }[] }).records;
      if (records.some((record) => record.id === '13')) return 400;
      const seen = failures.get(delivery.deliveryId) ?? 0;
      failures.set(delivery.deliveryId, seen + 1);
      return seen < 2 ? 503 : 200;
    };
    const { dataset, stream } = await pipeline({
      type: 'webhook_batch',
      webhook_batch: {
        request_template: { method: 'POST', uri: `${receiverUrl}/batch` },
        format: 'json',
        max_records_per_batch: 50,
      },
    });
    await extractNow(api, dataset.id);
    const load = await waitForLoad(stream.id);
    expect(load).toMatchObject({ status: 'succeeded', records_loaded: 119, records_errored: 1 });
    expect(load.error).toMatchObject({ blame: 'destination' });
    // Every accepted batch was first refused twice under the same id.
    const accepted = [...failures.entries()].filter(([, attempts]) => attempts >= 3);
    expect(accepted.length).toBeGreaterThan(0);
    const deliveredIds = new Set(
      deliveries
        .filter((delivery) => (failures.get(delivery.deliveryId) ?? 0) >= 3)
        .flatMap((delivery) =>
          (delivery.body as { records: { id: string }[] }).records.map((record) => record.id),
        ),
    );
    expect(deliveredIds.size).toBe(119);
    expect(deliveredIds.has('13')).toBe(false);
    const envelope = deliveries[0]!.body as Record<string, unknown>;
    expect(envelope).toMatchObject({
      format: 'json',
      provider_id: expect.any(String),
      load_id: load.id,
    });

    // The record tracer shows where each record stopped.
    const rejected = await api.request<{
      data: { record: { load: { error: { error_code: string; error_trace: string } } } };
    }>('GET', `/import/datasets/${dataset.id}/records/13`);
    expect(rejected.status).toBe(200);
    expect(rejected.body.data.record.load.error).toMatchObject({
      error_code: 'destination_rejected',
      error_trace: expect.stringContaining('400'),
    });
    const delivered = await api.request<{
      data: {
        record: {
          transform: { data: Record<string, unknown> };
          validate_schema: { error: null };
          load: { error: null; last_loaded_at: string };
        };
      };
    }>('GET', `/import/datasets/${dataset.id}/records/12`);
    expect(delivered.body.data.record).toMatchObject({
      transform: { data: { id: '12' } },
      validate_schema: { error: null },
      load: { error: null },
    });
  });

  test('when a batch is split around a rejected record, every record keeps its own transformed data', async () => {
    deliveries.length = 0;
    // Record "13" sits in the middle of the first batch (ids in text order: 1, 10, 100, …, 12, 120, 13, …).
    respond = (delivery) =>
      (delivery.body as { records: { id: string }[] }).records.some((record) => record.id === '13')
        ? 400
        : 200;
    const { dataset, stream } = await pipeline({
      type: 'webhook_batch',
      webhook_batch: {
        request_template: { method: 'POST', uri: `${receiverUrl}/batch` },
        format: 'json',
        max_records_per_batch: 50,
      },
    });
    await extractNow(api, dataset.id);
    const load = await waitForLoad(stream.id);
    expect(load).toMatchObject({ status: 'succeeded', records_loaded: 119, records_errored: 1 });

    const ledger = await api.engine.db.query<{ record_id: string; status: string }>(
      'select record_id, status from stream_records where stream_id = $1',
      [stream.id],
    );
    expect(ledger.rows).toHaveLength(120);
    const transformed = await readStreamTransformed(api.engine.db, stream.id);
    const emails = new Map(
      (
        await source.client.query<{ id: string; email: string }>(
          'select id::text, email from customers',
        )
      ).rows.map((row) => [row.id, row.email]),
    );
    for (const row of ledger.rows)
      expect(transformed.get(row.record_id), `record ${row.record_id}`).toEqual(
        expect.objectContaining({ id: row.record_id, email: emails.get(row.record_id) }),
      );
    expect(
      ledger.rows.filter((row) => row.status === 'rejected').map((row) => row.record_id),
    ).toEqual(['13']);

    // The record tracer shows the same.
    for (const id of ['13', '14', '120']) {
      const traced = await api.request<{ data: { record: { load: { data: { id: string } } } } }>(
        'GET',
        `/import/datasets/${dataset.id}/records/${id}`,
      );
      expect(traced.body.data.record.load.data.id).toBe(id);
    }
  });
});
