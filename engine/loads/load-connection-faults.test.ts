import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { loadAndWait, recordStream } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// Endpoints that fail below HTTP, through whole loads (research §7.2 item 13): TLS that cannot be trusted, an answer
// that never comes, and an answer far too big to read.
const RECORDS = 5;
const TIMEOUT_MS = 1000;
let api: TestEngine;
let source: SourceDatabase;
let receiver: Receiver;
let datasetId: string;

beforeAll(async () => {
  api = await startTestEngine({
    jobs: { load: { maxAttempts: 3, maxWaitMs: 2000, timeoutMs: TIMEOUT_MS } },
  });
  source = await createSourceDatabase({
    customers: RECORDS,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  receiver = createReceiver({ engineUrl: api.baseUrl });
  await receiver.start();
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
  await api.close();
  await source.drop();
});

const listen = async <T extends net.Server>(server: T) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

async function ledger(streamId: string) {
  return (
    await api.engine.db.query<{ status: string; error: { error_trace: string } | null }>(
      'select status, error from stream_records where stream_id = $1',
      [streamId],
    )
  ).rows;
}

/** A self-signed certificate for 127.0.0.1, made by the openssl binary (node:crypto cannot issue X.509 certificates). */
function selfSignedCertificate() {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'inlet-tls-'));
  try {
    const [key, cert] = [path.join(directory, 'key.pem'), path.join(directory, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('failures below HTTP, through whole loads', () => {
  test('an endpoint whose TLS cannot be trusted fails like a connection, retried, with a reason naming TLS', async () => {
    let handshakes = 0;
    let requests = 0;
    const selfSigned = https.createServer(selfSignedCertificate(), (_req, res) => {
      requests++;
      res.end();
    });
    selfSigned.on('tlsClientError', () => handshakes++);
    // And a server that is not TLS at all.
    const plain = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
    const [selfSignedPort, plainPort] = [await listen(selfSigned), await listen(plain)];
    try {
      const limits = { max_concurrency: RECORDS };
      const untrusted = await recordStream(api, {
        datasetId,
        uri: `https://127.0.0.1:${selfSignedPort}/records`,
        limits,
      });
      const load = await loadAndWait(api, untrusted.id);
      expect(load).toMatchObject({
        status: 'failed',
        records_loaded: 0,
        records_errored: RECORDS,
        error: { error_code: 'destination_unavailable', blame: 'destination' },
      });
      expect(load.error?.message).toMatch(
        /TLS certificate was not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\) after 3 attempts.*retried automatically/,
      );
      expect(requests).toBe(0);
      // Three attempts per record (plus, perhaps, the reachability probe when the destination was created).
      expect(handshakes - 3 * RECORDS).toBeOneOf([0, 1]);
      expect((await ledger(untrusted.id)).every((row) => row.status === 'retry')).toBe(true);

      const notTls = await recordStream(api, {
        datasetId,
        uri: `https://127.0.0.1:${plainPort}/records`,
        limits,
      });
      const garbled = await loadAndWait(api, notTls.id);
      expect(garbled).toMatchObject({ status: 'failed', records_errored: RECORDS });
      expect(garbled.error?.message).toMatch(/TLS handshake with the endpoint failed \(\w+\)/);
    } finally {
      selfSigned.closeAllConnections();
      selfSigned.close();
      plain.close();
    }
  });

  test('an endpoint that accepts and then stalls is timed out and retried; the reason says so', async () => {
    receiver.reset();
    // The first record: a stall before the answer, one after the headers, another before the answer.
    receiver.control.set({
      sequence: [{ kind: 'stall' }, { kind: 'stall', sendHeaders: true }, { kind: 'stall' }],
    });
    const stream = await recordStream(api, { datasetId, uri: `${receiver.url}/records` });
    const started = performance.now();
    const load = await loadAndWait(api, stream.id);
    const elapsed = performance.now() - started;
    expect(load).toMatchObject({
      status: 'succeeded',
      records_loaded: RECORDS - 1,
      records_errored: 1,
      error: { error_code: 'destination_unavailable' },
    });
    expect(load.error?.message).toMatch(/timed out.*after 3 attempts/);
    expect(receiver.store.stats()).toMatchObject({ stalled: 3, stored: RECORDS - 1 });
    // Three timeouts and two backoffs (at most 200 + 400 ms), not a hung load.
    expect(elapsed).toBeGreaterThanOrEqual(3 * TIMEOUT_MS);
    expect(elapsed).toBeLessThan(3 * TIMEOUT_MS + 600 + 2000);
    expect(await loadAndWait(api, stream.id)).toMatchObject({
      status: 'succeeded',
      records_loaded: 1,
    });
  });

  test('100 MB answers are not read: the load finishes promptly and memory stays flat', async () => {
    receiver.reset();
    // Every answer carries 100 MB: a 500 to the first request, then 200s.
    receiver.control.set({
      sequence: [{ status: 500, bodyBytes: 100_000_000 }],
      then: { status: 200, bodyBytes: 100_000_000 },
    });
    const stream = await recordStream(api, { datasetId, uri: `${receiver.url}/records` });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const started = performance.now();
    const load = await loadAndWait(api, stream.id);
    const elapsed = performance.now() - started;
    clearInterval(sampler);
    expect(load).toMatchObject({ status: 'succeeded', records_loaded: RECORDS, error: null });
    // Six answers (one retried), each hung up on long before its end: the engine stops after 64 KB.
    await receiver.waitFor((stats) => stats.abandonedBodies === RECORDS + 1, 5000);
    expect(elapsed).toBeLessThan(5000);
    // Reading even one of the bodies would take 100 MB.
    expect(peak - before).toBeLessThan(50 * 1024 * 1024);
  });
});
