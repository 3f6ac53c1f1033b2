import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver, type Receiver } from './create-receiver';
import type { StoredRecord } from './receiver-store';
import { generateTestKeys, postSigned, signDelivery, type TestKeys } from './testing/sign-delivery';

let keys: TestKeys;
let otherKeys: TestKeys;
let receiver: Receiver;

beforeAll(async () => {
  keys = generateTestKeys();
  otherKeys = generateTestKeys();
  receiver = createReceiver({ publicKeyPem: keys.publicKeyPem });
  await receiver.start();
});
afterAll(() => receiver.stop());
afterEach(() => receiver.reset());

const deliver = (
  path: string,
  body: unknown,
  extra: Partial<Parameters<typeof postSigned>[1]> = {},
) => postSigned(`${receiver.url}${path}`, { privateKey: keys.privateKey, body, ...extra });

const getJson = async <T>(path: string): Promise<T> => {
  const response = await fetch(`${receiver.url}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
};

describe('the reference receiver stores what it can verify', () => {
  it('stores a webhook_record delivery by provider and path, and serves it from the read API', async () => {
    const response = await deliver(
      '/prequel/records',
      { id: 42, email: 'ada@example.com' },
      { provider: 'acme', deliveryId: 'd-42' },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'accepted',
      message: 'Accepted for processing.',
      delivery_id: 'd-42',
      records: 1,
    });

    const { records } = await getJson<{ records: StoredRecord[] }>(
      '/_receiver/records?provider=acme',
    );
    expect(records).toEqual([
      expect.objectContaining({
        provider: 'acme',
        path: '/prequel/records',
        deliveryId: 'd-42',
        kind: 'record',
        key: '42',
        isDeleted: false,
        record: { id: 42, email: 'ada@example.com' },
        rawBody: '{"id":42,"email":"ada@example.com"}',
      }),
    ]);
    expect(await getJson('/_receiver/records?provider=globex')).toEqual({
      records: [],
      nextAfter: null,
      nextBefore: null,
    });
    expect(receiver.store.latest('acme', '42')?.record).toEqual({
      id: 42,
      email: 'ada@example.com',
    });
  });

  it('keeps a custom template body that is not JSON as received', async () => {
    expect(
      (
        await deliver('/forms', 'email=ada%40example.com&deleted=false', {
          deliveryId: 'form-1',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(200);
    expect(receiver.store.records().records).toEqual([
      expect.objectContaining({
        record: null,
        key: null,
        rawBody: 'email=ada%40example.com&deleted=false',
      }),
    ]);
  });

  it('accepts a delivery by other methods: DELETE marks a deletion, GET has an empty body', async () => {
    expect(
      (await deliver('/users/7', { id: 7 }, { method: 'DELETE', deliveryId: 'del-7' })).status,
    ).toBe(200);
    const empty = await fetch(`${receiver.url}/ping`, {
      headers: signDelivery({ body: '', privateKey: keys.privateKey, deliveryId: 'get-1' }),
    });
    expect(empty.status).toBe(200);
    expect(receiver.store.latest('acme', '7')).toMatchObject({ isDeleted: true });
    expect(receiver.store.stats()).toMatchObject({ stored: 2, records: 2, deletions: 1 });
  });

  it('stores each record of a json batch, deletions included, and keeps the latest version per key', async () => {
    const first = {
      records: [
        { id: '1', plan: 'free' },
        { id: '2', plan: 'pro' },
      ],
      format: 'json',
      provider_id: 'acme',
      load_id: 'load-1',
    };
    const second = {
      records: [
        { id: '1', plan: 'pro' },
        { id: '2', _prequel_is_deleted: true },
      ],
      format: 'json',
      provider_id: 'acme',
      load_id: 'load-2',
    };
    expect((await deliver('/batches', first, { deliveryId: 'b-1' })).status).toBe(200);
    expect((await deliver('/batches', second, { deliveryId: 'b-2' })).status).toBe(200);

    expect(
      receiver.store.records().records.map((stored) => [stored.key, stored.isDeleted, stored.kind]),
    ).toEqual([
      ['1', false, 'batch-json'],
      ['2', false, 'batch-json'],
      ['1', false, 'batch-json'],
      ['2', true, 'batch-json'],
    ]);
    const { records: latest } = await getJson<{ records: StoredRecord[] }>(
      '/_receiver/records?latest=true',
    );
    expect(latest.map((stored) => [stored.key, stored.record])).toEqual([
      ['1', { id: '1', plan: 'pro' }],
      ['2', { id: '2', _prequel_is_deleted: true }],
    ]);
    expect(await getJson('/_receiver/stats')).toMatchObject({
      deliveries: 2,
      stored: 2,
      records: 4,
      deletions: 1,
      latestKeys: 2,
      byStatus: { '200': 2 },
    });
    const { deliveries } = await getJson<{
      deliveries: { loadId: string; records: number; outcome: string }[];
    }>('/_receiver/deliveries');
    expect(deliveries.map((entry) => [entry.loadId, entry.records, entry.outcome])).toEqual([
      ['load-1', 2, 'stored'],
      ['load-2', 2, 'stored'],
    ]);
  });

  it('pages records with after and limit', async () => {
    await deliver(
      '/batches',
      {
        records: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
        format: 'json',
        provider_id: 'acme',
        load_id: 'L',
      },
      { deliveryId: 'page' },
    );
    const first = await getJson<{ records: StoredRecord[]; nextAfter: number }>(
      '/_receiver/records?limit=2',
    );
    expect(first.records.map((stored) => stored.key)).toEqual(['a', 'b']);
    const rest = await getJson<{ records: StoredRecord[]; nextAfter: number | null }>(
      `/_receiver/records?limit=2&after=${first.nextAfter}`,
    );
    expect(rest).toMatchObject({
      records: [expect.objectContaining({ key: 'c' })],
      nextAfter: null,
    });
    expect((await fetch(`${receiver.url}/_receiver/records?limit=0`)).status).toBe(400);
  });
});

describe('the reference receiver rejects what it cannot verify', () => {
  const signedBody = JSON.stringify({ id: 'x1', email: 'eve@example.com' });
  const send = (options: Partial<Parameters<typeof postSigned>[1]>) =>
    postSigned(`${receiver.url}/records`, {
      privateKey: keys.privateKey,
      body: signedBody,
      deliveryId: 'evil',
      ...options,
    });
  const cases: [string, () => Promise<Response>, string][] = [
    // Sign the original, send something else: what a man in the middle would do.
    [
      'a tampered body',
      () =>
        fetch(`${receiver.url}/records`, {
          method: 'POST',
          headers: signDelivery({ body: signedBody, privateKey: keys.privateKey }),
          body: signedBody.replace('eve', 'mallory'),
        }),
      'digest_mismatch',
    ],
    [
      'a wrong digest',
      () => send({ headers: { 'x-prequel-webhook-digest': '0'.repeat(64) } }),
      'digest_mismatch',
    ],
    [
      'a wrong signature',
      () => send({ headers: { 'x-prequel-webhook-signature': 'ab'.repeat(256) } }),
      'signature_mismatch',
    ],
    ['another key', () => send({ privateKey: otherKeys.privateKey }), 'signature_mismatch'],
    [
      'a stale timestamp',
      () => send({ timestamp: new Date(Date.now() - 301_000).toISOString() }),
      'stale_timestamp',
    ],
    [
      'a future timestamp',
      () => send({ timestamp: new Date(Date.now() + 301_000).toISOString() }),
      'future_timestamp',
    ],
    [
      'no timestamp',
      () => send({ headers: { 'x-prequel-webhook-timestamp': undefined } }),
      'missing_header',
    ],
    [
      'no signature',
      () => send({ headers: { 'x-prequel-webhook-signature': undefined } }),
      'missing_header',
    ],
    [
      'no digest',
      () => send({ headers: { 'x-prequel-webhook-digest': undefined } }),
      'missing_header',
    ],
    [
      'no provider',
      () => send({ headers: { 'x-prequel-import-provider': undefined } }),
      'missing_header',
    ],
    [
      'no delivery id',
      () => send({ headers: { 'x-prequel-delivery-id': undefined } }),
      'missing_header',
    ],
  ];

  it.each(cases)(
    'answers 401 with the reason to %s, stores nothing and logs the rejection',
    async (_name, attempt, reason) => {
      const response = await attempt();
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ status: 'rejected', reason });
      expect(receiver.store.records().records).toEqual([]);
      const { rejections } = await getJson<{ rejections: { reason: string; path: string }[] }>(
        '/_receiver/rejections',
      );
      expect(rejections).toEqual([expect.objectContaining({ reason, path: '/records' })]);
      expect(receiver.store.stats()).toMatchObject({
        rejections: 1,
        stored: 0,
        byStatus: { '401': 1 },
      });
    },
  );

  it('refuses a batch whose provider_id is not the signed provider header', async () => {
    const response = await deliver(
      '/batches',
      { records: [{ id: '1' }], format: 'json', provider_id: 'globex', load_id: 'L' },
      { provider: 'acme' },
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: 'provider_mismatch' });
    expect(receiver.store.stats()).toMatchObject({ rejections: 1, records: 0 });
  });

  it('answers 413 to a body over its limit', async () => {
    const small = createReceiver({ publicKeyPem: keys.publicKeyPem, maxBodyBytes: 1024 });
    const url = await small.start();
    try {
      const response = await postSigned(`${url}/records`, {
        privateKey: keys.privateKey,
        body: { id: '1', blob: 'x'.repeat(4096) },
      }).catch((error: unknown) => error);
      // Node may answer before reading the whole upload; either the 413 or the reset that follows it is fine.
      if (response instanceof Response) expect(response.status).toBe(413);
      expect(small.store.stats()).toMatchObject({ records: 0, byOutcome: { too_large: 1 } });
    } finally {
      await small.stop();
    }
  });
});

describe('the reference receiver de-duplicates by delivery id', () => {
  it('acknowledges a repeated delivery id with 200 without storing it again', async () => {
    const first = await deliver('/records', { id: '9', v: 1 }, { deliveryId: 'same' });
    const again = await deliver('/records', { id: '9', v: 1 }, { deliveryId: 'same' });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await again.json()).toMatchObject({ status: 'duplicate', delivery_id: 'same' });
    expect(receiver.store.records().records).toHaveLength(1);
    expect(receiver.store.stats()).toMatchObject({
      deliveries: 2,
      stored: 1,
      duplicates: 1,
      records: 1,
    });
  });

  it('stores concurrent copies of one delivery once', async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => deliver('/records', { id: '5' }, { deliveryId: 'burst' })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
    expect(receiver.store.stats()).toMatchObject({ stored: 1, duplicates: 7, records: 1 });
  });

  it('stores a delivery id that was rejected before, once it arrives intact', async () => {
    expect(
      (
        await deliver(
          '/records',
          { id: '6' },
          { deliveryId: 'retry-me', headers: { 'x-prequel-webhook-digest': '0'.repeat(64) } },
        )
      ).status,
    ).toBe(401);
    expect((await deliver('/records', { id: '6' }, { deliveryId: 'retry-me' })).status).toBe(200);
    expect(receiver.store.stats()).toMatchObject({ stored: 1, duplicates: 0, rejections: 1 });
  });
});

describe('the reference receiver’s key and lifecycle', () => {
  let engine: Server;
  let engineUrl: string;
  beforeAll(async () => {
    engine = createServer((request, response) => {
      if (
        request.url === '/public/signatures/webhook-public-key' &&
        !request.headers['x-api-key']
      ) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            status: 'success',
            data: { public_key: keys.publicKeyPem },
            message: 'ok',
          }),
        );
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => engine.listen(0, '127.0.0.1', resolve));
    engineUrl = `http://127.0.0.1:${(engine.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => engine.close(() => resolve())));

  it('fetches the engine’s public key once at start, without an API key', async () => {
    const fromEngine = createReceiver({ engineUrl });
    const url = await fromEngine.start();
    try {
      expect(
        (await postSigned(`${url}/r`, { privateKey: keys.privateKey, body: { id: '1' } })).status,
      ).toBe(200);
      expect(
        (await postSigned(`${url}/r`, { privateKey: otherKeys.privateKey, body: { id: '2' } }))
          .status,
      ).toBe(401);
    } finally {
      await fromEngine.stop();
    }
  });

  it('fails to start, saying why, when the engine has no key to give', async () => {
    await expect(
      createReceiver({ engineUrl: `${engineUrl}/not-an-engine` }).start(),
    ).rejects.toThrow(/answered 404/);
    expect(() => createReceiver({})).toThrow(/publicKeyPem or engineUrl/);
  });

  it('resets everything over HTTP, and waits for a condition on its stats', async () => {
    const waiting = receiver.waitFor((stats) => stats.records >= 2, 5000);
    await deliver('/records', { id: 'w1' }, { deliveryId: 'w1' });
    await deliver('/records', { id: 'w2' }, { deliveryId: 'w2' });
    expect(await waiting).toMatchObject({ records: 2 });
    await expect(receiver.waitFor((stats) => stats.records > 99, 50)).rejects.toThrow(
      /did not hold within 50 ms/,
    );

    receiver.control.set({ then: 500 });
    const reset = await fetch(`${receiver.url}/_receiver/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(receiver.store.stats()).toMatchObject({ deliveries: 0, records: 0 });
    expect(receiver.control.snapshot().plan.then).toBeUndefined();
    // The same delivery id is new again after a reset.
    expect(
      await (await deliver('/records', { id: 'w1' }, { deliveryId: 'w1' })).json(),
    ).toMatchObject({ status: 'accepted' });
  });

  it('answers 404 with the list of routes to an unknown receiver route', async () => {
    const response = await fetch(`${receiver.url}/_receiver/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ message: expect.stringContaining('Routes:') });
  });
});
