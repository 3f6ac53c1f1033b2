import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { DatalakeCreate } from '../../lib/prequel/contract/datalake';
import type { DestinationCreate } from '../../lib/prequel/contract/destination';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { csvRecords, parseCsv } from '../../scripts/receiver/parse-csv';
import type { DatalakeStore } from '../datalake/datalake-store';
import { openDatalake } from '../datalake/open-datalake';
import { openDatalakeFor, openDatalakeForProvider } from '../datalake/open-datalake-for';
import {
  type DeliveryContext,
  deliverRecords,
  type VersionedRecord,
} from '../deliver/deliver-records';
import { LocalThrottle } from '../deliver/destination-throttle';
import { signingKey } from '../deliver/signing-key';
import { create, localDatalake, provider } from '../testing/fixtures';
import { extractNow } from '../testing/extract-fixtures';
import { loadAndWait } from '../testing/load-fixtures';
import { S3_TEST_CREDENTIALS } from '../testing/s3-server';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// webhook_batch csv/parquet end to end: files in the provider's datalake, signed links the engine (or S3) serves,
// and the reference receiver downloading, verifying and storing every record.

interface Item {
  id: number;
  name: string | null;
  big: string;
  attrs: Record<string, unknown> | null;
  score: number | null;
  ratio: number;
  active: boolean;
  is_deleted: boolean;
}

// One deletion, unicode with the characters CSV must quote, an integer beyond 2^53, nested objects, NULLs and ''.
const ITEMS: Item[] = [
  {
    id: 1,
    name: 'Zoë 🚀 "quoted", with a comma\nand a new line',
    big: '9007199254740993',
    attrs: { plan: { tier: 'pro', seats: 3 }, tags: ['a', 'b'] },
    score: 42,
    ratio: 0.5,
    active: true,
    is_deleted: false,
  },
  {
    id: 2,
    name: '',
    big: '-9007199254740995',
    attrs: null,
    score: null,
    ratio: -1.25,
    active: false,
    is_deleted: false,
  },
  { id: 3, name: null, big: '1', attrs: {}, score: 0, ratio: 3, active: true, is_deleted: false },
  {
    id: 4,
    name: 'gone',
    big: '4',
    attrs: { reason: 'churned' },
    score: 7,
    ratio: 0,
    active: false,
    is_deleted: true,
  },
  {
    id: 5,
    name: '日本語テキスト',
    big: '9223372036854775807',
    attrs: { deep: { deeper: { deepest: [1, { x: null }] } } },
    score: -5,
    ratio: 1e-7,
    active: true,
    is_deleted: false,
  },
  {
    id: 6,
    name: 'plain',
    big: '6',
    attrs: null,
    score: 2147483647,
    ratio: 123456.75,
    active: false,
    is_deleted: false,
  },
];

const recordSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string' },
    name: { type: ['string', 'null'] },
    big: { type: 'string' },
    attrs: { type: ['object', 'null'] },
    score: { type: ['integer', 'null'] },
    ratio: { type: 'number' },
    active: { type: 'boolean' },
  },
};
const mappings = Object.keys(recordSchema.properties).map((name) => ({
  target_field: name,
  field_type: 'field',
  column: { name },
}));

/** The record a receiver should end up with for an item, as typed values. */
const expectedRecord = (item: Item) => ({
  id: String(item.id),
  name: item.name,
  big: item.big,
  attrs: item.attrs,
  score: item.score,
  ratio: item.ratio,
  active: item.active,
  _prequel_is_deleted: item.is_deleted,
});

/** The same record as a CSV reader sees it: text, NULL as empty, objects as JSON text. */
const asCsvRow = (record: ReturnType<typeof expectedRecord>) =>
  Object.fromEntries(
    Object.entries(record).map(([name, value]) => [
      name,
      value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value),
    ]),
  );

let api: TestEngine;
let source: SourceDatabase;
let receiver: Receiver;
let tap: http.Server;
let tapUrl: string;
let duck: DuckDBInstance;
let scratch: string;
const s3Bucket = `inlet-artifacts-${randomBytes(4).toString('hex')}`;

interface Sent {
  path: string;
  deliveryId: string;
  body: {
    format: string;
    path: string;
    presigned_url: string;
    record_count: number;
    provider_id: string;
    load_id: string;
  };
  status: number;
}
// Every delivery passes through this tap on its way to the reference receiver, so a test can read the bodies.
const sent: Sent[] = [];

beforeAll(async () => {
  api = await startTestEngine({
    jobs: { load: { maxAttempts: 2, maxWaitMs: 300, timeoutMs: 5000 } },
  });
  // Local datalakes' download links point at the engine itself.
  api.engine.publicUrl = api.baseUrl;
  source = await createSourceDatabase();
  await source.client
    .query(`create table items (id bigint primary key, name text, big bigint not null, attrs jsonb, score integer, ratio double precision not null,
    active boolean not null, is_deleted boolean not null, updated_at timestamptz not null default clock_timestamp())`);
  for (const item of ITEMS) {
    await source.client.query(
      'insert into items (id, name, big, attrs, score, ratio, active, is_deleted) values ($1, $2, $3, $4, $5, $6, $7, $8)',
      [
        item.id,
        item.name,
        item.big,
        item.attrs === null ? null : JSON.stringify(item.attrs),
        item.score,
        item.ratio,
        item.active,
        item.is_deleted,
      ],
    );
  }
  receiver = createReceiver({ engineUrl: api.baseUrl });
  await receiver.start();
  tap = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          ([name]) => name.startsWith('x-prequel-') || name === 'content-type',
        ),
      ) as Record<string, string>;
      void fetch(`${receiver.url}${req.url}`, { method: req.method, headers, body: raw }).then(
        async (response) => {
          sent.push({
            path: req.url ?? '',
            deliveryId: headers['x-prequel-delivery-id']!,
            body: JSON.parse(raw.toString('utf8')) as Sent['body'],
            status: response.status,
          });
          res.writeHead(response.status, { 'content-type': 'application/json' });
          res.end(await response.text());
        },
      );
    });
  });
  await new Promise<void>((resolve) => tap.listen(0, '127.0.0.1', resolve));
  tapUrl = `http://127.0.0.1:${(tap.address() as AddressInfo).port}`;
  duck = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  scratch = mkdtempSync(path.join(os.tmpdir(), 'inlet-batch-artifacts-'));
  const s3 = new S3Client({
    endpoint: inject('s3Endpoint'),
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3_TEST_CREDENTIALS,
  });
  await s3.send(new CreateBucketCommand({ Bucket: s3Bucket }));
  s3.destroy();
});
afterAll(async () => {
  tap.closeAllConnections();
  tap.close();
  await receiver.stop();
  await api.close();
  await source.drop();
  duck.closeSync();
  rmSync(scratch, { recursive: true, force: true });
});

/** datalake → provider → source → dataset over `items` → batch destination → stream (loads started by hand). */
async function batchPipeline(
  format: 'csv' | 'parquet',
  datalake: Record<string, unknown> = localDatalake(),
) {
  const lake = await create(api, '/import/datalakes', datalake, 'datalake');
  const tenant = await create(api, '/import/providers', provider(lake.id), 'provider');
  const sourceRow = await create(
    api,
    '/import/sources',
    {
      source: {
        name: 'items',
        vendor: 'postgres',
        provider_id: tenant.id,
        postgres: source.postgres,
      },
    },
    'source',
  );
  const dataset = await create(
    api,
    '/import/datasets',
    {
      dataset: {
        source_id: sourceRow.id,
        method: 'table',
        frequency_minutes: 60,
        table: { source_table_namespace: 'public', source_table_name: 'items' },
        type: 'dimension',
        dimension: {
          primary_key_column: 'id',
          last_modified_column: 'updated_at',
          is_deleted_column: 'is_deleted',
        },
      },
    },
    'dataset',
  );
  const destination = await create(
    api,
    '/import/destinations',
    {
      destination: {
        name: `${format} batches`,
        type: 'webhook_batch',
        record_schema: recordSchema,
        webhook_batch: {
          request_template: { method: 'POST', uri: `${tapUrl}/batches/{{.ProviderID}}` },
          format,
          max_records_per_batch: 4,
        },
      },
    },
    'destination',
    '?skip_validation=true',
  );
  const stream = await create(
    api,
    '/import/streams',
    {
      stream: {
        name: format,
        dataset_id: dataset.id,
        destination_id: destination.id,
        is_enabled: false,
        mappings,
      },
    },
    'stream',
  );
  await extractNow(api, dataset.id);
  return { providerId: tenant.id, datalakeId: lake.id, destinationId: destination.id, stream };
}

/**
 * record_schema's properties in the order the API returns them: the file's columns follow it (a saved schema is
 * jsonb, which orders keys by length, then bytes).
 */
async function savedColumns(destinationId: string): Promise<string[]> {
  const response = await api.request<{
    data: { destination: { record_schema: { properties: Record<string, unknown> } } };
  }>('GET', `/import/destinations/${destinationId}`);
  return Object.keys(response.body.data.destination.record_schema.properties);
}

async function readParquet(bytes: Buffer): Promise<Record<string, unknown>[]> {
  const file = path.join(scratch, `${randomBytes(6).toString('hex')}.parquet`);
  writeFileSync(file, bytes);
  const connection = await duck.connect();
  try {
    return (
      await connection.runAndReadAll(`select * from read_parquet('${file}')`)
    ).getRowObjects() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
  }
}

const byId = <T extends Record<string, unknown>>(rows: T[]) =>
  [...rows].sort((a, b) => Number(a.id) - Number(b.id));
/** JSON text compared as values: jsonb and JSON.stringify order keys differently. */
const parseAttrs = (row: Record<string, unknown>) => ({
  ...row,
  attrs: row.attrs === '' || row.attrs === null ? null : JSON.parse(String(row.attrs)),
});
const csvRows = () => ITEMS.map((item) => parseAttrs(asCsvRow(expectedRecord(item))));

/** Loads the stream and checks the deliveries' envelopes; returns them. */
async function loadBatches(
  format: 'csv' | 'parquet',
  pipeline: Awaited<ReturnType<typeof batchPipeline>>,
) {
  sent.length = 0;
  receiver.reset();
  const load = await loadAndWait(api, pipeline.stream.id, 60_000);
  expect(load, JSON.stringify(load.error)).toMatchObject({
    status: 'succeeded',
    records_loaded: ITEMS.length,
    records_errored: 0,
  });
  // Six records in batches of at most four: two files.
  expect(sent).toHaveLength(2);
  for (const delivery of sent) {
    expect(delivery.status).toBe(200);
    expect(Object.keys(delivery.body).sort()).toEqual([
      'format',
      'load_id',
      'path',
      'presigned_url',
      'provider_id',
      'record_count',
    ]);
    expect(delivery.body).toMatchObject({
      format,
      provider_id: pipeline.providerId,
      load_id: load.id,
    });
    // Named after the delivery id, so a retry of the batch rewrites the same file.
    expect(delivery.body.path).toBe(
      `artifacts/${pipeline.providerId}/${load.id}/batch-${delivery.deliveryId}.${format}`,
    );
  }
  expect(sent.reduce((total, delivery) => total + delivery.body.record_count, 0)).toBe(
    ITEMS.length,
  );

  // The reference receiver verified every signature, downloaded every file and stored every record once.
  const stats = receiver.store.stats();
  expect(stats).toMatchObject({
    stored: 2,
    records: ITEMS.length,
    deletions: 1,
    rejections: 0,
    failed: 0,
  });
  expect(
    receiver.store
      .records({ provider: pipeline.providerId })
      .records.every((record) => record.kind === `batch-${format}`),
  ).toBe(true);
  return { load, deliveries: [...sent] };
}

/** What deliverRecords needs to send csv/parquet batches to the tap at `path`, publishing their files to `store`. */
async function fileBatchContext(options: {
  name: string;
  path: string;
  format: 'csv' | 'parquet';
  perBatch: number;
  loadId: string;
  store: DatalakeStore;
  urlTtlSeconds?: number;
}): Promise<DeliveryContext> {
  return {
    destination: {
      name: options.name,
      type: 'webhook_batch',
      record_schema: recordSchema,
      webhook_batch: {
        request_template: { method: 'POST', uri: `${tapUrl}${options.path}` },
        format: options.format,
        max_records_per_batch: options.perBatch,
      },
      max_records_per_minute: 1000,
      max_concurrency: 1,
    } as DestinationCreate,
    streamId: `stream-${options.name.replaceAll(' ', '-')}`,
    providerId: 'acme',
    loadId: options.loadId,
    privateKey: (await signingKey(api.engine)).privateKey,
    policy: { lookup: api.engine.lookup, allowPrivateHosts: true },
    throttle: new LocalThrottle({ recordsPerMinute: 1000, maxConcurrency: 1 }),
    artifacts: {
      store: options.store,
      workDir: path.join(scratch, 'work'),
      urlTtlSeconds: options.urlTtlSeconds,
    },
  };
}

describe('webhook_batch csv and parquet files', () => {
  test(
    'csv: every record arrives in files under artifacts/, downloadable through the signed link',
    { timeout: 90_000 },
    async () => {
      const pipeline = await batchPipeline('csv');
      const { deliveries } = await loadBatches('csv', pipeline);

      const rows: Record<string, unknown>[] = [];
      for (const delivery of deliveries) {
        expect(
          delivery.body.presigned_url.startsWith(
            `${api.baseUrl}/public/artifacts/${pipeline.datalakeId}/${delivery.body.path}?`,
          ),
        ).toBe(true);
        const response = await fetch(delivery.body.presigned_url);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        const text = await response.text();
        expect(text.split('\r\n')[0]).toBe(
          [...(await savedColumns(pipeline.destinationId)), '_prequel_is_deleted'].join(','),
        );
        const table = csvRecords(parseCsv(text));
        expect(table).toHaveLength(delivery.body.record_count);
        rows.push(...table);
      }
      expect(byId(rows).map(parseAttrs)).toEqual(csvRows());
      // NULL and the empty string stay apart in the file itself.
      const texts = await Promise.all(
        deliveries.map(async (delivery) => (await fetch(delivery.body.presigned_url)).text()),
      );
      expect(texts.join('')).toContain('\r\n2,-9007199254740995,"",,-1.25,,false,false\r\n');
      expect(texts.join('')).toContain('\r\n3,1,,{},3,0,true,false\r\n');

      // The receiver stored the same rows.
      const stored = receiver.store
        .records({ provider: pipeline.providerId })
        .records.map((record) => record.record as Record<string, unknown>);
      expect(byId(stored).map(parseAttrs)).toEqual(csvRows());

      // The files are in the provider's datalake, under artifacts/.
      const store = await openDatalakeForProvider(api.engine, pipeline.providerId);
      const listed = (await store.list(`artifacts/${pipeline.providerId}/`)).map(
        (object) => object.key,
      );
      expect(listed.sort()).toEqual(deliveries.map((delivery) => delivery.body.path).sort());
    },
  );

  test(
    'parquet: typed columns in record_schema order, every value exact, read back with DuckDB',
    { timeout: 90_000 },
    async () => {
      const pipeline = await batchPipeline('parquet');
      const { deliveries } = await loadBatches('parquet', pipeline);

      const rows: Record<string, unknown>[] = [];
      for (const delivery of deliveries) {
        const response = await fetch(delivery.body.presigned_url);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/vnd.apache.parquet');
        const fileRows = await readParquet(Buffer.from(await response.arrayBuffer()));
        expect(fileRows).toHaveLength(delivery.body.record_count);
        expect(Object.keys(fileRows[0]!)).toEqual([
          ...(await savedColumns(pipeline.destinationId)),
          '_prequel_is_deleted',
        ]);
        rows.push(...fileRows);
      }
      // Integers come back as BIGINT, nested objects as JSON text.
      expect(byId(rows).map(parseAttrs)).toEqual(
        ITEMS.map((item) => ({
          ...expectedRecord(item),
          score: item.score === null ? null : BigInt(item.score),
        })),
      );

      const stored = receiver.store
        .records({ provider: pipeline.providerId })
        .records.map((record) => record.record as Record<string, unknown>);
      expect(byId(stored).map(parseAttrs)).toEqual(
        ITEMS.map((item) => ({
          ...expectedRecord(item),
          score: item.score === null ? null : String(item.score),
        })),
      );
      const store = await openDatalakeForProvider(api.engine, pipeline.providerId);
      for (const delivery of deliveries) expect(await store.exists(delivery.body.path)).toBe(true);
    },
  );

  test(
    'an altered link is refused with 403, and a link past its lifetime (set in the delivery context) with 404',
    { timeout: 30_000 },
    async () => {
      const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
      const loadId = `load-${randomBytes(4).toString('hex')}`;
      const records: VersionedRecord[] = ITEMS.slice(0, 2).map((item) => ({
        recordId: String(item.id),
        version: 1,
        isDeleted: false,
        record: { id: String(item.id), name: item.name },
      }));
      sent.length = 0;
      const store = await openDatalakeFor(api.engine, lake.id);
      const outcomes = await deliverRecords(
        records,
        await fileBatchContext({
          name: 'short links',
          path: '/short',
          format: 'csv',
          perBatch: 10,
          loadId,
          store,
          urlTtlSeconds: 2,
        }),
      );
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['delivered', 'delivered']);
      const link = new URL(sent[0]!.body.presigned_url);
      // Links are signed to whole seconds: this one lives between one and two seconds.
      expect(Number(link.searchParams.get('expires')) - Date.now() / 1000).toBeLessThanOrEqual(2);

      const tampered = [
        link.toString().replace(/signature=[0-9a-f]{4}/, 'signature=0000'),
        link
          .toString()
          .replace(/expires=\d+/, `expires=${Number(link.searchParams.get('expires')) + 3600}`),
        link.toString().replace('.csv?', '.parquet?'),
      ];
      for (const url of tampered) {
        const response = await fetch(url);
        expect(response.status).toBe(403);
        expect(await response.json()).toMatchObject({
          status: 'error',
          error: { code: 'invalid_signature' },
        });
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Number(link.searchParams.get('expires')) * 1000 - Date.now() + 50),
      );
      const expired = await fetch(link);
      expect(expired.status).toBe(404);
      expect(await expired.json()).toMatchObject({
        status: 'error',
        error: { code: 'link_expired' },
      });
    },
  );

  test(
    'a re-sent batch reuses its file; each half of a split batch gets a file of its own',
    { timeout: 30_000 },
    async () => {
      const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
      const store = await openDatalakeFor(api.engine, lake.id);
      const loadId = `load-${randomBytes(4).toString('hex')}`;
      const records: VersionedRecord[] = ITEMS.slice(0, 4).map((item) => ({
        recordId: String(item.id),
        version: 1,
        isDeleted: false,
        record: { id: String(item.id), name: item.name },
      }));
      const context = await fileBatchContext({
        name: 'split',
        path: '/split',
        format: 'parquet',
        perBatch: 10,
        loadId,
        store,
      });

      sent.length = 0;
      receiver.reset();
      await deliverRecords(records, context);
      await deliverRecords(records, context);
      expect(sent).toHaveLength(2);
      expect(sent[1]!.deliveryId).toBe(sent[0]!.deliveryId);
      expect(sent[1]!.body.path).toBe(sent[0]!.body.path);
      expect((await store.list(`artifacts/acme/${loadId}/`)).map((object) => object.key)).toEqual([
        sent[0]!.body.path,
      ]);
      expect(receiver.store.stats()).toMatchObject({ stored: 1, duplicates: 1 });

      // The receiver refuses record 3 (of a newer version): the batch is halved until it is alone, each part a file.
      sent.length = 0;
      receiver.control.set({}, { rejectWhen: (record) => (record as { id?: string }).id === '3' });
      const newer = records.map((record) => ({ ...record, version: 2 }));
      const outcomes = await deliverRecords(newer, { ...context, loadId: `${loadId}-split` });
      receiver.control.reset();
      expect(
        Object.fromEntries(outcomes.map((outcome) => [outcome.recordId, outcome.status])),
      ).toEqual({ 1: 'delivered', 2: 'delivered', 3: 'rejected', 4: 'delivered' });
      expect(sent.map((delivery) => delivery.body.record_count)).toEqual([4, 2, 2, 1, 1]);
      const paths = sent.map((delivery) => delivery.body.path);
      expect(new Set(paths).size).toBe(5);
      expect(
        (await store.list(`artifacts/acme/${loadId}-split/`)).map((object) => object.key).sort(),
      ).toEqual([...paths].sort());
    },
  );

  test(
    'once the endpoint answers 410 Gone, no file is published for the batches that will not be sent',
    { timeout: 30_000 },
    async () => {
      const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
      const store = await openDatalakeFor(api.engine, lake.id);
      const loadId = `load-${randomBytes(4).toString('hex')}`;
      const records: VersionedRecord[] = ITEMS.slice(0, 6).map((item) => ({
        recordId: String(item.id),
        version: 1,
        isDeleted: false,
        record: { id: String(item.id), name: item.name },
      }));
      sent.length = 0;
      receiver.control.set({ sequence: [410] });
      const outcomes = await deliverRecords(
        records,
        await fileBatchContext({
          name: 'gone',
          path: '/gone',
          format: 'csv',
          perBatch: 2,
          loadId,
          store,
        }),
      );
      receiver.control.reset();
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'retry',
        'retry',
        'retry',
        'retry',
        'retry',
        'retry',
      ]);
      // One request (answered 410), one file: the other two batches were neither sent nor written.
      expect(sent).toHaveLength(1);
      expect((await store.list(`artifacts/acme/${loadId}/`)).map((object) => object.key)).toEqual([
        sent[0]!.body.path,
      ]);
    },
  );

  test('a file that cannot be published leaves the records to retry, with the reason and its fix', async () => {
    // A local datalake opened without the engine's public URL cannot sign links.
    const store = openDatalake(
      { name: 'no links', storage: 'local', local: { path: 'no-links' } } as DatalakeCreate,
      { dataDir: api.engine.dataDir, cacheDir: path.join(scratch, 'cache') },
    );
    sent.length = 0;
    const outcomes = await deliverRecords(
      [{ recordId: '1', version: 1, isDeleted: false, record: { id: '1' } }],
      await fileBatchContext({
        name: 'no links',
        path: '/never',
        format: 'csv',
        perBatch: 10,
        loadId: 'load-no-links',
        store,
      }),
    );
    expect(outcomes).toEqual([
      {
        recordId: '1',
        version: 1,
        status: 'retry',
        reason: expect.stringMatching(/could not be published.*ENGINE_PUBLIC_URL/),
      },
    ]);
    expect(sent).toHaveLength(0);
  });

  test(
    'an S3 datalake: the file goes to the bucket and the presigned URL downloads it from S3',
    { timeout: 90_000 },
    async () => {
      const pipeline = await batchPipeline('csv', {
        datalake: {
          name: `s3-${randomBytes(3).toString('hex')}`,
          storage: 's3_compatible',
          s3_compatible: {
            endpoint: inject('s3Endpoint'),
            bucket_name: s3Bucket,
            region: 'us-east-1',
            prefix: 'tenants',
            access_id: S3_TEST_CREDENTIALS.accessKeyId,
            secret_key: S3_TEST_CREDENTIALS.secretAccessKey,
            force_path_style: true,
          },
        },
      });
      const { deliveries } = await loadBatches('csv', pipeline);

      const rows: Record<string, unknown>[] = [];
      for (const delivery of deliveries) {
        const link = new URL(delivery.body.presigned_url);
        expect(link.origin).toBe(inject('s3Endpoint'));
        expect(link.pathname).toBe(`/${s3Bucket}/tenants/${delivery.body.path}`);
        expect(link.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
        // 24 hours unless the delivery context says otherwise.
        expect(link.searchParams.get('X-Amz-Expires')).toBe('86400');
        expect(link.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
        const response = await fetch(link);
        expect(response.status).toBe(200);
        rows.push(...csvRecords(parseCsv(await response.text())));
      }
      expect(byId(rows).map(parseAttrs)).toEqual(csvRows());
    },
  );
});
