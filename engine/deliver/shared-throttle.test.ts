import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { SharedThrottle, type SharedThrottleOptions } from './shared-throttle';

// Each throttle stands for one engine process; they share only the database, as engines on several machines do.
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

async function newDestination(): Promise<string> {
  const id = randomUUID();
  await database.db.query(
    `insert into destinations (id, name, body) values ($1, 'throttled', '{}')`,
    [id],
  );
  return id;
}

const engineThrottle = (options: Omit<SharedThrottleOptions, 'db'>) =>
  new SharedThrottle({ db: database.db, pollMs: 10, ...options });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the destination throttle shared by engines', () => {
  test('never lets more than max_concurrency requests run at once across engines', async () => {
    const destinationId = await newDestination();
    const engines = [1, 2, 3].map(() =>
      engineThrottle({ destinationId, recordsPerMinute: 1_000_000, maxConcurrency: 2 }),
    );
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      engines.flatMap((throttle) =>
        Array.from({ length: 8 }, () =>
          throttle.run(1, async () => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            await pause(15);
            inFlight--;
          }),
        ),
      ),
    );
    expect(peak).toBe(2);
  });

  test('spends one token bucket: what one engine spent, another must wait for', async () => {
    const destinationId = await newDestination();
    // 600 a minute: a full minute's budget at once, then 10 records a second.
    const [first, second] = [1, 2].map(() =>
      engineThrottle({ destinationId, recordsPerMinute: 600, maxConcurrency: 4 }),
    );
    const started = performance.now();
    await first!.run(600, async () => undefined);
    expect(performance.now() - started).toBeLessThan(500);
    await second!.run(5, async () => undefined);
    // 5 records at 10/s: half a second, whichever engine asks.
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('a slot held by a crashed engine frees itself when its lease expires', async () => {
    const destinationId = await newDestination();
    const throttle = engineThrottle({
      destinationId,
      recordsPerMinute: 1000,
      maxConcurrency: 1,
      leaseMs: 500,
    });
    await throttle.run(1, async () => undefined);
    // What a dead engine leaves: its lease, no longer renewed.
    await database.db.query(
      `update destination_leases set holder = 'crashed-engine', expires_at = clock_timestamp() + interval '800 milliseconds' where destination_id = $1`,
      [destinationId],
    );
    const started = performance.now();
    await throttle.run(1, async () => undefined);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(700);
    expect(waited).toBeLessThan(3000);
  });

  test('a live engine keeps its slot beyond the lease time by renewing it', async () => {
    const destinationId = await newDestination();
    const [slow, other] = [1, 2].map(() =>
      engineThrottle({ destinationId, recordsPerMinute: 1000, maxConcurrency: 1, leaseMs: 300 }),
    );
    const spans: Record<string, [number, number]> = {};
    const timed = (name: string, ms: number) => async () => {
      const start = performance.now();
      await pause(ms);
      spans[name] = [start, performance.now()];
    };
    const holding = slow!.run(1, timed('slow', 1000));
    await pause(100);
    await Promise.all([holding, other!.run(1, timed('other', 10))]);
    // Three lease lengths later the slow send still held the only slot.
    expect(spans.other![0]).toBeGreaterThanOrEqual(spans.slow![1]);
  });

  test('a sender keeps its slot between its sends until it is closed', async () => {
    const destinationId = await newDestination();
    const [loop, other] = [1, 2].map(() =>
      engineThrottle({ destinationId, recordsPerMinute: 1_000_000, maxConcurrency: 1 }),
    );
    const sender = loop!.sender();
    for (let i = 0; i < 5; i++) await sender.run(1, async () => undefined);
    let otherSent = false;
    const waiting = other!.run(1, async () => {
      otherSent = true;
    });
    await pause(200);
    // Between two sends of the loop the slot is still the loop's.
    expect(otherSent).toBe(false);
    await sender.close();
    await waiting;
    expect(otherSent).toBe(true);
  });

  test('a failing send releases its slot', async () => {
    const destinationId = await newDestination();
    const throttle = engineThrottle({ destinationId, recordsPerMinute: 1000, maxConcurrency: 1 });
    await expect(throttle.run(1, async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    const other = engineThrottle({ destinationId, recordsPerMinute: 1000, maxConcurrency: 1 });
    const started = performance.now();
    await expect(other.run(1, async () => 'next')).resolves.toBe('next');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
