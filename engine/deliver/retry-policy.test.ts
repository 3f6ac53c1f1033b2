import { describe, expect, test } from 'vitest';
import { backoffDelay, judgeAttempt, nextAttemptAt, parseRetryAfter } from './retry-policy';

const NOW = Date.parse('2026-11-26T10:00:00Z');

describe('judging a delivery attempt', () => {
  test.each([200, 201, 202, 204, 299])('%i is delivered', (status) => {
    expect(judgeAttempt({ kind: 'response', status })).toEqual({ action: 'delivered' });
  });

  test.each([408, 429, 500, 502, 503, 504, 599])('%i is retried', (status) => {
    expect(judgeAttempt({ kind: 'response', status }).action).toBe('retry');
  });

  test.each([301, 302, 303, 307, 308])('%i (a redirect) rejects the record and says why', (status) => {
    const verdict = judgeAttempt({ kind: 'response', status });
    expect(verdict.action).toBe('reject');
    expect(verdict).toMatchObject({ reason: expect.stringContaining('redirects are not followed') });
  });

  test.each([400, 401, 403, 404, 410, 413, 422])('%i rejects the record', (status) => {
    expect(judgeAttempt({ kind: 'response', status }).action).toBe('reject');
  });

  test('timeouts and connection errors are retried', () => {
    expect(judgeAttempt({ kind: 'timeout' }).action).toBe('retry');
    expect(judgeAttempt({ kind: 'connection_error', code: 'ECONNRESET' })).toMatchObject({ action: 'retry', reason: expect.stringContaining('ECONNRESET') });
  });

  test('429 and 503 honour Retry-After in seconds or as an HTTP date', () => {
    expect(judgeAttempt({ kind: 'response', status: 429, retryAfter: '7' }, NOW)).toMatchObject({ notBeforeMs: NOW + 7000 });
    expect(judgeAttempt({ kind: 'response', status: 503, retryAfter: 'Thu, 26 Nov 2026 10:00:30 GMT' }, NOW)).toMatchObject({ notBeforeMs: NOW + 30_000 });
  });
});

describe('Retry-After', () => {
  test('ignores garbage, clamps the past to now and the far future to an hour', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter('-5', NOW)).toBeNull();
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:00 GMT', NOW)).toBe(NOW);
    expect(parseRetryAfter('999999', NOW)).toBe(NOW + 60 * 60_000);
  });
});

describe('backoff', () => {
  test('grows exponentially up to the cap, with full jitter', () => {
    const top = (attempt: number) => backoffDelay(attempt, { baseMs: 100, maxMs: 5000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(top)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    expect(backoffDelay(5, { baseMs: 100, random: () => 0 })).toBe(0);
    const samples = Array.from({ length: 200 }, () => backoffDelay(4, { baseMs: 100 }));
    expect(Math.max(...samples)).toBeLessThanOrEqual(800);
    expect(new Set(samples).size).toBeGreaterThan(50);
  });

  test('waits for the later of Retry-After and the backoff', () => {
    expect(nextAttemptAt(1, { action: 'retry', reason: 'x', notBeforeMs: NOW + 7000 }, NOW, { baseMs: 100, random: () => 0.5 })).toBe(NOW + 7000);
    expect(nextAttemptAt(10, { action: 'retry', reason: 'x', notBeforeMs: NOW + 10 }, NOW, { baseMs: 100, maxMs: 1000, random: () => 0.5 })).toBe(NOW + 500);
  });
});
