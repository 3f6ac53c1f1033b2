// Tests only: extracts, loads and errors shaped like the engine's, at times relative to one fixed clock.
import type { Extract, JobError, Load } from '../job';

/** 14:00 UTC: every fixture's "now". */
export const NOW = new Date('2025-03-04T14:00:00.000Z');

/** `minutes` before NOW (after it when negative), as the API writes timestamps. */
export const ago = (minutes: number): string =>
  new Date(NOW.getTime() - minutes * 60_000).toISOString();
export const at = (minutes: number): Date => new Date(NOW.getTime() - minutes * 60_000);

let sequence = 0;
const nextId = (prefix: string) => `${prefix}-${String(++sequence).padStart(4, '0')}`;

export function jobError(
  error_code: string,
  blame: JobError['blame'],
  message = 'Something went wrong.',
  title = 'The job failed',
): JobError {
  return {
    error_code,
    title,
    message,
    blame,
    documentation_url: `/docs/errors#${error_code}`,
    trace: '',
  };
}

/** A finished extract that ended `endedMinutesAgo` before NOW after a one-minute run. */
export function extract(endedMinutesAgo: number, overrides: Partial<Extract> = {}): Extract {
  return {
    id: nextId('ext'),
    dataset_id: 'dataset-orders',
    status: 'succeeded',
    submitted_at: ago(endedMinutesAgo + 1),
    started_at: ago(endedMinutesAgo + 1),
    ended_at: ago(endedMinutesAgo),
    records_processed: 120,
    records_new_inserted: 12,
    records_existing_updated: 8,
    records_existing_unchanged: 100,
    records_existing_deleted: 0,
    records_errored: 0,
    error: null,
    ...overrides,
  };
}

export function failedExtract(
  endedMinutesAgo: number,
  error: JobError,
  overrides: Partial<Extract> = {},
): Extract {
  return extract(endedMinutesAgo, {
    status: 'failed',
    error,
    records_processed: 0,
    records_new_inserted: 0,
    records_existing_updated: 0,
    records_existing_unchanged: 0,
    ...overrides,
  });
}

export function runningExtract(startedMinutesAgo: number): Extract {
  return extract(0, {
    status: 'running',
    submitted_at: ago(startedMinutesAgo),
    started_at: ago(startedMinutesAgo),
    ended_at: null,
    progress: { rows_read: 5000, estimated_rows: 20000 },
  });
}

/** A finished load that ended `endedMinutesAgo` before NOW. */
export function load(endedMinutesAgo: number, overrides: Partial<Load> = {}): Load {
  return {
    id: nextId('load'),
    stream_id: 'stream-orders',
    status: 'succeeded',
    submitted_at: ago(endedMinutesAgo + 1),
    started_at: ago(endedMinutesAgo + 1),
    ended_at: ago(endedMinutesAgo),
    records_processed: 20,
    records_transformed: 20,
    records_valid: 20,
    records_loaded: 20,
    records_errored: 0,
    error: null,
    ...overrides,
  };
}

export function failedLoad(
  endedMinutesAgo: number,
  error: JobError,
  overrides: Partial<Load> = {},
): Load {
  return load(endedMinutesAgo, {
    status: 'failed',
    error,
    records_loaded: 0,
    records_errored: 20,
    ...overrides,
  });
}
