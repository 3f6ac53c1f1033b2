// Times POST test-transform over HTTP for random records, the way the mapping preview calls it.

export const RECORDS_PER_CALL = 50;
export const TARGET_P95_MS = 150;

export interface TransformTimings {
  calls: number;
  p50: number;
  p95: number;
  max: number;
  transformed: number;
  errored: number;
}

export function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/**
 * `post` calls the engine API and returns the response's `data`; the first `warmupCalls` calls are
 * not counted.
 */
export async function measureTestTransform(
  post: (pathname: string, body: unknown) => Promise<unknown>,
  streamId: string,
  liveIds: readonly string[],
  options: { calls: number; warmupCalls: number },
): Promise<TransformTimings> {
  const pick = () =>
    Array.from(
      { length: RECORDS_PER_CALL },
      () => liveIds[Math.floor(Math.random() * liveIds.length)]!,
    );
  const timings: number[] = [];
  let transformed = 0;
  let errored = 0;
  for (let call = 0; call < options.warmupCalls + options.calls; call++) {
    const started = performance.now();
    const data = (await post(`/import/streams/${streamId}/test-transform`, {
      record_ids: pick(),
    })) as { records: unknown[]; errors: unknown[] };
    const elapsed = performance.now() - started;
    if (call < options.warmupCalls) continue;
    timings.push(elapsed);
    transformed += data.records.length;
    errored += data.errors.length;
  }
  const sorted = [...timings].sort((a, b) => a - b);
  return {
    calls: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted[sorted.length - 1]!,
    transformed,
    errored,
  };
}
