// A load's record outcomes (stream_records) and progress counts (loads): one statement per page,
// written behind the deliveries, one write at a time, and only ever for outcomes that are final.
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';
import { toJson } from '../deliver/render-request';
import type { Queryable } from '../store/db';

export interface LedgerEntry {
  recordId: string;
  version: number;
  status: 'delivered' | 'transform_error' | 'schema_error' | 'rejected' | 'retry';
  /**
   * Where the transformed record is in its page's `transformedJson`, or null when the transform
   * failed.
   */
  transformedIndex: number | null;
  error: { error_code: string; error_trace: string; details?: unknown } | null;
}

/** A ledger write: entries, and the JSON array of transformed records their indexes point into. */
export interface LedgerPage {
  entries: LedgerEntry[];
  /**
   * What a load already wrote (as UTF-8) for the request body; null when no entry has a transformed
   * record.
   */
  transformedJson: Buffer | null;
}

export interface LoadCounts {
  processed: number;
  transformed: number;
  valid: number;
  loaded: number;
  errored: number;
}

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);
// Quality 1 compresses a page of sample customers (370 kB of JSON) sixfold in about a millisecond,
// on the thread pool. Quality 0 saves a quarter of that time but leaves a quarter more for Postgres
// to receive and store; higher qualities gain little on JSON for several times the work.
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } };

// One round trip per write. The entries travel as parallel arrays (one per column), their
// transformed records as one compressed row of transformed_pages, and the counts ride along (a
// data-modifying WITH always runs to completion). The stream is locked once per write, as a foreign
// key would per row (stream_records has none: the per-row check cost more than the rows), and
// nothing is written for a stream that is gone. Every CTE sees the rows as they were before the
// statement, so `replaced` finds the pages the rows pointed at until now: each loses those
// references, and a page left with none is deleted. The counts assume one writer per stream at a
// time (one active load per stream); were two to race, a page could outlive its references or
// lineage could miss a record's transformed data, never more. One write never holds a record twice,
// as ON CONFLICT requires.
/**
 * The statement's parts: the stream, locked; the entries; the page row of their transformed
 * records.
 */
const STREAM_ENTRIES_PAGE = `
  with stream as (
    select id from streams where id = $1 for key share
  ), entry as (
    select * from unnest($2::text[], $3::bigint[], $4::text[], $5::jsonb[], $6::int[]) as entry
      (record_id, version, status, error, transformed_index)
  ), page as (
    insert into transformed_pages (stream_id, records, live)
    select $1, $7, count(*) from entry where transformed_index is not null and exists (select
      from stream) having count(*) > 0
    returning id
  )`;
/** The entries' rows (the conflict clause goes after it). */
const INSERT_ROWS = `
    insert into stream_records (stream_id, record_id, version, status, transformed,
      transformed_page, transformed_index, error, attempts, load_id, redelivery)
    select stream.id, entry.record_id, entry.version, entry.status, null, case when
      entry.transformed_index is not null then (select id from page) end,
      entry.transformed_index, entry.error, 1, $8, $14
    from entry cross join stream`;
const UPDATE_COUNTS = `
  update loads set records_processed = $9, records_transformed = $10, records_valid = $11,
    records_loaded = $12, records_errored = $13 where id = $8`;

const WRITE_PAGE = `${STREAM_ENTRIES_PAGE}, replaced as (
    -- An array, not a join: the rows are found by primary key, never by reading the
    -- stream's whole ledger.
    select r.transformed_page as id, count(*)::int as lost from stream_records r
    where r.stream_id = $1 and r.record_id = any ($2::text[]) and r.transformed_page is not null
    group by r.transformed_page
  ), emptied as (
    delete from transformed_pages p using replaced where p.id = replaced.id and p.live <=
      replaced.lost
  ), thinned as (
    update transformed_pages p set live = p.live - replaced.lost from replaced where p.id =
      replaced.id and p.live > replaced.lost
  ), written as (${INSERT_ROWS}
    on conflict (stream_id, record_id) do update set version = excluded.version, status =
      excluded.status, transformed = null,
      transformed_page = excluded.transformed_page, transformed_index =
        excluded.transformed_index, error = excluded.error,
      attempts = stream_records.attempts + 1, load_id = excluded.load_id, redelivery =
        excluded.redelivery, updated_at = clock_timestamp()
  )${UPDATE_COUNTS}`;

// The write of a stream whose ledger was empty when its load began (a first load, the big
// backfill): no row points at a page yet and none is written twice, so there is nothing to replace
// and no conflict to look for, which is about half of the work. Should a row exist after all (an id
// asked for twice), the insert fails as a whole and the write is made again as above.
const WRITE_NEW_PAGE = `${STREAM_ENTRIES_PAGE}, written as (${INSERT_ROWS}
  )${UPDATE_COUNTS}`;

const UNIQUE_VIOLATION = '23505';

/**
 * Whether the stream's ledger holds no record yet (its first load's writes can then skip looking
 * for earlier rows).
 */
export async function ledgerIsEmpty(db: Queryable, streamId: string): Promise<boolean> {
  return (
    (await db.query('select 1 from stream_records where stream_id = $1 limit 1', [streamId]))
      .rowCount === 0
  );
}

/** A page of entries as the write takes them: one array per column. */
interface EncodedPage {
  recordIds: string[];
  versions: number[];
  statuses: string[];
  /** JSON texts (toJson keeps a bigint in an error's details exact). */
  errors: (string | null)[];
  /** The index of each entry's transformed record in `records`, or null. */
  transformedIndexes: (number | null)[];
  /** The compressed JSON array of the transformed records, or null when none was transformed. */
  records: Buffer | null;
}

async function encodePage({ entries, transformedJson }: LedgerPage): Promise<EncodedPage> {
  const page: EncodedPage = {
    recordIds: [],
    versions: [],
    statuses: [],
    errors: [],
    transformedIndexes: [],
    records: null,
  };
  for (const entry of entries) {
    page.recordIds.push(entry.recordId);
    page.versions.push(entry.version);
    page.statuses.push(entry.status);
    page.errors.push(entry.error === null ? null : toJson(entry.error));
    page.transformedIndexes.push(entry.transformedIndex);
  }
  if (transformedJson !== null && page.transformedIndexes.some((index) => index !== null))
    page.records = await compress(transformedJson, BROTLI);
  return page;
}

export class LoadLedger {
  private last: Promise<void> = Promise.resolve();
  private beforeLast: Promise<void> = Promise.resolve();

  /**
   * `fresh`: the stream's ledger was empty when the load began (see ledgerIsEmpty), and only this
   * load writes it. `redelivery`: the load sends every record again, and its rows say so.
   */
  constructor(
    private readonly db: Queryable,
    private readonly streamId: string,
    private readonly loadId: string,
    private fresh = false,
    private readonly redelivery = false,
  ) {}

  /** Queues a page's entries, with the load's counts so far, behind the writes already queued. */
  append(page: LedgerPage, counts: LoadCounts): void {
    if (!page.entries.length) return;
    const snapshot = { ...counts };
    // Encoded (and compressed, off the main thread) now, while the write before it is still in
    // Postgres.
    const encoded = encodePage(page);
    encoded.catch(() => {});
    this.beforeLast = this.last;
    this.last = this.last.then(async () => this.write(await encoded, snapshot));
    // A failure surfaces through room() and drain(); this only keeps it from being reported as
    // unhandled.
    this.last.catch(() => {});
  }

  /**
   * Resolves once at most one write is waiting: a load reads no further ahead than Postgres keeps
   * up with.
   */
  room(): Promise<void> {
    return this.beforeLast;
  }

  /** Resolves once everything appended is written (rejects if a write failed). */
  drain(): Promise<void> {
    return this.last;
  }

  private async write(page: EncodedPage, counts: LoadCounts): Promise<void> {
    if (this.fresh) {
      try {
        await this.db.query(WRITE_NEW_PAGE, this.parameters(page, counts));
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        this.fresh = false;
      }
    }
    await this.db.query(WRITE_PAGE, this.parameters(page, counts));
  }

  private parameters(page: EncodedPage, counts: LoadCounts): unknown[] {
    return [
      this.streamId,
      page.recordIds,
      page.versions,
      page.statuses,
      page.errors,
      page.transformedIndexes,
      page.records,
      this.loadId,
      counts.processed,
      counts.transformed,
      counts.valid,
      counts.loaded,
      counts.errored,
      this.redelivery,
    ];
  }
}

/**
 * Where a ledger row keeps its transformed record: inline (rows written before transformed_pages),
 * or in a page.
 */
export interface TransformedRef {
  transformed: unknown;
  transformed_page: string | null;
  transformed_index: number | null;
}

async function decodePage(records: Buffer): Promise<unknown[]> {
  return JSON.parse((await decompress(records)).toString('utf8')) as unknown[];
}

/**
 * The transformed record a ledger row points at (null when the transform failed, or its page is
 * gone).
 */
export async function readTransformed(db: Queryable, ref: TransformedRef): Promise<unknown> {
  if (ref.transformed_page === null || ref.transformed_index === null)
    return ref.transformed ?? null;
  const page = (
    await db.query<{ records: Buffer }>('select records from transformed_pages where id = $1', [
      ref.transformed_page,
    ])
  ).rows[0];
  return page ? ((await decodePage(page.records))[ref.transformed_index] ?? null) : null;
}

/**
 * Every transformed record a stream's ledger holds, by record id (for tests and benchmarks that
 * check deliveries).
 */
export async function readStreamTransformed(
  db: Queryable,
  streamId: string,
): Promise<Map<string, unknown>> {
  const rows = (
    await db.query<TransformedRef & { record_id: string }>(
      'select record_id, transformed, transformed_page, transformed_index from stream_records ' +
        'where stream_id = $1',
      [streamId],
    )
  ).rows;
  const pages = new Map<string, unknown[]>();
  for (const page of (
    await db.query<{ id: string; records: Buffer }>(
      'select id, records from transformed_pages where stream_id = $1',
      [streamId],
    )
  ).rows) {
    pages.set(page.id, await decodePage(page.records));
  }
  const transformed = new Map<string, unknown>();
  for (const row of rows) {
    const value =
      row.transformed_page === null || row.transformed_index === null
        ? row.transformed
        : pages.get(row.transformed_page)?.[row.transformed_index];
    transformed.set(row.record_id, value ?? null);
  }
  return transformed;
}
