// Pure: a dataset's and its streams' recent runs as chart points, and a job's counters as labelled
// numbers.
import type { Extract, JobStatus, Load } from '../job';
import { toDate } from './human-duration';

/** One run: an extract fills new…unchanged, a load fills loaded; both fill errored. */
export interface RunPoint {
  kind: 'extract' | 'load';
  id: string;
  /** When it ended; when it started or was submitted while it has not. */
  at: Date;
  status: JobStatus;
  new: number;
  updated: number;
  deleted: number;
  unchanged: number;
  loaded: number;
  errored: number;
}

export interface LabelledCount {
  key: 'new' | 'updated' | 'deleted' | 'unchanged' | 'loaded' | 'errored';
  label: string;
  value: number;
}

/**
 * The last `limit` runs of both kinds, oldest first (the order a chart reads in), whatever order
 * they came in.
 */
export function runHistory(extracts: Extract[], loads: Load[], limit = 20): RunPoint[] {
  const points = [...extracts.map(extractPoint), ...loads.map(loadPoint)].sort(
    (a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id),
  );
  return limit > 0 ? points.slice(-limit) : [];
}

export function countsOf(extract: Extract): LabelledCount[] {
  return [
    { key: 'new', label: 'New', value: extract.records_new_inserted },
    { key: 'updated', label: 'Updated', value: extract.records_existing_updated },
    { key: 'deleted', label: 'Deleted', value: extract.records_existing_deleted },
    { key: 'unchanged', label: 'Unchanged', value: extract.records_existing_unchanged },
    { key: 'errored', label: 'Errored', value: extract.records_errored },
  ];
}

export function loadCountsOf(load: Load): LabelledCount[] {
  return [
    { key: 'loaded', label: 'Loaded', value: load.records_loaded },
    { key: 'errored', label: 'Errored', value: load.records_errored },
  ];
}

/** When a job ended; when it started or was submitted while it has not. */
export const runTime = (job: Extract | Load): Date =>
  toDate(job.ended_at) ?? toDate(job.started_at) ?? toDate(job.submitted_at) ?? new Date(0);

function extractPoint(extract: Extract): RunPoint {
  return {
    kind: 'extract',
    id: extract.id,
    at: runTime(extract),
    status: extract.status,
    new: extract.records_new_inserted,
    updated: extract.records_existing_updated,
    deleted: extract.records_existing_deleted,
    unchanged: extract.records_existing_unchanged,
    loaded: 0,
    errored: extract.records_errored,
  };
}

function loadPoint(load: Load): RunPoint {
  return {
    kind: 'load',
    id: load.id,
    at: runTime(load),
    status: load.status,
    new: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    loaded: load.records_loaded,
    errored: load.records_errored,
  };
}
