// The loads table and its API shape.
import type { JobError, JobStatus } from '../../lib/prequel/contract/job';
import { toRfc3339 } from '../store/db';

export type LoadMode = 'pending' | 'retry' | 'redeliver';

export interface LoadRow {
  id: string;
  stream_id: string;
  status: JobStatus;
  trigger: string;
  mode: LoadMode;
  actor_id: string | null;
  actor_type: string | null;
  record_ids: string[] | null;
  submitted_at: string;
  started_at: string | null;
  ended_at: string | null;
  records_processed: string;
  records_transformed: string;
  records_valid: string;
  records_loaded: string;
  records_errored: string;
  error: JobError | null;
  cancel_requested_at: string | null;
  created_at: string;
}

const time = (value: string | null) => (value === null ? null : toRfc3339(value));

export function loadResponse(row: LoadRow) {
  return {
    id: row.id,
    stream_id: row.stream_id,
    status: row.status,
    trigger: row.trigger,
    mode: row.mode,
    submitted_at: toRfc3339(row.submitted_at),
    started_at: time(row.started_at),
    ended_at: time(row.ended_at),
    actor_id: row.actor_id,
    actor_type: row.actor_type,
    records_processed: Number(row.records_processed),
    records_transformed: Number(row.records_transformed),
    records_valid: Number(row.records_valid),
    records_loaded: Number(row.records_loaded),
    records_errored: Number(row.records_errored),
    ...(row.record_ids ? { record_ids: row.record_ids } : {}),
    error: row.error,
    cancel_requested_at: time(row.cancel_requested_at),
  };
}
