import { describe, expect, test } from 'vitest';
import { freshness } from './freshness';
import { ago, at, NOW } from './fixtures.test-helpers';

const hourly = { frequencyMinutes: 60, running: false, now: NOW };

describe('freshness says how old the data is and when it refreshes', () => {
  test('behind, with the next run', () => {
    expect(freshness({ ...hourly, lastSuccessAt: ago(12), nextRunAt: ago(-48) })).toEqual({
      behindMinutes: 12,
      text: '12 min behind, next run in 48 min',
      stale: false,
    });
  });

  test('up to date within the minute after a run', () => {
    expect(freshness({ ...hourly, lastSuccessAt: ago(0.5), nextRunAt: at(-5) })).toEqual({
      behindMinutes: 0,
      text: 'Up to date, next run in 5 min',
      stale: false,
    });
  });

  test('accepts Date and API timestamps alike', () => {
    expect(freshness({ ...hourly, lastSuccessAt: at(12), nextRunAt: at(-48) }).text).toBe(
      '12 min behind, next run in 48 min',
    );
  });

  test('never imported, with and without a first run scheduled', () => {
    expect(freshness({ ...hourly, lastSuccessAt: null, nextRunAt: null })).toEqual({
      behindMinutes: null,
      text: 'Never imported yet',
      stale: false,
    });
    expect(freshness({ ...hourly, lastSuccessAt: undefined, nextRunAt: ago(-3) }).text).toBe(
      'Never imported yet, first run in 3 min',
    );
  });

  test('running now', () => {
    expect(freshness({ ...hourly, running: true, lastSuccessAt: null, nextRunAt: null }).text).toBe(
      'Running now',
    );
    expect(
      freshness({ ...hourly, running: true, lastSuccessAt: ago(0.2), nextRunAt: null }).text,
    ).toBe('Running now');
    expect(
      freshness({ ...hourly, running: true, lastSuccessAt: ago(75), nextRunAt: ago(15) }),
    ).toEqual({ behindMinutes: 75, text: 'Running now, 1 h 15 min behind', stale: false });
  });

  test('a run that should have started is overdue', () => {
    expect(freshness({ ...hourly, lastSuccessAt: ago(180), nextRunAt: ago(120) })).toEqual({
      behindMinutes: 180,
      text: 'Overdue by 2 h, 3 h behind',
      stale: true,
    });
    expect(freshness({ ...hourly, lastSuccessAt: null, nextRunAt: ago(90) }).text).toBe(
      'Overdue by 1 h 30 min, never imported yet',
    );
  });

  test('a run due less than a minute ago is starting, not overdue', () => {
    expect(freshness({ ...hourly, lastSuccessAt: ago(60.5), nextRunAt: ago(0.5) }).text).toBe(
      '1 h behind, next run starting',
    );
    expect(freshness({ ...hourly, lastSuccessAt: null, nextRunAt: ago(0.5) }).text).toBe(
      'Never imported yet, first run starting',
    );
  });

  test('no run scheduled (paused): only the age', () => {
    expect(freshness({ ...hourly, lastSuccessAt: ago(30), nextRunAt: null }).text).toBe(
      '30 min behind',
    );
  });

  test('stale once more than two runs behind', () => {
    expect(freshness({ ...hourly, lastSuccessAt: ago(120), nextRunAt: ago(-10) }).stale).toBe(
      false,
    );
    expect(freshness({ ...hourly, lastSuccessAt: ago(121), nextRunAt: ago(-10) })).toEqual({
      behindMinutes: 121,
      text: '2 h 1 min behind, next run in 10 min',
      stale: true,
    });
    expect(
      freshness({
        ...hourly,
        frequencyMinutes: 1440,
        lastSuccessAt: ago(3 * 1440),
        nextRunAt: ago(-60),
      }),
    ).toEqual({ behindMinutes: 4320, text: '3 d behind, next run in 1 h', stale: true });
  });

  test('a last success in the future (clock skew) reads as up to date', () => {
    expect(freshness({ ...hourly, lastSuccessAt: ago(-2), nextRunAt: ago(-58) })).toEqual({
      behindMinutes: 0,
      text: 'Up to date, next run in 58 min',
      stale: false,
    });
  });
});
