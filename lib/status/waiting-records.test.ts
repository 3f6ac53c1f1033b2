import { describe, expect, test } from 'vitest';
import { waitingRecordsText } from './waiting-records';

const now = new Date('2026-03-04T14:00:00Z');

describe('waitingRecordsText', () => {
  test('says how many records wait and when they are tried again', () => {
    expect(
      waitingRecordsText({ recordsWaiting: 1000, nextRetryAt: '2026-03-04T14:05:00Z' }, now),
    ).toBe('1,000 records waiting, next retry at 14:05 (in 5 min)');
    expect(
      waitingRecordsText({ recordsWaiting: 1, nextRetryAt: new Date('2026-03-04T14:00:05Z') }, now),
    ).toBe('1 record waiting, next retry at 14:00 (in 5 s)');
  });

  test('a retry that is due reads as happening now', () => {
    expect(
      waitingRecordsText({ recordsWaiting: 3, nextRetryAt: '2026-03-04T13:59:59Z' }, now),
    ).toBe('3 records waiting, retrying now');
  });

  test('a paused stream waits for the customer, not the clock', () => {
    expect(waitingRecordsText({ recordsWaiting: 3, nextRetryAt: null }, now)).toBe(
      '3 records waiting: sent once the deliveries are resumed',
    );
  });

  test('the time is written in the zone asked for', () => {
    expect(
      waitingRecordsText(
        { recordsWaiting: 2, nextRetryAt: '2026-03-04T14:30:00Z' },
        now,
        'Europe/Paris',
      ),
    ).toBe('2 records waiting, next retry at 15:30 (in 30 min)');
  });
});
