// A stream whose endpoint has failed every delivery for long enough is disabled, and the operator
// told (research §7.2 item 13: "endpoint auto-disabled after the configured period"; Svix disables
// an endpoint after 5 days). A stream's failing run starts with the first load that could deliver
// nothing because the endpoint was unavailable (5xx, 429, timeouts, connection errors, all attempts
// spent) and ends with the first delivery that succeeds. Rejections (other 4xx) do not count: an
// endpoint that refuses a record is up.
import type { EngineContext } from '../engine-context';

/** Five days, as Svix; ENGINE_DISABLE_AFTER_FAILING_HOURS sets it. */
export const DEFAULT_DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;

export interface LoadDeliveries {
  /** Records the endpoint accepted in this load. */
  delivered: number;
  /** Records left for a later load because the endpoint was unavailable. */
  unavailable: number;
  /** When the load started: the start of a failing run, if this load begins one. */
  startedAt: Date;
  /** The endpoint's last answer, for the reason. */
  lastReason: string | null;
}

/**
 * Adds a load's deliveries to the stream's failing run: a delivery ends the run; a load of failures
 * only starts one, or extends it. Returns why the stream is to be disabled once the run has lasted
 * `disableAfterMs`, else null.
 */
export async function recordFailingRun(
  engine: EngineContext,
  streamId: string,
  load: LoadDeliveries,
  disableAfterMs: number,
): Promise<string | null> {
  if (load.delivered > 0) {
    await engine.db.query(
      'update stream_state set failing_since = null where stream_id = $1 and failing_since is ' +
        'not null',
      [streamId],
    );
    return null;
  }
  if (load.unavailable === 0) return null;
  // Nothing is written for a stream deleted meanwhile.
  const row = (
    await engine.db.query<{ failing_since: Date | string; failing_ms: number }>(
      `insert into stream_state (stream_id, failing_since) select $1, $2 where exists (select
        from streams where id = $1)
       on conflict (stream_id) do update set failing_since =
         coalesce(stream_state.failing_since, excluded.failing_since)
       returning failing_since, (extract(epoch from clock_timestamp() - failing_since) *
         1000)::float8 as failing_ms`,
      [streamId, load.startedAt],
    )
  ).rows[0];
  if (!row) return null;
  if (row.failing_ms < disableAfterMs) return null;
  const since = new Date(row.failing_since).toISOString();
  const last = load.lastReason ? `, last: ${load.lastReason}` : '';
  const lasted = describeDuration(row.failing_ms);
  return `every delivery has failed for ${lasted} (since ${since})${last}`;
}

/**
 * "5 days 2 hours", "3 hours 10 minutes", "12 minutes", "40 seconds": the largest unit and the next
 * one.
 */
export function describeDuration(ms: number): string {
  const units: [string, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ];
  const largest = units.findIndex(([, size]) => ms >= size);
  if (largest < 0) return '0 seconds';
  const parts: string[] = [];
  let rest = ms;
  for (const [name, size] of units.slice(largest, largest + 2)) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${name}${count === 1 ? '' : 's'}`);
  }
  return parts.join(' ');
}
