import { describe, expect, test } from 'vitest';
import { LocalThrottle } from './destination-throttle';

function fakeClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => void (now += ms),
    advance: (ms: number) => void (now += ms),
  };
}

describe('the in-process destination throttle', () => {
  test('spends a minute of records at once, then paces them at the rate', async () => {
    const clock = fakeClock();
    const throttle = new LocalThrottle({ recordsPerMinute: 600, maxConcurrency: 1, ...clock });
    const sentAt: number[] = [];
    for (let i = 0; i < 7; i++) await throttle.run(100, async () => sentAt.push(clock.now()));
    // 600 records go at once; each further 100 needs 10 s of refill.
    expect(sentAt).toEqual([0, 0, 0, 0, 0, 0, 10_000]);
  });

  test('never runs more than max_concurrency sends at once', async () => {
    const throttle = new LocalThrottle({ recordsPerMinute: 1_000_000, maxConcurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        throttle.run(1, async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  test('releases the slot when a send fails', async () => {
    const throttle = new LocalThrottle({ recordsPerMinute: 1000, maxConcurrency: 1 });
    await expect(throttle.run(1, async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(throttle.run(1, async () => 'next')).resolves.toBe('next');
  });

  test("lets a batch larger than a minute's budget through once the bucket is full", async () => {
    const clock = fakeClock();
    const throttle = new LocalThrottle({ recordsPerMinute: 60, maxConcurrency: 1, ...clock });
    await throttle.run(60, async () => undefined);
    const started = clock.now();
    await throttle.run(1000, async () => undefined);
    expect(clock.now() - started).toBe(60_000);
  });
});
