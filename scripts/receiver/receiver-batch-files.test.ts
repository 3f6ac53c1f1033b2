import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver, type Receiver } from './create-receiver';
import { generateTestKeys, postSigned, type TestKeys } from './testing/sign-delivery';

// Quoted commas, escaped quotes and a line break inside a field: a naive split would miscount the rows.
const CSV =
  'id,name,note,_prequel_is_deleted\r\n1,"Smith, Ada","said ""hi""",false\r\n2,Bob,"two\nlines",false\r\n3,,,true\r\n';

let keys: TestKeys;
let receiver: Receiver;
let files: Server;
let filesUrl: string;
let scratch: string;
let parquet: Buffer;
const hits = new Map<string, number>();

beforeAll(async () => {
  keys = generateTestKeys();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'inlet-receiver-test-'));
  const parquetFile = path.join(scratch, 'batch.parquet');
  const duck = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await duck.connect();
  await connection.run(
    `copy (select i::varchar as id, 'user ' || i as name, 9007199254740993 + i as big, i = 5 as _prequel_is_deleted from range(1, 6) t(i)) to '${parquetFile}' (format parquet)`,
  );
  connection.closeSync();
  duck.closeSync();
  parquet = readFileSync(parquetFile);

  // Stands in for the engine's /public/artifacts/… links.
  files = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://files').pathname;
    hits.set(name, (hits.get(name) ?? 0) + 1);
    if (name === '/users.csv')
      return void response.writeHead(200, { 'content-type': 'text/csv' }).end(CSV);
    if (name === '/slow.csv') return void setTimeout(() => response.writeHead(200).end(CSV), 200);
    if (name === '/users.parquet')
      return void response
        .writeHead(200, { 'content-type': 'application/vnd.apache.parquet' })
        .end(parquet);
    if (name === '/broken.csv')
      return void response.writeHead(200).end('id,name\n1,"unterminated\n');
    if (name === '/moved.csv')
      return void response.writeHead(302, { location: '/users.csv' }).end();
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;

  receiver = createReceiver({ publicKeyPem: keys.publicKeyPem, download: { timeoutMs: 2000 } });
  await receiver.start();
});

afterAll(async () => {
  await receiver.stop();
  await new Promise<void>((resolve) => files.close(() => resolve()));
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(() => {
  receiver.reset();
  hits.clear();
});

const batch = (format: 'csv' | 'parquet', presignedUrl: string, deliveryId: string) =>
  postSigned(`${receiver.url}/batches`, {
    privateKey: keys.privateKey,
    deliveryId,
    body: {
      format,
      path: `artifacts/load-1/${deliveryId}.${format}`,
      presigned_url: presignedUrl,
      provider_id: 'acme',
      load_id: 'load-1',
    },
  });

describe('csv and parquet batches', () => {
  it('downloads a csv batch from its presigned URL and stores each row, deletions included', async () => {
    const response = await batch('csv', `${filesUrl}/users.csv?expires=1&signature=abc`, 'csv-1');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'accepted', records: 3 });
    expect(
      receiver.store
        .records()
        .records.map((stored) => [stored.kind, stored.key, stored.isDeleted, stored.record]),
    ).toEqual([
      [
        'batch-csv',
        '1',
        false,
        { id: '1', name: 'Smith, Ada', note: 'said "hi"', _prequel_is_deleted: 'false' },
      ],
      [
        'batch-csv',
        '2',
        false,
        { id: '2', name: 'Bob', note: 'two\nlines', _prequel_is_deleted: 'false' },
      ],
      ['batch-csv', '3', true, { id: '3', name: '', note: '', _prequel_is_deleted: 'true' }],
    ]);
    expect(receiver.store.deliveries()).toEqual([
      expect.objectContaining({
        kind: 'batch-csv',
        records: 3,
        loadId: 'load-1',
        bytes: expect.any(Number),
      }),
    ]);
    expect(receiver.store.deliveries()[0]!.bytes).toBeGreaterThan(CSV.length);
  });

  it('reads a parquet batch with exact big integers', async () => {
    const response = await batch('parquet', `${filesUrl}/users.parquet`, 'pq-1');
    expect(response.status).toBe(200);
    const records = receiver.store.records().records;
    expect(records).toHaveLength(5);
    expect(records[0]).toMatchObject({
      kind: 'batch-parquet',
      key: '1',
      isDeleted: false,
      record: { id: '1', name: 'user 1', big: '9007199254740994' },
    });
    expect(records[4]).toMatchObject({ key: '5', isDeleted: true });
  });

  it('downloads only from loopback or the engine’s host', async () => {
    const response = await batch('csv', 'http://198.51.100.7/users.csv', 'far-away');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ reason: 'download_host_not_allowed' });
    expect((await batch('csv', 'file:///etc/passwd', 'file-url')).status).toBe(400);
    expect(receiver.store.stats()).toMatchObject({ records: 0, failed: 2 });
  });

  it('downloads from hosts it is told to trust as well', async () => {
    const port = new URL(filesUrl).port;
    expect((await batch('csv', `http://127.0.0.2:${port}/users.csv`, 'other-host')).status).toBe(
      400,
    );
    const trusting = createReceiver({
      publicKeyPem: keys.publicKeyPem,
      download: { allowedHosts: ['127.0.0.2'], timeoutMs: 2000 },
    });
    const url = await trusting.start();
    try {
      // Nothing listens on 127.0.0.2 here: the download is attempted (and fails), where before it was refused.
      const response = await postSigned(`${url}/batches`, {
        privateKey: keys.privateKey,
        body: { format: 'csv', path: 'a.csv', presigned_url: `http://127.0.0.2:${port}/users.csv` },
      });
      expect(await response.json()).toMatchObject({ reason: 'download_failed' });
    } finally {
      await trusting.stop();
    }
  });

  it('answers 502 to a failed download so the sender retries, and stores the retry', async () => {
    const missing = await batch('csv', `${filesUrl}/expired.csv`, 'retry-1');
    expect(missing.status).toBe(502);
    expect(await missing.json()).toMatchObject({
      reason: 'download_failed',
      message: expect.stringContaining('404'),
    });
    expect((await batch('csv', `${filesUrl}/users.csv`, 'retry-1')).status).toBe(200);
    expect(receiver.store.stats()).toMatchObject({ stored: 1, records: 3, failed: 1 });
  });

  it('does not follow a redirect from the file host', async () => {
    const response = await batch('csv', `${filesUrl}/moved.csv`, 'moved');
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      message: expect.stringContaining('redirects are not followed'),
    });
    expect(hits.get('/users.csv')).toBeUndefined();
  });

  it('answers 422 to a file it cannot read', async () => {
    const response = await batch('csv', `${filesUrl}/broken.csv`, 'broken');
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      reason: 'unreadable_file',
      message: expect.stringContaining('not closed'),
    });
  });

  it('downloads a batch once when a retry arrives while the first attempt is still downloading', async () => {
    const [first, retry] = await Promise.all([
      batch('csv', `${filesUrl}/slow.csv`, 'slow'),
      batch('csv', `${filesUrl}/slow.csv`, 'slow'),
    ]);
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(hits.get('/slow.csv')).toBe(1);
    expect(receiver.store.stats()).toMatchObject({ stored: 1, duplicates: 1, records: 3 });
  });

  it('gives up on a download that takes too long', async () => {
    const impatient = createReceiver({
      publicKeyPem: keys.publicKeyPem,
      download: { timeoutMs: 50 },
    });
    const url = await impatient.start();
    try {
      const response = await postSigned(`${url}/batches`, {
        privateKey: keys.privateKey,
        body: { format: 'csv', path: 'a.csv', presigned_url: `${filesUrl}/slow.csv` },
      });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({
        message: expect.stringContaining('timed out'),
      });
    } finally {
      await impatient.stop();
    }
  });
});
