// (ext) Cancelling extracts and loads: a queued job never starts; a running one is asked to stop
// and checks the request at its checkpoints (see watchCancel), so whatever it committed stays
// committed and the next run resumes.
import type { Queryable } from '../store/db';

export type CancellableTable = 'extracts' | 'loads';

const JOB_KEY_PREFIX: Record<CancellableTable, string> = { extracts: 'extract', loads: 'load' };

/**
 * What a cancel did: the job was queued (now cancelled), running (asked to stop), or already over
 * (nothing).
 */
export type CancelOutcome<Row> =
  { outcome: 'cancelled' | 'requested'; row: Row } | { outcome: 'finished' };

/** Cancels a queued job or asks a running one to stop; in the caller's transaction. */
export async function requestCancel<Row>(
  db: Queryable,
  table: CancellableTable,
  id: string,
): Promise<CancelOutcome<Row>> {
  // SET reads the row as it was: a queued job ends here, a running one only learns it is to stop.
  const updated = await db.query<Row & { status: string }>(
    `update ${table} set status = case when status = 'queued' then 'cancelled' else status end,
       ended_at = case when status = 'queued' then clock_timestamp() else ended_at end,
       cancel_requested_at = coalesce(cancel_requested_at, clock_timestamp())
     where id = $1 and status in ('queued', 'running') returning *`,
    [id],
  );
  const row = updated.rows[0];
  if (!row) return { outcome: 'finished' };
  if (row.status !== 'cancelled') return { outcome: 'requested', row };
  // Its job goes too (a worker that already holds it finds the job cancelled and does nothing).
  await db.query('select graphile_worker.remove_job($1)', [`${JOB_KEY_PREFIX[table]}:${id}`]);
  return { outcome: 'cancelled', row };
}

export async function cancelRequested(
  db: Queryable,
  table: CancellableTable,
  id: string,
): Promise<boolean> {
  return (
    (
      await db.query(`select 1 from ${table} where id = $1 and cancel_requested_at is not null`, [
        id,
      ])
    ).rowCount === 1
  );
}

/**
 * A running job's view of its cancel request, polled in the background so checkpoints cost nothing.
 */
export interface CancelWatch {
  readonly requested: boolean;
  stop(): void;
}

export function watchCancel(
  db: Queryable,
  table: CancellableTable,
  id: string,
  everyMs = 250,
): CancelWatch {
  let requested = false;
  let checking = false;
  const check = () => {
    if (checking || requested) return;
    checking = true;
    cancelRequested(db, table, id)
      .then((asked) => {
        requested ||= asked;
      })
      // A failed check is the next check's to make.
      .catch(() => {})
      .finally(() => {
        checking = false;
      });
  };
  // At once too: a job taken over after a crash may have been asked to stop before.
  check();
  const timer = setInterval(check, everyMs);
  timer.unref();
  return {
    get requested() {
      return requested;
    },
    stop: () => clearInterval(timer),
  };
}
