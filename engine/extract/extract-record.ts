// The extracts table and its API shape.
import type { JobError, JobStatus } from '../../lib/prequel/contract/job';
import { toRfc3339 } from '../store/db';

export interface ExtractRow {
  id: string;
  dataset_id: string;
  status: JobStatus;
  trigger: string;
  submitted_at: string;
  started_at: string | null;
  ended_at: string | null;
  records_processed: string;
  records_new_inserted: string;
  records_existing_updated: string;
  records_existing_unchanged: string;
  records_existing_deleted: string;
  records_errored: string;
  rows_read: string;
  estimated_rows: string | null;
  error: JobError | null;
  worker_id: string | null;
  cancel_requested_at: string | null;
  full_refresh: boolean;
  created_at: string;
}

const time = (value: string | null) => (value === null ? null : toRfc3339(value));

export function extractResponse(row: ExtractRow) {
  return {
    id: row.id,
    dataset_id: row.dataset_id,
    status: row.status,
    trigger: row.trigger,
    full_refresh: row.full_refresh,
    submitted_at: toRfc3339(row.submitted_at),
    started_at: time(row.started_at),
    ended_at: time(row.ended_at),
    records_processed: Number(row.records_processed),
    records_new_inserted: Number(row.records_new_inserted),
    records_existing_updated: Number(row.records_existing_updated),
    records_existing_unchanged: Number(row.records_existing_unchanged),
    records_existing_deleted: Number(row.records_existing_deleted),
    records_errored: Number(row.records_errored),
    error: row.error,
    cancel_requested_at: time(row.cancel_requested_at),
    progress: {
      rows_read: Number(row.rows_read),
      estimated_rows: row.estimated_rows === null ? null : Number(row.estimated_rows),
    },
  };
}
