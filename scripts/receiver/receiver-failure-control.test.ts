import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver, type Receiver } from './create-receiver';
import { generateTestKeys, postSigned, type TestKeys } from './testing/sign-delivery';

let keys: TestKeys;
let receiver: Receiver;

beforeAll(async () => {
  keys = generateTestKeys();
  receiver = createReceiver({ publicKeyPem: keys.publicKeyPem });
  await receiver.start();
});
afterAll(() => receiver.stop());
afterEach(() => receiver.reset());

const deliver = (body: unknown, extra: Partial<Parameters<typeof postSigned>[1]> = {}) =>
  postSigned(`${receiver.url}/records`, { privateKey: keys.privateKey, body, ...extra });

const setControl = async (plan: unknown) => {
  const response = await fetch(`${receiver.url}/_receiver/control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  expect(response.status).toBe(200);
};

/** How a fetch ended: its status, or the error's name and cause code when no answer came. */
const outcome = async (attempt: Promise<Response>) => {
  try {
    const response = await attempt;
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    const cause = (error as Error).cause as { code?: string } | undefined;
    return `${(error as Error).name}${cause?.code ? `:${cause.code}` : ''}`;
  }
};

describe('scripted answers', () => {
  it('answers a status sequence in order, then accepts', async () => {
    await setControl({ sequence: [500, 502, 503, 504, 408] });
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt++)
      statuses.push(await outcome(deliver({ id: '1' }, { deliveryId: 'seq' })));
    expect(statuses).toEqual([500, 502, 503, 504, 408, 200]);
    expect(receiver.store.stats()).toMatchObject({
      scripted: 5,
      stored: 1,
      records: 1,
      byStatus: { '500': 1, '502': 1, '503': 1, '504': 1, '408': 1, '200': 1 },
    });
    expect(receiver.control.snapshot()).toMatchObject({ remaining: 0, requests: 6 });
  });

  it('fails the next N requests, or every request', async () => {
    receiver.control.set({ sequence: [{ status: 503, times: 3 }] });
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt++)
      statuses.push(await outcome(deliver({ id: String(attempt) })));
    expect(statuses).toEqual([503, 503, 503, 200]);

    receiver.control.set({ then: 500 });
    expect(await Promise.all([1, 2, 3].map((id) => outcome(deliver({ id: String(id) }))))).toEqual([
      500, 500, 500,
    ]);
  });

  it('sends Retry-After as seconds or as an HTTP-date that far ahead', async () => {
    receiver.control.set({
      sequence: [
        { status: 429, retryAfter: 7 },
        { status: 503, retryAfterDateIn: 30 },
        { status: 429, retryAfter: 'soon' },
      ],
    });
    const seconds = await deliver({ id: '1' });
    expect([seconds.status, seconds.headers.get('retry-after')]).toEqual([429, '7']);
    const dated = await deliver({ id: '1' });
    expect(dated.status).toBe(503);
    const date = dated.headers.get('retry-after')!;
    expect(date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(Date.parse(date) - Date.now()).toBeGreaterThan(28_000);
    expect(Date.parse(date) - Date.now()).toBeLessThanOrEqual(30_000);
    expect((await deliver({ id: '1' })).headers.get('retry-after')).toBe('soon');
  });

  it('answers 410 and 400 as told, storing nothing', async () => {
    receiver.control.set({ sequence: [410, 400] });
    expect([await outcome(deliver({ id: '1' })), await outcome(deliver({ id: '1' }))]).toEqual([
      410, 400,
    ]);
    expect(receiver.store.stats().records).toBe(0);
  });

  it('answers redirects that a sender must not follow, and records it if one does', async () => {
    receiver.control.set({ sequence: [301, 302, 307, 307] });
    for (const status of [301, 302, 307]) {
      const response = await deliver({ id: '1' }, { redirect: 'manual' });
      expect(response.status).toBe(status);
      expect(response.headers.get('location')).toBe(`${receiver.url}/_receiver/redirect-trap`);
    }
    expect(receiver.store.stats()).toMatchObject({ redirectsFollowed: 0, records: 0 });

    // A sender that follows (fetch's default) lands in the trap, and the trap says so.
    const followed = await deliver({ id: '1' }, { redirect: 'follow' });
    expect(await followed.json()).toMatchObject({ status: 'redirect_followed' });
    expect(receiver.store.stats()).toMatchObject({ redirectsFollowed: 1, records: 0 });
  });

  it('redirects to a given Location', async () => {
    receiver.control.set({
      sequence: [{ status: 302, location: 'http://169.254.169.254/latest/meta-data' }],
    });
    expect((await deliver({ id: '1' })).headers.get('location')).toBe(
      'http://169.254.169.254/latest/meta-data',
    );
  });

  it('accepts with another 2xx when told, still storing', async () => {
    receiver.control.set({ sequence: [202, 204] });
    expect([
      await outcome(deliver({ id: '1' }, { deliveryId: 'a' })),
      await outcome(deliver({ id: '2' }, { deliveryId: 'b' })),
    ]).toEqual([202, 204]);
    expect(receiver.store.stats()).toMatchObject({ stored: 2, byStatus: { '202': 1, '204': 1 } });
  });
});

describe('latency', () => {
  it('delays every answer by a fixed time, and single requests by more', async () => {
    receiver.control.set({ latencyMs: 150, sequence: [{ status: 200, latencyMs: 200 }] });
    let started = performance.now();
    expect((await deliver({ id: '1' }, { deliveryId: 'slow-1' })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(340);
    started = performance.now();
    expect((await deliver({ id: '2' }, { deliveryId: 'slow-2' })).status).toBe(200);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(340);
  });

  it('stores a delivery whose sender gave up during the delay, so its retry is a duplicate', async () => {
    receiver.control.set({ sequence: [{ status: 200, latencyMs: 300 }] });
    expect(
      await outcome(
        deliver({ id: '1' }, { deliveryId: 'gave-up', signal: AbortSignal.timeout(100) }),
      ),
    ).toBe('TimeoutError');
    await receiver.waitFor((stats) => stats.stored === 1, 2000);
    expect(await (await deliver({ id: '1' }, { deliveryId: 'gave-up' })).json()).toMatchObject({
      status: 'duplicate',
    });
  });
});

describe('requests in flight', () => {
  it('counts the delivery requests it is handling at once, and the peak since the last reset', async () => {
    receiver.control.set({ latencyMs: 200 });
    const sending = [1, 2, 3].map((id) =>
      deliver({ id: String(id) }, { deliveryId: `concurrent-${id}` }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.store.stats()).toMatchObject({ inFlight: 3, peakInFlight: 3 });
    expect((await Promise.all(sending)).map((response) => response.status)).toEqual([
      200, 200, 200,
    ]);
    await deliver({ id: '4' }, { deliveryId: 'alone' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(receiver.store.stats()).toMatchObject({ inFlight: 0, peakInFlight: 3 });
    receiver.reset();
    expect(receiver.store.stats()).toMatchObject({ inFlight: 0, peakInFlight: 0 });
  });
});

describe('broken connections', () => {
  it('drops the connection without answering or storing', async () => {
    receiver.control.set({ sequence: [{ kind: 'drop' }] });
    expect(await outcome(deliver({ id: '1' }, { deliveryId: 'dropped' }))).toMatch(/^TypeError/);
    expect(receiver.store.stats()).toMatchObject({ dropped: 1, records: 0 });
    expect(receiver.store.deliveries()).toEqual([
      expect.objectContaining({ outcome: 'dropped', status: null }),
    ]);
    expect((await deliver({ id: '1' }, { deliveryId: 'dropped' })).status).toBe(200);
  });

  it('accepts then stalls: the sender only learns by its own timeout', async () => {
    receiver.control.set({ sequence: [{ kind: 'stall' }] });
    const started = performance.now();
    expect(await outcome(deliver({ id: '1' }, { signal: AbortSignal.timeout(300) }))).toBe(
      'TimeoutError',
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(receiver.store.stats()).toMatchObject({ stalled: 1, records: 0 });
  });

  it('can stall after the headers, so a sender timing only the headers would hang', async () => {
    receiver.control.set({ sequence: [{ kind: 'stall', sendHeaders: true }] });
    const signal = AbortSignal.timeout(300);
    const response = await deliver({ id: '1' }, { signal });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(signal.aborted).toBe(true);
  });

  it('loses the ack: the record is stored, the sender sees a reset, and its retry is acknowledged as a duplicate', async () => {
    receiver.control.set({ sequence: [{ kind: 'lose-ack' }] });
    expect(await outcome(deliver({ id: 'ack', v: 1 }, { deliveryId: 'ack-1' }))).toMatch(
      /^TypeError/,
    );
    expect(receiver.store.records().records).toEqual([
      expect.objectContaining({ deliveryId: 'ack-1', key: 'ack' }),
    ]);

    const retry = await deliver({ id: 'ack', v: 1 }, { deliveryId: 'ack-1' });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ status: 'duplicate' });
    expect(receiver.store.records().records).toHaveLength(1);
    expect(receiver.store.stats()).toMatchObject({ stored: 1, duplicates: 1, lostAcks: 1 });
    expect(receiver.store.deliveries().map((entry) => [entry.outcome, entry.reason])).toEqual([
      ['ack_lost', 'stored'],
      ['duplicate', undefined],
    ]);
  });
});

describe('refusing records', () => {
  const batchOf = (ids: string[]) => ({
    records: ids.map((id) => ({ id, email: `${id}@example.com` })),
    format: 'json',
    provider_id: 'acme',
    load_id: 'L',
  });

  it('refuses a batch holding a matching record with 400 naming it, so a sender can split until it is isolated', async () => {
    await setControl({ rejectRecords: [{ field: 'id', equals: '13' }] });
    const whole = await postSigned(`${receiver.url}/batches`, {
      privateKey: keys.privateKey,
      body: batchOf(['11', '12', '13', '14']),
      deliveryId: 'whole',
    });
    expect(whole.status).toBe(400);
    expect(await whole.json()).toMatchObject({
      reason: 'records_refused',
      rejected: [{ index: 2, key: '13' }],
    });

    const halves = [batchOf(['11', '12']), batchOf(['13']), batchOf(['14'])];
    const statuses = [];
    for (const [index, half] of halves.entries())
      statuses.push(
        (
          await postSigned(`${receiver.url}/batches`, {
            privateKey: keys.privateKey,
            body: half,
            deliveryId: `part-${index}`,
          })
        ).status,
      );
    expect(statuses).toEqual([200, 400, 200]);
    expect(receiver.store.records().records.map((stored) => stored.key)).toEqual([
      '11',
      '12',
      '14',
    ]);
    expect(receiver.store.stats()).toMatchObject({ recordRefusals: 2, stored: 2 });
  });

  it('refuses single records by a JS predicate too', async () => {
    receiver.control.set(
      {},
      {
        rejectWhen: (record) =>
          typeof record === 'object' &&
          record !== null &&
          'email' in record &&
          record.email === 'bad@example.com',
      },
    );
    expect((await deliver({ id: '1', email: 'bad@example.com' })).status).toBe(400);
    expect((await deliver({ id: '2', email: 'good@example.com' })).status).toBe(200);
    expect(receiver.control.snapshot().log.at(-1)).toMatchObject({
      change: 'set',
      via: 'js',
      rejectWhen: true,
    });
  });
});

describe('routes', () => {
  it('fails one provider’s deliveries and accepts the others’, each route keeping its own place in its sequence', async () => {
    await setControl({
      routes: [
        { provider: 'initech', then: 500 },
        { provider: 'acme', pathPrefix: '/slow/', sequence: [503], latencyMs: 200 },
      ],
    });
    const initech = await outcome(deliver({ id: '1' }, { provider: 'initech', deliveryId: 'i1' }));
    const globex = await outcome(deliver({ id: '1' }, { provider: 'globex', deliveryId: 'g1' }));
    const acmeElsewhere = await outcome(
      deliver({ id: '1' }, { provider: 'acme', deliveryId: 'a1' }),
    );
    const started = performance.now();
    const acmeSlow = [
      await outcome(
        postSigned(`${receiver.url}/slow/users`, {
          privateKey: keys.privateKey,
          body: { id: '2' },
          provider: 'acme',
          deliveryId: 'a2',
        }),
      ),
      await outcome(
        postSigned(`${receiver.url}/slow/users`, {
          privateKey: keys.privateKey,
          body: { id: '2' },
          provider: 'acme',
          deliveryId: 'a2',
        }),
      ),
    ];
    expect([initech, globex, acmeElsewhere, ...acmeSlow]).toEqual([500, 200, 200, 503, 200]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    expect(receiver.control.snapshot()).toMatchObject({
      requests: 5,
      routes: [
        { provider: 'initech', requests: 1 },
        { provider: 'acme', pathPrefix: '/slow/', requests: 2, remaining: 0 },
      ],
    });
  });

  it('refuses records by a route’s rules only for that route', async () => {
    receiver.control.set({
      routes: [{ pathPrefix: '/strict', rejectRecords: [{ field: 'id', equals: '13' }] }],
    });
    expect(
      (
        await postSigned(`${receiver.url}/strict`, {
          privateKey: keys.privateKey,
          body: { id: '13' },
        })
      ).status,
    ).toBe(400);
    expect((await deliver({ id: '13' })).status).toBe(200);
  });

  it('refuses a route that matches nothing in particular', () => {
    expect(() => receiver.control.set({ routes: [{ then: 500 }] })).toThrow(
      /provider, a pathPrefix, or both/,
    );
  });
});

describe('huge response bodies', () => {
  it('streams a body of the size asked for, without a Content-Length', async () => {
    receiver.control.set({ sequence: [{ status: 500, bodyBytes: 1_000_000 }] });
    const response = await deliver({ id: '1' });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-length')).toBeNull();
    expect((await response.arrayBuffer()).byteLength).toBe(1_000_000);
    expect(receiver.store.stats().abandonedBodies).toBe(0);
  });

  it('lets a sender stop reading a 100 MB body after its cap, and keeps serving', async () => {
    receiver.control.set({ sequence: [{ status: 200, bodyBytes: 100_000_000 }] });
    const response = await deliver({ id: '1' }, { deliveryId: 'huge' });
    const reader = response.body!.getReader();
    let read = 0;
    while (read < 64 * 1024) read += (await reader.read()).value?.byteLength ?? Infinity;
    await reader.cancel();
    expect(receiver.store.stats()).toMatchObject({ stored: 1 });
    // The receiver saw the sender hang up before the end of the body.
    await receiver.waitFor((stats) => stats.abandonedBodies === 1, 5000);
    expect((await deliver({ id: '2' }, { deliveryId: 'after-huge' })).status).toBe(200);
  });
});

describe('the control API', () => {
  it('shows the plan, what is left of it, and every change', async () => {
    await setControl({
      sequence: [500, { kind: 'drop', times: 2 }],
      latencyMs: { min: 0, max: 5 },
    });
    await outcome(deliver({ id: '1' }));
    const snapshot = (await (await fetch(`${receiver.url}/_receiver/control`)).json()) as {
      remaining: number;
      plan: unknown;
      log: { change: string; via: string }[];
    };
    expect(snapshot.remaining).toBe(2);
    expect(snapshot.plan).toMatchObject({
      sequence: [
        { kind: 'respond', status: 500 },
        { kind: 'drop', times: 2 },
      ],
      latencyMs: { min: 0, max: 5 },
    });
    expect(snapshot.log.map((entry) => [entry.change, entry.via])).toEqual([
      ['reset', 'js'],
      ['set', 'http'],
    ]);
  });

  it('refuses a malformed plan with the paths at fault and keeps the current plan', async () => {
    receiver.control.set({ then: 503 });
    const response = await fetch(`${receiver.url}/_receiver/control`, {
      method: 'POST',
      body: JSON.stringify({ sequence: [{ kind: 'drop', status: 500 }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      details: [expect.objectContaining({ path: 'sequence.0' })],
    });
    expect(
      (await fetch(`${receiver.url}/_receiver/control`, { method: 'POST', body: '{oops' })).status,
    ).toBe(400);
    expect(await outcome(deliver({ id: '1' }))).toBe(503);
  });

  it('goes back to accepting everything with an empty plan', async () => {
    receiver.control.set({ then: 500 });
    await setControl({});
    expect(await outcome(deliver({ id: '1' }))).toBe(200);
  });
});
