// A stream's retry state in stream_state: updated at the end of every load, read for the stream's
// status, and turned into retry loads (just the waiting records) by the job runner's scheduler once
// due.
import type { Db, Queryable } from '../store/db';
import { toRfc3339, withTransaction } from '../store/db';
import { type LoadRetryOutcome, nextRetryState } from './retry-schedule';
import { triggerLoadIn } from './trigger-load';

/** What a stream's read shape says about its waiting records (ext); null when none waits. */
export interface StreamRetry {
  records_waiting: number;
  /**
   * When the next retry is due; null while the stream is not retried automatically (paused,
   * disabled).
   */
  next_retry_at: string | null;
}

/**
 * Plans the stream's next retry after a load (see nextRetryState), at the database's clock. Returns
 * when it is due, or null when nothing waits.
 */
export async function planRetry(
  db: Queryable,
  streamId: string,
  load: LoadRetryOutcome,
  options: { schedule?: readonly number[]; random?: () => number } = {},
): Promise<string | null> {
  const row = (
    await db.query<{
      waiting: number;
      step: number | null;
      next_ms: number | null;
      now_ms: number;
    }>(
      `select (select count(*)::int from stream_records where stream_id = $1 and status =
        'retry') as waiting,
         s.retry_step as step, (extract(epoch from s.next_retry_at) * 1000)::float8 as next_ms,
           (extract(epoch from clock_timestamp()) * 1000)::float8 as now_ms
       from (select 1) one left join stream_state s on s.stream_id = $1`,
      [streamId],
    )
  ).rows[0]!;
  // Retry-After is an absolute time on this process's clock: carried over as a delay from now.
  const notBeforeMs =
    load.notBeforeMs === null ? null : row.now_ms + Math.max(0, load.notBeforeMs - Date.now());
  const next = nextRetryState(
    { step: row.step ?? 0, nextRetryAtMs: row.next_ms },
    row.waiting,
    { ...load, notBeforeMs },
    { nowMs: row.now_ms, ...options },
  );
  const saved = await db.query<{ next_retry_at: string | null }>(
    `insert into stream_state (stream_id, retry_step, next_retry_at) select $1, $2,
      to_timestamp($3::float8 / 1000) where exists (select from streams where id = $1)
     on conflict (stream_id) do update set retry_step = excluded.retry_step, next_retry_at =
       excluded.next_retry_at
     returning next_retry_at`,
    [streamId, next.step, next.nextRetryAtMs],
  );
  const at = saved.rows[0]?.next_retry_at ?? null;
  return at === null ? null : toRfc3339(at);
}

/**
 * Streams whose retry is due and that load on their own, the longest due first: an index scan of
 * stream_state_next_retry_idx, whatever the number of streams (`now()`, fixed for the statement,
 * lets the index compare).
 */
export const DUE_RETRIES_SQL = `select s.stream_id from stream_state s join streams st on st.id =
    s.stream_id
  where s.next_retry_at <= now() and st.is_valid and st.disabled_reason is null
    and coalesce((st.body->>'is_enabled')::boolean, true)
  order by s.next_retry_at limit 100`;

/**
 * Starts a retry load for every stream whose retry is due and that loads on its own (enabled,
 * valid). The due time is cleared as the load is queued (one engine claims it); if a load is
 * already running, it is that load's end that plans the next retry.
 */
export async function triggerDueRetries(db: Db): Promise<number> {
  const due = await db.query<{ stream_id: string }>(DUE_RETRIES_SQL);
  let started = 0;
  for (const { stream_id } of due.rows) {
    const created = await withTransaction(db, async (client) => {
      const claimed = await client.query(
        'update stream_state set next_retry_at = null where stream_id = $1 and next_retry_at <= ' +
          'clock_timestamp()',
        [stream_id],
      );
      if (!claimed.rowCount) return false;
      return (
        await triggerLoadIn(client, stream_id, {
          trigger: 'retry',
          mode: 'retry',
          actor: { actor_id: 'engine', type: 'unknown' },
        })
      ).created;
    });
    if (created) started++;
  }
  return started;
}

/** The retry state of streams, by id (for their read shape). */
export async function streamRetries(
  db: Queryable,
  streamIds: readonly string[],
): Promise<Map<string, StreamRetry>> {
  if (!streamIds.length) return new Map();
  const rows = await db.query<{
    stream_id: string;
    waiting: number;
    next_retry_at: string | null;
    automatic: boolean;
  }>(
    `select st.id as stream_id, w.waiting, s.next_retry_at,
       st.is_valid and st.disabled_reason is null and
         coalesce((st.body->>'is_enabled')::boolean, true) as automatic
     from streams st
     cross join lateral (select count(*)::int as waiting from stream_records r where r.stream_id
       = st.id and r.status = 'retry') w
     left join stream_state s on s.stream_id = st.id
     where st.id = any($1::uuid[]) and w.waiting > 0`,
    [streamIds],
  );
  return new Map(
    rows.rows.map((row) => [
      row.stream_id,
      {
        records_waiting: row.waiting,
        next_retry_at:
          row.automatic && row.next_retry_at !== null ? toRfc3339(row.next_retry_at) : null,
      },
    ]),
  );
}
