// Pure orchestration: when an endpoint rejects a whole batch, split it in halves until the bad
// records are isolated.

export type BatchResult =
  | { action: 'delivered' }
  | { action: 'retry'; reason: string; notBeforeMs?: number }
  | { action: 'reject'; reason: string };

export interface SplitOutcome<T> {
  delivered: T[];
  rejected: { item: T; reason: string }[];
  /**
   * Items to try again later (the endpoint failed temporarily, maybe asking to wait until
   * `notBeforeMs`); never split further.
   */
  retry: { items: T[]; reason: string; notBeforeMs?: number }[];
  requests: number;
}

/**
 * Sends `items`; a rejected batch of more than one item is split in two and each half sent,
 * recursively, so one bad record costs O(log n) extra requests and never holds back the others.
 * Temporary failures are not split.
 */
export async function sendWithSplitting<T>(
  items: T[],
  send: (batch: T[]) => Promise<BatchResult>,
): Promise<SplitOutcome<T>> {
  const outcome: SplitOutcome<T> = { delivered: [], rejected: [], retry: [], requests: 0 };
  const visit = async (batch: T[]) => {
    if (!batch.length) return;
    outcome.requests++;
    const result = await send(batch);
    if (result.action === 'delivered') outcome.delivered.push(...batch);
    else if (result.action === 'retry')
      outcome.retry.push({
        items: batch,
        reason: result.reason,
        ...(result.notBeforeMs !== undefined ? { notBeforeMs: result.notBeforeMs } : {}),
      });
    else if (batch.length === 1) outcome.rejected.push({ item: batch[0]!, reason: result.reason });
    else {
      const middle = Math.ceil(batch.length / 2);
      await visit(batch.slice(0, middle));
      await visit(batch.slice(middle));
    }
  };
  await visit(items);
  return outcome;
}
