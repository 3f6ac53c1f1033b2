import { describe, expect, test } from 'vitest';
import {
  DEFAULT_RETRY_SCHEDULE_MS,
  nextRetryState,
  parseRetrySchedule,
  retryDelay,
} from './retry-schedule';

const NOW = 1_000_000;
const middle = () => 0.5;

describe('the retry schedule', () => {
  test('by default: 5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, and the last step repeats', () => {
    expect(parseRetrySchedule('5s,1m,5m,30m,2h,5h,10h,10h')).toEqual(DEFAULT_RETRY_SCHEDULE_MS);
    expect(
      [0, 1, 7, 8, 50].map((step) => retryDelay(step, DEFAULT_RETRY_SCHEDULE_MS, middle)),
    ).toEqual([5_000, 60_000, 36_000_000, 36_000_000, 36_000_000]);
  });

  test('each delay is jittered by up to 10 % either way', () => {
    expect(retryDelay(0, [10_000], () => 0)).toBe(9_000);
    expect(retryDelay(0, [10_000], () => 0.999_999)).toBe(11_000);
  });

  test.each(['', '5', '5 s', '1d', '0s', '-5s', '8d', '1.5s'])(
    '"%s" is refused with a sentence saying what a delay looks like',
    (text) => {
      expect(() => parseRetrySchedule(text)).toThrow(/delay/);
    },
  );

  test('spaces and milliseconds are fine', () => {
    expect(parseRetrySchedule(' 200ms, 1s ,2m ')).toEqual([200, 1000, 120_000]);
  });
});

describe('a stream’s retry state after a load', () => {
  const options = { nowMs: NOW, schedule: [1_000, 10_000, 100_000], random: middle };
  const nothing = { step: 0, nextRetryAtMs: null };

  test('a load that left records waiting schedules the first step; each failed retry moves one step on', () => {
    const first = nextRetryState(
      nothing,
      5,
      { delivered: 0, unavailable: 5, notBeforeMs: null },
      options,
    );
    expect(first).toEqual({ step: 1, nextRetryAtMs: NOW + 1_000 });
    const second = nextRetryState(
      first,
      5,
      { delivered: 0, unavailable: 5, notBeforeMs: null },
      options,
    );
    expect(second).toEqual({ step: 2, nextRetryAtMs: NOW + 10_000 });
    const third = nextRetryState(
      second,
      5,
      { delivered: 0, unavailable: 5, notBeforeMs: null },
      options,
    );
    const fourth = nextRetryState(
      third,
      5,
      { delivered: 0, unavailable: 5, notBeforeMs: null },
      options,
    );
    expect([third.nextRetryAtMs, fourth.nextRetryAtMs]).toEqual([NOW + 100_000, NOW + 100_000]);
  });

  test('a delivery anywhere starts the schedule over', () => {
    const deep = { step: 3, nextRetryAtMs: NOW + 100_000 };
    expect(
      nextRetryState(deep, 2, { delivered: 10, unavailable: 2, notBeforeMs: null }, options),
    ).toEqual({ step: 1, nextRetryAtMs: NOW + 1_000 });
  });

  test('nothing waiting: nothing scheduled, and the next failure starts from the first step', () => {
    expect(
      nextRetryState(
        { step: 4, nextRetryAtMs: NOW },
        0,
        { delivered: 3, unavailable: 0, notBeforeMs: null },
        options,
      ),
    ).toEqual(nothing);
  });

  test('Retry-After later than the step is honoured; earlier, the step wins', () => {
    expect(
      nextRetryState(
        nothing,
        1,
        { delivered: 0, unavailable: 1, notBeforeMs: NOW + 60_000 },
        options,
      ).nextRetryAtMs,
    ).toBe(NOW + 60_000);
    expect(
      nextRetryState(nothing, 1, { delivered: 0, unavailable: 1, notBeforeMs: NOW + 10 }, options)
        .nextRetryAtMs,
    ).toBe(NOW + 1_000);
  });

  test('a load that never reached the endpoint keeps the retry already planned, or plans one at the same step', () => {
    const planned = { step: 2, nextRetryAtMs: NOW + 5 };
    expect(
      nextRetryState(planned, 3, { delivered: 0, unavailable: 0, notBeforeMs: null }, options),
    ).toEqual(planned);
    expect(
      nextRetryState(
        { step: 2, nextRetryAtMs: null },
        3,
        { delivered: 0, unavailable: 0, notBeforeMs: null },
        options,
      ),
    ).toEqual({ step: 2, nextRetryAtMs: NOW + 100_000 });
  });
});
