// A load's record outcomes (stream_records) and progress counts (loads): one statement per page, written behind the
// deliveries, one write at a time, and only ever for outcomes that are final.
import { toJson } from '../deliver/render-request';
import type { Queryable } from '../store/db';

export interface LedgerEntry {
  recordId: string;
  version: number;
  status: 'delivered' | 'transform_error' | 'schema_error' | 'rejected' | 'retry';
  /** The transformed record, or null when the transform failed. */
  transformed: unknown;
  error: { error_code: string; error_trace: string; details?: unknown } | null;
}

export interface LoadCounts {
  processed: number;
  transformed: number;
  valid: number;
  loaded: number;
  errored: number;
}

// One round trip per page: the entries travel as one JSON array, and the counts ride along in the same statement
// (a data-modifying WITH always runs to completion). A page never holds a record twice, as ON CONFLICT requires.
const WRITE_PAGE = `
  with written as (
    insert into stream_records (stream_id, record_id, version, status, transformed, error, attempts, load_id)
    select $1, entry.record_id, entry.version, entry.status, entry.transformed, entry.error, 1, $3
    from jsonb_to_recordset($2::jsonb) as entry (record_id text, version bigint, status text, transformed jsonb, error jsonb)
    on conflict (stream_id, record_id) do update set version = excluded.version, status = excluded.status, transformed = excluded.transformed,
      error = excluded.error, attempts = stream_records.attempts + 1, load_id = excluded.load_id, updated_at = clock_timestamp()
  )
  update loads set records_processed = $4, records_transformed = $5, records_valid = $6, records_loaded = $7, records_errored = $8 where id = $3`;

export class LoadLedger {
  private last: Promise<void> = Promise.resolve();
  private beforeLast: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Queryable,
    private readonly streamId: string,
    private readonly loadId: string,
  ) {}

  /** Queues a page's entries, with the load's counts so far, behind the writes already queued. */
  append(entries: readonly LedgerEntry[], counts: LoadCounts): void {
    if (!entries.length) return;
    const snapshot = { ...counts };
    this.beforeLast = this.last;
    this.last = this.last.then(() => this.write(entries, snapshot));
    // A failure surfaces through room() and drain(); this only keeps it from being reported as unhandled.
    this.last.catch(() => {});
  }

  /** Resolves once at most one write is waiting: a load reads no further ahead than Postgres keeps up with. */
  room(): Promise<void> {
    return this.beforeLast;
  }

  /** Resolves once everything appended is written (rejects if a write failed). */
  drain(): Promise<void> {
    return this.last;
  }

  private async write(entries: readonly LedgerEntry[], counts: LoadCounts): Promise<void> {
    const rows = entries.map((entry) => ({ record_id: entry.recordId, version: entry.version, status: entry.status, transformed: entry.transformed, error: entry.error }));
    await this.db.query(WRITE_PAGE, [this.streamId, toJson(rows), this.loadId, counts.processed, counts.transformed, counts.valid, counts.loaded, counts.errored]);
  }
}
