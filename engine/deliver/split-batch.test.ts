import { describe, expect, test } from 'vitest';
import { sendWithSplitting } from './split-batch';

const endpoint =
  (bad: Set<number>, log: number[][] = []) =>
  async (batch: number[]) => {
    log.push(batch);
    return batch.some((item) => bad.has(item))
      ? ({ action: 'reject', reason: 'bad record' } as const)
      : ({ action: 'delivered' } as const);
  };

describe('splitting a rejected batch', () => {
  test('delivers everything in one request when all is well', async () => {
    const result = await sendWithSplitting([1, 2, 3, 4], endpoint(new Set()));
    expect(result).toMatchObject({ delivered: [1, 2, 3, 4], rejected: [], requests: 1 });
  });

  test('isolates one bad record among 1,000 in about 2·log2(n) requests, delivering the other 999', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const result = await sendWithSplitting(items, endpoint(new Set([617])));
    expect(result.rejected).toEqual([{ item: 617, reason: 'bad record' }]);
    expect(result.delivered.sort((a, b) => a - b)).toEqual(items.filter((i) => i !== 617));
    expect(result.requests).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(1000)) + 1);
  });

  test('isolates several bad records', async () => {
    const result = await sendWithSplitting([1, 2, 3, 4, 5, 6, 7, 8], endpoint(new Set([2, 7, 8])));
    expect(result.rejected.map((r) => r.item)).toEqual([2, 7, 8]);
    expect(result.delivered.sort()).toEqual([1, 3, 4, 5, 6]);
  });

  test('does not split on temporary failures: the whole batch waits for a retry', async () => {
    const log: number[][] = [];
    const result = await sendWithSplitting([1, 2, 3], async (batch) => {
      log.push(batch);
      return { action: 'retry', reason: 'the endpoint answered 503' };
    });
    expect(result.retry).toEqual([{ items: [1, 2, 3], reason: 'the endpoint answered 503' }]);
    expect(log).toHaveLength(1);
  });
});
