// Starts a load of a stream unless one is already queued or running (then that one is returned).
import { type Db, type Queryable, withTransaction } from '../store/db';
import { uuidv7 } from '../store/uuid';
import type { LoadMode, LoadRow } from './load-record';

export const LOAD_TASK = 'load';

export interface LoadRequest {
  trigger: 'api' | 'extract' | 'support' | 'retry';
  /**
   * 'pending' (default): what changed, and the records waiting for a retry; 'retry': only those
   * (see load-retries.ts); 'redeliver' (ext): every current record again, delivered or not.
   */
  mode?: LoadMode;
  recordIds?: string[];
  actor?: { actor_id: string; type: string };
}

export function triggerLoad(db: Db, streamId: string, request: LoadRequest) {
  return withTransaction(db, (client) => triggerLoadIn(client, streamId, request));
}

/**
 * Inserts the load and its job in one transaction (one graphile queue per stream serialises them).
 */
export async function triggerLoadIn(
  db: Queryable,
  streamId: string,
  request: LoadRequest,
): Promise<{ load: LoadRow; created: boolean }> {
  const id = uuidv7();
  const inserted = await db.query<LoadRow>(
    `insert into loads (id, stream_id, status, trigger, actor_id, actor_type, record_ids, mode)
      values ($1, $2, 'queued', $3, $4, $5, $6, $7)
     on conflict (stream_id) where status in ('queued', 'running') do nothing returning *`,
    [
      id,
      streamId,
      request.trigger,
      request.actor?.actor_id ?? null,
      request.actor?.type ?? null,
      request.recordIds ?? null,
      request.mode ?? 'pending',
    ],
  );
  const created = inserted.rows[0];
  if (created) {
    await db.query(
      // Flagged with its provider: a job runner leaves it queued while the provider holds its
      // share of the slots (see fair-share.ts).
      `select graphile_worker.add_job($1, json_build_object('load_id', $2::text), queue_name := ` +
        `$3, max_attempts := 5, job_key := $4, flags := array['provider:' || (select ` +
        `provider_id from streams where id = $5)])`,
      [LOAD_TASK, id, `stream:${streamId}`, `load:${id}`, streamId],
    );
    return { load: created, created: true };
  }
  // A queued load has sent nothing yet: asked for a redelivery (of everything), it becomes one.
  const active = await db.query<LoadRow>(
    `update loads set mode = case when $2 and status = 'queued' and record_ids is null then
      'redeliver' else mode end
     where stream_id = $1 and status in ('queued', 'running') returning *`,
    [streamId, request.mode === 'redeliver'],
  );
  if (active.rows[0]) return { load: active.rows[0], created: false };
  return triggerLoadIn(db, streamId, request);
}

/** After a successful extract: every enabled, valid stream of the dataset loads what changed. */
export async function triggerLoadsAfterExtract(db: Db, datasetId: string): Promise<number> {
  const streams = await db.query<{ id: string }>(
    `select id from streams where dataset_id = $1 and is_valid and ` +
      `coalesce((body->>'is_enabled')::boolean, true)`,
    [datasetId],
  );
  let started = 0;
  for (const { id } of streams.rows)
    if (
      (
        await triggerLoad(db, id, {
          trigger: 'extract',
          actor: { actor_id: 'engine', type: 'unknown' },
        })
      ).created
    )
      started++;
  return started;
}
