// Reads a dataset's cached records (the latest version of each, from the Parquet files in its manifest).
import { DuckDBInstance } from '@duckdb/node-api';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import { openDatalakeForProvider } from '../datalake/open-datalake-for';
import type { EngineContext } from '../engine-context';
import { toRfc3339 } from '../store/db';
import { META } from './change-detector';
import { typedValue } from './typed-value';

interface ManifestFile {
  key: string;
  version: string;
  created_at: string;
}

interface CachedDataset {
  provider_id: string;
  columns: SchemaColumn[] | null;
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Runs `work` with a DuckDB view `latest` of the newest version of every record (as of a time, if given). */
async function withLatest<T>(engine: EngineContext, datasetId: string, asOf: string | undefined, work: (query: (sql: string) => Promise<Record<string, unknown>[]>, dataset: CachedDataset, files: ManifestFile[]) => Promise<T>): Promise<T> {
  const dataset = (await engine.db.query<CachedDataset>('select provider_id, columns from datasets where id = $1', [datasetId])).rows[0]!;
  const files = (
    await engine.db.query<ManifestFile>(
      `select key, version::text, created_at from dataset_files where dataset_id = $1 and ($2::timestamptz is null or created_at <= $2::timestamptz) order by version`,
      [datasetId, asOf ?? null],
    )
  ).rows;
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false', threads: '2', memory_limit: '128MB' });
  const connection = await instance.connect();
  try {
    if (files.length) {
      const store = await openDatalakeForProvider(engine, dataset.provider_id);
      const paths = await Promise.all(files.map((file) => store.localPath(file.key)));
      await connection.run(`
        create view latest as
        select * from read_parquet([${paths.map(literal).join(', ')}], union_by_name = true)
        qualify row_number() over (partition by ${META.recordId} order by ${META.version} desc) = 1`);
    }
    const query = async (sql: string) => (files.length ? ((await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[]) : []);
    return await work(query, dataset, files);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The record as the pipeline sees it: typed values by column, exact for big numbers. */
export function typedRecord(row: Record<string, unknown>, columns: SchemaColumn[] | null): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const types = new Map((columns ?? []).map((column) => [column.name, column.prequel_type]));
  for (const [name, value] of Object.entries(row)) {
    if (name.startsWith('_prequel_')) continue;
    record[name] = typedValue(value === null || value === undefined ? null : String(value), types.get(name) ?? 'string');
  }
  return record;
}

export async function readRandomSample(engine: EngineContext, datasetId: string, size: number) {
  return withLatest(engine, datasetId, undefined, async (query, dataset) => {
    // USING SAMPLE applies before WHERE, so filter in a subquery first.
    const rows = await query(`select * from (select * from latest where not ${META.isDeleted}) using sample reservoir(${Math.floor(size)} rows)`);
    return {
      schema: (dataset.columns ?? []).map((column) => ({
        name: column.name,
        database_type_name: column.raw_type,
        length: null,
        precision: null,
        scale: null,
        nullable: column.is_nullable,
      })),
      records: rows.map((row) => ({ [META.recordId]: row[META.recordId], ...typedRecord(row, dataset.columns) })),
    };
  });
}

export interface CachedRecord {
  recordId: string;
  isDeleted: boolean;
  version: number;
  /** Typed values by column (see typedValue). */
  data: Record<string, unknown>;
}

/** The latest cached version of the given records (ids not in the cache are simply absent). */
export async function readRecordsByIds(engine: EngineContext, datasetId: string, ids: readonly string[]): Promise<CachedRecord[]> {
  if (!ids.length) return [];
  return withLatest(engine, datasetId, undefined, async (query, dataset) => {
    const rows = await query(`select * from latest where ${META.recordId} in (${ids.map(literal).join(', ')})`);
    return rows.map((row) => ({
      recordId: String(row[META.recordId]),
      isDeleted: row[META.isDeleted] === true,
      version: Number(row[META.version]),
      data: typedRecord(row, dataset.columns),
    }));
  });
}

/**
 * The next page of records whose latest version is newer than `afterVersion`, in record-id order after
 * `afterRecordId` (keyset paging, so a load walks any number of records with bounded memory).
 */
export async function readChangedRecords(
  engine: EngineContext,
  datasetId: string,
  page: { afterVersion: number; afterRecordId: string | null; limit: number },
): Promise<CachedRecord[]> {
  return withLatest(engine, datasetId, undefined, async (query, dataset) => {
    const after = page.afterRecordId === null ? '' : `and ${META.recordId} > ${literal(page.afterRecordId)}`;
    const rows = await query(
      `select * from latest where ${META.version} > ${Math.floor(page.afterVersion)} ${after} order by ${META.recordId} limit ${Math.floor(page.limit)}`,
    );
    return rows.map((row) => ({
      recordId: String(row[META.recordId]),
      isDeleted: row[META.isDeleted] === true,
      version: Number(row[META.version]),
      data: typedRecord(row, dataset.columns),
    }));
  });
}

/** The highest committed record version of a dataset (0 when nothing is cached). */
export async function latestVersion(engine: EngineContext, datasetId: string): Promise<number> {
  const row = (await engine.db.query<{ v: string | null }>('select max(version)::text as v from dataset_files where dataset_id = $1', [datasetId])).rows[0];
  return Number(row?.v ?? 0);
}

interface LedgerRow {
  stream_id: string;
  version: string;
  status: 'delivered' | 'transform_error' | 'schema_error' | 'rejected' | 'retry';
  transformed: unknown;
  error: { error_code: string; error_trace: string } | null;
  updated_at: string;
}

/** The transform, validate_schema and load stages of a record, from the most recent stream outcome. */
function deliveryStages(ledger: LedgerRow | undefined, isDeleted: boolean) {
  if (!ledger) return { transform: null, validate_schema: null, load: null };
  const at = toRfc3339(ledger.updated_at);
  const error = ledger.error ? { error_code: ledger.error.error_code, error_trace: ledger.error.error_trace } : null;
  const transformFailed = ledger.status === 'transform_error';
  return {
    stream_id: ledger.stream_id,
    transform: { last_transformed_at: at, data: ledger.transformed, error: transformFailed ? error : null, is_deleted: isDeleted },
    validate_schema: transformFailed ? null : { last_validated_at: at, error: ledger.status === 'schema_error' ? error : null, is_deleted: isDeleted },
    load:
      ledger.status === 'delivered' || ledger.status === 'rejected' || ledger.status === 'retry'
        ? { last_loaded_at: at, data: ledger.transformed, error: ledger.status === 'delivered' ? null : error, is_deleted: isDeleted }
        : null,
  };
}

export async function readRecordLineage(engine: EngineContext, datasetId: string, recordId: string, asOf?: string) {
  const ledger = (
    await engine.db.query<LedgerRow>(
      `select r.stream_id, r.version::text, r.status, r.transformed, r.error, r.updated_at from stream_records r join streams s on s.id = r.stream_id
       where s.dataset_id = $1 and r.record_id = $2 and ($3::timestamptz is null or r.updated_at <= $3::timestamptz)
       order by r.updated_at desc limit 1`,
      [datasetId, recordId, asOf ?? null],
    )
  ).rows[0];
  return withLatest(engine, datasetId, asOf, async (query, dataset, files) => {
    const row = (await query(`select * from latest where ${META.recordId} = ${literal(recordId)}`))[0];
    if (!row) return null;
    const file = files.find((candidate) => candidate.version === String(row[META.version]));
    const isDeleted = row[META.isDeleted] === true;
    return {
      record_id: recordId,
      extract: {
        last_extracted_at: file ? toRfc3339(file.created_at) : null,
        data: typedRecord(row, dataset.columns),
        error: null,
        is_deleted: isDeleted,
      },
      ...deliveryStages(ledger, isDeleted),
    };
  });
}
