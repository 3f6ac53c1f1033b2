import { describe, expect, test } from 'vitest';
import { clockTime, humanDuration, toDate } from './human-duration';

const s = 1000;
const min = 60 * s;
const h = 60 * min;
const d = 24 * h;

describe('humanDuration', () => {
  test.each([
    [0, '0 s'],
    [45 * s, '45 s'],
    [59.9 * s, '59 s'],
    [min, '1 min'],
    [12 * min + 30 * s, '12 min'],
    [59 * min, '59 min'],
    [h, '1 h'],
    [2 * h, '2 h'],
    [2 * h + 5 * min, '2 h 5 min'],
    [9 * h + 59 * min, '9 h 59 min'],
    [14 * h + 20 * min, '14 h'],
    [d, '1 d'],
    [d + 19 * h, '1 d 19 h'],
    [3 * d, '3 d'],
    [12 * d + 5 * h, '12 d'],
    [-5 * min, '5 min'],
  ])('%i ms reads "%s"', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('clockTime', () => {
  const now = new Date('2025-03-04T14:00:00Z');
  test('a time today is hours and minutes, in UTC unless told', () => {
    expect(clockTime(new Date('2025-03-04T14:05:00Z'), now)).toBe('14:05');
    expect(clockTime(new Date('2025-03-04T14:05:00Z'), now, 'Europe/Paris')).toBe('15:05');
  });
  test('a time more than a day away names the day', () => {
    expect(clockTime(new Date('2025-03-06T09:30:00Z'), now)).toBe('6 Mar, 09:30');
  });
});

describe('toDate', () => {
  test('API timestamps, dates and nothing', () => {
    expect(toDate('2025-03-04T13:00:00.123456Z')?.toISOString()).toBe('2025-03-04T13:00:00.123Z');
    const date = new Date();
    expect(toDate(date)).toBe(date);
    expect(toDate(null)).toBeNull();
    expect(toDate(undefined)).toBeNull();
    expect(toDate('not a time')).toBeNull();
  });
});
