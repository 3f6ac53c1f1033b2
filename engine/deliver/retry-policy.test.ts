import { describe, expect, test } from 'vitest';
import { Prng } from '../../scripts/sample-db/prng';
import {
  backoffDelay,
  describeConnectionError,
  judgeAttempt,
  nextAttemptAt,
  parseRetryAfter,
} from './retry-policy';

const NOW = Date.parse('2026-11-26T10:00:00Z');

describe('judging a delivery attempt', () => {
  test.each([200, 201, 202, 204, 299])('%i is delivered', (status) => {
    expect(judgeAttempt({ kind: 'response', status })).toEqual({ action: 'delivered' });
  });

  test.each([408, 429, 500, 502, 503, 504, 599])('%i is retried', (status) => {
    expect(judgeAttempt({ kind: 'response', status }).action).toBe('retry');
  });

  test.each([301, 302, 303, 307, 308])(
    '%i (a redirect) rejects the record and says why',
    (status) => {
      const verdict = judgeAttempt({ kind: 'response', status });
      expect(verdict.action).toBe('reject');
      expect(verdict).toMatchObject({
        reason: expect.stringContaining('redirects are not followed'),
      });
    },
  );

  test.each([400, 401, 403, 404, 413, 422])('%i rejects the record', (status) => {
    expect(judgeAttempt({ kind: 'response', status }).action).toBe('reject');
  });

  test('410 means the endpoint is gone, not that the record is bad', () => {
    expect(judgeAttempt({ kind: 'response', status: 410 })).toEqual({
      action: 'gone',
      reason: expect.stringContaining('410 Gone'),
    });
  });

  test('timeouts and connection errors are retried', () => {
    expect(judgeAttempt({ kind: 'timeout', afterMs: 5000 })).toMatchObject({
      action: 'retry',
      reason: 'the request timed out: the endpoint did not answer within 5 s',
    });
    expect(judgeAttempt({ kind: 'timeout', afterMs: 1500 })).toMatchObject({
      reason: expect.stringContaining('within 1.5 s'),
    });
    expect(judgeAttempt({ kind: 'connection_error', code: 'ECONNRESET' })).toMatchObject({
      action: 'retry',
      reason: expect.stringContaining('ECONNRESET'),
    });
  });

  test('TLS failures are retried and named as such', () => {
    for (const code of [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ]) {
      expect(judgeAttempt({ kind: 'connection_error', code })).toEqual({
        action: 'retry',
        reason: `the connection failed: the endpoint's TLS certificate was not accepted (${code})`,
      });
    }
    expect(describeConnectionError('EPROTO')).toMatch(/TLS handshake .* failed \(EPROTO\)/);
    expect(describeConnectionError('ERR_SSL_WRONG_VERSION_NUMBER')).toMatch(/TLS handshake/);
    expect(describeConnectionError('ECONNREFUSED')).toBe('the connection failed (ECONNREFUSED)');
    expect(describeConnectionError()).toBe('the connection failed (network error)');
  });

  test('429 and 503 honour Retry-After in seconds or as an HTTP date', () => {
    expect(judgeAttempt({ kind: 'response', status: 429, retryAfter: '7' }, NOW)).toMatchObject({
      notBeforeMs: NOW + 7000,
    });
    expect(
      judgeAttempt(
        { kind: 'response', status: 503, retryAfter: 'Thu, 26 Nov 2026 10:00:30 GMT' },
        NOW,
      ),
    ).toMatchObject({ notBeforeMs: NOW + 30_000 });
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
    const top = (attempt: number) =>
      backoffDelay(attempt, { baseMs: 100, maxMs: 5000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(top)).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
    expect(backoffDelay(5, { baseMs: 100, random: () => 0 })).toBe(0);
    const samples = Array.from({ length: 200 }, () => backoffDelay(4, { baseMs: 100 }));
    expect(Math.max(...samples)).toBeLessThanOrEqual(800);
    expect(new Set(samples).size).toBeGreaterThan(50);
  });

  test('waits for the later of Retry-After and the backoff', () => {
    expect(
      nextAttemptAt(1, { action: 'retry', reason: 'x', notBeforeMs: NOW + 7000 }, NOW, {
        baseMs: 100,
        random: () => 0.5,
      }),
    ).toBe(NOW + 7000);
    expect(
      nextAttemptAt(10, { action: 'retry', reason: 'x', notBeforeMs: NOW + 10 }, NOW, {
        baseMs: 100,
        maxMs: 1000,
        random: () => 0.5,
      }),
    ).toBe(NOW + 500);
  });
});

describe('the retry schedule (properties over seeded random inputs)', () => {
  const prng = new Prng(7, 'retry-schedule');
  const ceiling = (attempt: number, base: number, max: number) =>
    Math.min(max, base * 2 ** (attempt - 1));

  test('every delay is a whole number of ms between 0 and min(cap, base · 2^(attempt-1))', () => {
    for (let run = 0; run < 5000; run++) {
      const attempt = prng.between(1, 60);
      const base = prng.between(1, 10_000);
      const max = prng.between(base, 24 * 60 * 60_000);
      const delay = backoffDelay(attempt, { baseMs: base, maxMs: max, random: () => prng.next() });
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(ceiling(attempt, base, max));
    }
  });

  test('the bound doubles with each attempt until the cap, and never shrinks', () => {
    for (let run = 0; run < 500; run++) {
      const base = prng.between(1, 5000);
      const max = prng.between(base, 10 * 60_000);
      const top = (attempt: number) =>
        backoffDelay(attempt, { baseMs: base, maxMs: max, random: () => 1 - Number.EPSILON });
      for (let attempt = 1; attempt < 40; attempt++) {
        const [now, next] = [top(attempt), top(attempt + 1)];
        expect(next).toBeGreaterThanOrEqual(now);
        if (ceiling(attempt + 1, base, max) < max)
          expect(next).toBe(ceiling(attempt + 1, base, max));
        else expect(next).toBeLessThanOrEqual(max);
      }
      expect(top(60)).toBe(max);
    }
  });

  test('the jitter spreads delays over the whole range, and their mean grows with each attempt until the cap', () => {
    const mean = (attempt: number) => {
      let sum = 0;
      for (let i = 0; i < 2000; i++)
        sum += backoffDelay(attempt, { baseMs: 100, maxMs: 6400, random: () => prng.next() });
      return sum / 2000;
    };
    const means = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(mean);
    // Full jitter: the mean is half the bound (50, 100, … 3200), then stays at half the cap.
    for (let attempt = 1; attempt < 7; attempt++)
      expect(means[attempt]! / means[attempt - 1]!).toBeGreaterThan(1.7);
    for (const capped of means.slice(7)) expect(Math.abs(capped - 3200)).toBeLessThan(200);
    const samples = Array.from({ length: 1000 }, () =>
      backoffDelay(6, { baseMs: 100, maxMs: 6400, random: () => prng.next() }),
    );
    expect(Math.min(...samples)).toBeLessThan(320);
    expect(Math.max(...samples)).toBeGreaterThan(2880);
  });

  test('the next attempt is never before Retry-After nor later than the backoff bound, and Retry-After is capped at an hour', () => {
    for (let run = 0; run < 2000; run++) {
      const attempt = prng.between(1, 20);
      const seconds = prng.between(0, 10_000_000);
      const notBefore = parseRetryAfter(String(seconds), NOW)!;
      expect(notBefore - NOW).toBe(Math.min(seconds * 1000, 60 * 60_000));
      const at = nextAttemptAt(
        attempt,
        { action: 'retry', reason: 'x', notBeforeMs: notBefore },
        NOW,
        { baseMs: 200, maxMs: 30_000, random: () => prng.next() },
      );
      expect(at).toBeGreaterThanOrEqual(notBefore);
      expect(at).toBeLessThanOrEqual(Math.max(notBefore, NOW + ceiling(attempt, 200, 30_000)));
    }
  });
});
