// Starts an extract of a dataset unless one is already queued or running (then that one is
// returned).
import { type Db, type Queryable, withTransaction } from '../store/db';
import { uuidv7 } from '../store/uuid';
import type { ExtractRow } from './extract-record';

export const EXTRACT_TASK = 'extract';

export type ExtractTrigger = 'api' | 'schedule' | 'support';

export interface ExtractOptions {
  /**
   * (ext) Read the whole table again, from no cursor (a queued extract is made one; a running one
   * is not).
   */
  fullRefresh?: boolean;
}

export function triggerExtract(
  db: Db,
  datasetId: string,
  trigger: ExtractTrigger,
  options: ExtractOptions = {},
) {
  return withTransaction(db, (client) => triggerExtractIn(client, datasetId, trigger, options));
}

/**
 * Inserts the extract and its job in the caller's transaction, so neither exists without the other.
 */
export async function triggerExtractIn(
  db: Queryable,
  datasetId: string,
  trigger: ExtractTrigger,
  options: ExtractOptions = {},
): Promise<{ extract: ExtractRow; created: boolean }> {
  const id = uuidv7();
  const fullRefresh = options.fullRefresh ?? false;
  const inserted = await db.query<ExtractRow>(
    `insert into extracts (id, dataset_id, status, trigger, full_refresh) values ($1, $2,
      'queued', $3, $4)
     on conflict (dataset_id) where status in ('queued', 'running') do nothing returning *`,
    [id, datasetId, trigger, fullRefresh],
  );
  const created = inserted.rows[0];
  if (created) {
    // One queue per dataset: graphile-worker runs its jobs one at a time, whatever the number of
    // engines. Flagged with its provider, as loads are: a job runner leaves it queued while the
    // provider holds its share of the slots (see fair-share.ts).
    await db.query(
      `select graphile_worker.add_job($1, json_build_object('extract_id', $2::text), queue_name ` +
        `:= $3, max_attempts := 5, job_key := $4, flags := array['provider:' || (select ` +
        `provider_id from datasets where id = $5)])`,
      [EXTRACT_TASK, id, `dataset:${datasetId}`, `extract:${id}`, datasetId],
    );
    return { extract: created, created: true };
  }
  // A queued extract has read nothing yet: asked for a full refresh, it becomes one.
  const active = await db.query<ExtractRow>(
    `update extracts set full_refresh = full_refresh or ($2 and status = 'queued') where ` +
      `dataset_id = $1 and status in ('queued', 'running') returning *`,
    [datasetId, fullRefresh],
  );
  if (active.rows[0]) return { extract: active.rows[0], created: false };
  // The active one finished between the two statements: try once more.
  return triggerExtractIn(db, datasetId, trigger, options);
}

/**
 * Datasets whose next run is due (one unknown is due) and that have no extract queued or running,
 * the longest due first: an index scan of dataset_state (every dataset has its row from creation,
 * migration 022), whatever the number of datasets. `now()`, not `clock_timestamp()`: an index can
 * only compare with a value fixed for the statement.
 */
export const DUE_DATASETS_SQL = `select s.dataset_id as id from dataset_state s
  where (s.next_run_at <= now() or s.next_run_at is null)
    and not exists (select 1 from extracts e where e.dataset_id = s.dataset_id and e.status in
      ('queued', 'running'))
  order by s.next_run_at nulls first limit 100`;

/**
 * Starts an extract of every dataset whose next run is due and that has none queued or running
 * (missed ticks coalesce).
 */
export async function scheduleDueExtracts(db: Db): Promise<number> {
  const due = await db.query<{ id: string }>(DUE_DATASETS_SQL);
  let started = 0;
  for (const { id } of due.rows) {
    const created = await withTransaction(db, async (client) => {
      if (!(await triggerExtractIn(client, id, 'schedule')).created) return false;
      // Another tick may have run the dataset since the list was read (an extract that finds
      // nothing takes a few ms): its next run then lies ahead, and this one is taken back.
      if (!(await stillDue(client, id))) throw new NoLongerDue();
      return true;
    }).catch((error: unknown) => {
      if (error instanceof NoLongerDue) return false;
      throw error;
    });
    if (created) started++;
  }
  return started;
}

class NoLongerDue extends Error {}

async function stillDue(db: Queryable, datasetId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `select 1 from dataset_state where dataset_id = $1 and (next_run_at is null or ` +
      `next_run_at <= clock_timestamp())`,
    [datasetId],
  );
  return (rowCount ?? 0) > 0;
}
