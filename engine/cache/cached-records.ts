// Reads a dataset's cached records (the latest version of each, from the Parquet files in its
// manifest).
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import { openDatalakeForProvider } from '../datalake/open-datalake-for';
import type { EngineContext } from '../engine-context';
import { toRfc3339 } from '../store/db';
import { META } from './meta-columns';
import { converterFor } from './typed-value';

interface ManifestFile {
  key: string;
  version: string;
  /** The oldest version a compacted file holds (a plain file holds `version` alone). */
  min_version: string;
}

interface CachedDataset {
  provider_id: string;
  columns: SchemaColumn[] | null;
}

/** A dataset's columns and the local paths of its Parquet files. */
interface Manifest {
  dataset: CachedDataset;
  files: ManifestFile[];
  paths: string[];
  /** As of a time: the newest version extracted by then (newer versions are not read). */
  upToVersion: number | null;
}

const DUCKDB_OPTIONS = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  threads: '2',
  memory_limit: '128MB',
};

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
const idList = (ids: readonly string[]) => ids.map(literal).join(', ');

/**
 * The files to read: the live ones (not superseded by a compaction); or, as of a time, every file
 * still in the datalake holding versions extracted by then, read up to the newest of those
 * (superseded files and the compacted file replacing them hold the same rows; a version that a
 * purged file held and a newer one replaced in a compaction is gone).
 */
async function readManifest(
  engine: EngineContext,
  datasetId: string,
  asOf?: string,
): Promise<Manifest> {
  const dataset = (
    await engine.db.query<CachedDataset>(
      'select provider_id, columns from datasets where id = $1',
      [datasetId],
    )
  ).rows[0]!;
  const columns = 'key, version::text, coalesce(min_version, version)::text as min_version';
  let upToVersion: number | null = null;
  let files: ManifestFile[];
  if (asOf === undefined) {
    files = (
      await engine.db.query<ManifestFile>(
        `select ${columns} from dataset_files where dataset_id = $1 and superseded_at is null ` +
          `order by version`,
        [datasetId],
      )
    ).rows;
  } else {
    const { rows } = await engine.db.query<ManifestFile & { up_to: string | null }>(
      `with up_to as (select max(version) as v from dataset_files where dataset_id = $1 and
         created_at <= $2::timestamptz)
       select ${columns}, (select v from up_to)::text as up_to from dataset_files
       where dataset_id = $1 and purged_at is null and coalesce(min_version, version) <=
         (select v from up_to)
       order by version`,
      [datasetId, asOf],
    );
    files = rows;
    upToVersion = rows.length ? Number(rows[0]!.up_to) : null;
  }
  if (!files.length) return { dataset, files, paths: [], upToVersion };
  const store = await openDatalakeForProvider(engine, dataset.provider_id);
  return {
    dataset,
    files,
    paths: await Promise.all(files.map((file) => store.localPath(file.key))),
    upToVersion,
  };
}

/**
 * The newest version of every record in the files. `where` may only drop whole records (a filter on
 * record ids, or `version > n`, which keeps every record whose newest version is above n): it runs
 * before the ranking, so DuckDB reads and ranks only what is asked for.
 */
function latestSql(paths: readonly string[], where?: string): string {
  return `select * from read_parquet([${paths.map(literal).join(', ')}], union_by_name = true)
    ${where ? `where ${where}` : ''}
    qualify row_number() over (partition by ${META.recordId} order by ${META.version} desc) = 1`;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

// A row's texts are its record id, version and deletion flag, then its columns.
/**
 * Where a row's columns start in rowTexts' array: after a leading empty element, the id, version
 * and flag.
 */
const FIRST_COLUMN = 4;
const SEPARATOR = '\u0001';
const NULL_TEXT = '\u0002';

/**
 * A row's texts as one string, see readRows: U+0001 then the values joined by U+0001, NULLs as
 * U+0002; or, if a value holds either character, the JSON array of null and the values (so both
 * forms put the values from index 1).
 */
export function rowText(values: readonly string[]): string {
  const probe = `concat(${values.join(', ')})`;
  const joined =
    `chr(1) || concat_ws(chr(1), ` +
    `${values.map((value) => `coalesce(${value}, chr(2))`).join(', ')})`;
  return (
    `case when strpos(${probe}, chr(1)) = 0 and strpos(${probe}, chr(2)) = 0 then ${joined} ` +
    `else to_json([null, ${values.join(', ')}])::varchar end`
  );
}

/** The texts of a row made by rowText: index 0 is nothing, the values follow. */
export function rowTexts(row: string): (string | null)[] {
  if (row.charCodeAt(0) !== 1) return JSON.parse(row) as (string | null)[];
  const texts: (string | null)[] = row.split(SEPARATOR);
  for (let index = 1; index < texts.length; index++)
    if (texts[index] === NULL_TEXT) texts[index] = null;
  return texts;
}

/** Rows of a query over the cache as DuckDB hands them over, and how one becomes a record. */
interface CachedRows {
  chunks: AsyncGenerator<string[]>;
  record: (row: string) => CachedRecord;
}

/**
 * The rows of `select …` over the cache, chunk by chunk. Each row leaves DuckDB as one string
 * (record id, version, deletion flag, then every column, all as text): one string crosses per row
 * instead of one per value, which is most of the cost of reading a page. The cache keeps every
 * column as text, so the casts change nothing but the metadata columns. The string is the values
 * joined by U+0001 (NULL written as U+0002), which String#split takes apart natively; a row where a
 * value holds either character comes as a JSON array instead. JSON.parse of every row had cost
 * three times as much: it interns every value under 11 characters (ids, flags, codes).
 */
async function readRows(
  connection: DuckDBConnection,
  select: string,
  schema: SchemaColumn[] | null,
  only: ReadonlySet<string> | null = null,
): Promise<CachedRows> {
  const prepared = await connection.prepare(select);
  const columns: string[] = [];
  try {
    for (let index = 0; index < prepared.columnCount; index++) {
      const name = prepared.columnName(index);
      if (!name.startsWith('_prequel_') && (!only || only.has(name))) columns.push(name);
    }
  } finally {
    prepared.destroySync();
  }
  const values = [
    META.recordId,
    `${META.version}::varchar`,
    `${META.isDeleted}::varchar`,
    ...columns.map((name) => `${quoted(name)}::varchar`),
  ];
  const result = await connection.stream(`select ${rowText(values)} from (${select})`);
  const typed = recordTyper(columns, schema, only);
  const record = (row: string): CachedRecord => {
    const texts = rowTexts(row);
    return {
      recordId: String(texts[1]),
      version: Number(texts[2]),
      isDeleted: texts[3] === 'true',
      data: typed(texts),
    };
  };
  // DuckDB fetches the next chunk on its own threads while this one is worked on.
  async function* chunks(): AsyncGenerator<string[]> {
    let fetching = result.fetchChunk();
    try {
      for (let chunk = await fetching; chunk && chunk.rowCount > 0; chunk = await fetching) {
        fetching = result.fetchChunk();
        const json = chunk.getColumnVector(0);
        const rows: string[] = new Array(chunk.rowCount);
        for (let row = 0; row < chunk.rowCount; row++) rows[row] = json.getItem(row) as string;
        yield rows;
      }
    } finally {
      // A reader stopped early still has a fetch in flight: its connection is closed only once it
      // is done.
      await fetching.catch(() => null);
    }
  }
  return { chunks: chunks(), record };
}

/**
 * A page of cached records, each typed only as it is iterated: a load transforms it and drops it at
 * once, so young garbage collections find a page of compact row texts alive rather than a page of
 * records (what outlives one is what it costs).
 */
export interface CachedPage extends Iterable<CachedRecord> {
  readonly length: number;
}

function cachedPage(rows: readonly string[], record: (row: string) => CachedRecord): CachedPage {
  return {
    length: rows.length,
    *[Symbol.iterator]() {
      for (const row of rows) yield record(row);
    },
  };
}

async function allRecords(
  connection: DuckDBConnection,
  select: string,
  schema: SchemaColumn[] | null,
  only: ReadonlySet<string> | null = null,
): Promise<CachedRecord[]> {
  const { chunks, record } = await readRows(connection, select, schema, only);
  const records: CachedRecord[] = [];
  for await (const rows of chunks) for (const row of rows) records.push(record(row));
  return records;
}

/**
 * Turns a cached row's texts into a record as the pipeline sees it: typed values by column, exact
 * for big numbers. Types are looked up once per query, and every record gets its fields in the same
 * order (one V8 shape for all).
 */
function recordTyper(
  columns: readonly string[],
  schema: SchemaColumn[] | null,
  only: ReadonlySet<string> | null,
): (texts: readonly (string | null)[]) => Record<string, unknown> {
  const types = new Map((schema ?? []).map((column) => [column.name, column.prequel_type]));
  const convert = columns.map((name) => converterFor(types.get(name) ?? 'string'));
  // A column of the dataset that the files read lack (added since they were written, or dropped
  // before) is null, whichever files a query reads.
  const read = new Set(columns);
  const missing = (schema ?? [])
    .map((column) => column.name)
    .filter((name) => !read.has(name) && (!only || only.has(name)));
  return (texts) => {
    const record: Record<string, unknown> = {};
    for (let index = 0; index < columns.length; index++) {
      const text = texts[FIRST_COLUMN + index] ?? null;
      record[columns[index]!] = text === null ? null : convert[index]!(text);
    }
    for (const name of missing) record[name] = null;
    return record;
  };
}

// Previews, samples and lineage read a few records at a time: they share one DuckDB per engine,
// because opening one costs about as much as such a query. Loads open their own
// (openCachedRecords).
const pointReadInstances = new WeakMap<EngineContext, Promise<DuckDBInstance>>();

async function withPointReader<T>(
  engine: EngineContext,
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  let instance = pointReadInstances.get(engine);
  if (!instance) {
    instance = DuckDBInstance.create(':memory:', DUCKDB_OPTIONS);
    instance.catch(() => pointReadInstances.delete(engine));
    pointReadInstances.set(engine, instance);
  }
  const connection = await (await instance).connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

export async function readRandomSample(engine: EngineContext, datasetId: string, size: number) {
  const { dataset, paths } = await readManifest(engine, datasetId);
  const sample = paths.length
    ? await withPointReader(engine, (connection) =>
        // USING SAMPLE applies before WHERE, so filter in a subquery first.
        allRecords(
          connection,
          `select * from (select * from (${latestSql(paths)}) where not ${META.isDeleted}) using ` +
            `sample reservoir(${Math.floor(size)} rows)`,
          dataset.columns,
        ),
      )
    : [];
  return {
    schema: (dataset.columns ?? []).map((column) => ({
      name: column.name,
      database_type_name: column.raw_type,
      length: null,
      precision: null,
      scale: null,
      nullable: column.is_nullable,
    })),
    records: sample.map((record) => ({ [META.recordId]: record.recordId, ...record.data })),
  };
}

export interface CachedRecord {
  recordId: string;
  isDeleted: boolean;
  version: number;
  /** Typed values by column (see typedValue in typed-value.ts). */
  data: Record<string, unknown>;
}

const byIdsSql = (paths: readonly string[], ids: readonly string[], upToVersion?: number | null) =>
  latestSql(
    paths,
    `${META.recordId} in (${idList(ids)})` +
      (upToVersion == null ? '' : ` and ${META.version} <= ${Math.floor(upToVersion)}`),
  );

/** The latest cached version of the given records (ids not in the cache are simply absent). */
export async function readRecordsByIds(
  engine: EngineContext,
  datasetId: string,
  ids: readonly string[],
): Promise<CachedRecord[]> {
  if (!ids.length) return [];
  const { dataset, paths } = await readManifest(engine, datasetId);
  if (!paths.length) return [];
  return withPointReader(engine, (connection) =>
    allRecords(connection, byIdsSql(paths, ids), dataset.columns),
  );
}

/**
 * What a reader needs of a dataset's cache, as plain data (it crosses to the load thread): its
 * columns, and each file's version and local path, oldest first.
 */
export interface CacheManifest {
  columns: SchemaColumn[] | null;
  /** `minVersion`: the oldest version the file holds (below `version` in a compacted file). */
  files: { version: number; minVersion: number; path: string }[];
}

export async function readCacheManifest(
  engine: EngineContext,
  datasetId: string,
): Promise<CacheManifest> {
  const { dataset, files, paths } = await readManifest(engine, datasetId);
  return {
    columns: dataset.columns,
    files: files.map((file, index) => ({
      version: Number(file.version),
      minVersion: Number(file.min_version),
      path: paths[index]!,
    })),
  };
}

/**
 * One load's view of the cache: the manifest as it was when the load opened it, and a DuckDB of its
 * own.
 */
export interface CachedRecordReader {
  /** The latest version of the given records (ids not in the cache are absent). */
  byIds(ids: readonly string[]): Promise<CachedRecord[]>;
  /**
   * Every record whose latest version is in (afterVersion, upToVersion], in pages of `pageSize`, in
   * a stable order (the file's, or record ids' when several files are ranked): one query, streamed,
   * so a load walks any number of records with bounded memory.
   */
  changed(range: {
    afterVersion: number;
    upToVersion: number;
    pageSize: number;
  }): AsyncGenerator<CachedPage>;
  close(): void;
}

export async function openCachedRecords(
  engine: EngineContext,
  datasetId: string,
): Promise<CachedRecordReader> {
  return openCacheReader(await readCacheManifest(engine, datasetId));
}

/**
 * A DuckDB for readers to share (opening one costs about 10 ms of CPU): closing a reader leaves it
 * open.
 */
export function createCacheDatabase(): Promise<DuckDBInstance> {
  return DuckDBInstance.create(':memory:', { ...DUCKDB_OPTIONS, memory_limit: '256MB' });
}

/**
 * A reader over the files of a manifest; it needs no engine (the load thread opens it). Given
 * `columns`, records carry only those (DuckDB then decodes no other column of the files): a load
 * reads what its mappings read. It queries `shared` if given (see createCacheDatabase), else a
 * DuckDB of its own.
 */
export async function openCacheReader(
  manifest: CacheManifest,
  columns: readonly string[] | null = null,
  shared?: DuckDBInstance,
): Promise<CachedRecordReader> {
  const paths = manifest.files.map((file) => file.path);
  const only = columns ? new Set(columns) : null;
  const instance = shared ?? (await DuckDBInstance.create(':memory:', DUCKDB_OPTIONS));
  // A connection per query: a streaming result owns its connection until it is read to the end.
  const withConnection = async <T>(
    work: (connection: DuckDBConnection) => Promise<T>,
  ): Promise<T> => {
    const connection = await instance.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  };
  return {
    async byIds(ids) {
      if (!ids.length || !paths.length) return [];
      return withConnection((connection) =>
        allRecords(connection, byIdsSql(paths, ids), manifest.columns, only),
      );
    },
    async *changed({ afterVersion, upToVersion, pageSize }) {
      // A file holds each record at most once, at versions up to its own: files at or below
      // afterVersion hold nothing newer.
      const newer = manifest.files.filter((file) => file.version > afterVersion);
      if (!newer.length) return;
      const connection = await instance.connect();
      try {
        const after = Math.floor(afterVersion);
        const upTo = Math.floor(upToVersion);
        // One file (a load after each extract, and every first load) needs no ranking: read in the
        // file's order, it streams from the first row group on instead of waiting for a sort of
        // every record. A compacted file may hold older versions too.
        const [onlyFile] = newer;
        const select =
          newer.length === 1
            ? `select * from read_parquet(${literal(onlyFile!.path)}) where ${META.version} <= ` +
              `${upTo}` +
              (onlyFile!.minVersion > after ? '' : ` and ${META.version} > ${after}`)
            : `select * from (${latestSql(
                newer.map((file) => file.path),
                `${META.version} > ${after}`,
              )}) where ${META.version} <= ${upTo} order by ${META.recordId}`;
        const { chunks, record } = await readRows(connection, select, manifest.columns, only);
        let rows: string[] = [];
        for await (const chunk of chunks) {
          for (const row of chunk) {
            rows.push(row);
            if (rows.length === pageSize) {
              yield cachedPage(rows, record);
              rows = [];
            }
          }
        }
        if (rows.length) yield cachedPage(rows, record);
      } finally {
        connection.closeSync();
      }
    },
    close() {
      if (!shared) instance.closeSync();
    },
  };
}

/** The highest committed record version of a dataset (0 when nothing is cached). */
export async function latestVersion(engine: EngineContext, datasetId: string): Promise<number> {
  const row = (
    await engine.db.query<{ v: string | null }>(
      'select max(version)::text as v from dataset_files where dataset_id = $1',
      [datasetId],
    )
  ).rows[0];
  return Number(row?.v ?? 0);
}

/**
 * The latest cached version of one record as of a time (now if none), and when it was extracted;
 * null if not cached.
 */
export async function readCachedRecord(
  engine: EngineContext,
  datasetId: string,
  recordId: string,
  asOf?: string,
): Promise<{ record: CachedRecord; extractedAt: string | null } | null> {
  const { dataset, paths, upToVersion } = await readManifest(engine, datasetId, asOf);
  if (!paths.length) return null;
  const [record] = await withPointReader(engine, (connection) =>
    allRecords(connection, byIdsSql(paths, [recordId], upToVersion), dataset.columns),
  );
  if (!record) return null;
  // The file that first held the version (a compacted file holds it again, later).
  const extracted = await engine.db.query<{ created_at: string }>(
    `select min(created_at) as created_at from dataset_files where dataset_id = $1 and ` +
      `version = $2`,
    [datasetId, record.version],
  );
  const at = extracted.rows[0]?.created_at;
  return { record, extractedAt: at ? toRfc3339(at) : null };
}
