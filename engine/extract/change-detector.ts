// Compares each chunk of source rows with the dataset's cached records (DuckDB over the datalake's
// Parquet files) and writes the new, updated and deleted records of the chunk to one Parquet file.
//
// Records are compared by DuckDB's hash() of their columns, stored with each version (md5 cost a
// third of a first extract). hash() may change between DuckDB releases, so every file records a
// canary of the hash it was written with; a file whose canary differs (another DuckDB, or an older
// engine's md5) has its hashes recomputed from its columns when compared, so an upgrade costs one
// slower comparison, never a false change. A hash mixes the values in column order without their
// names, so each file also records the columns it was hashed over: one written before a column was
// renamed (the same values in the same place) is recomputed too, or the rename would go unseen.
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { META } from '../cache/meta-columns';
import {
  type DetectorDatabase,
  type FileHashing,
  openDetectorDatabase,
  rememberFileHashing,
} from './detector-database';

export interface DetectorColumns {
  /** Source column names, in the CSV's order. */
  names: string[];
  pkColumn: string;
  isDeletedColumn?: string;
  /** Facts are append-only: a known record is never re-read as a change. */
  isFact: boolean;
}

export interface ChunkCounts {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  errored: number;
  /** Rows written to the Parquet file. */
  written: number;
}

/**
 * How csv-writer.ts writes: named in full, since DuckDB sniffs the line ending even without
 * auto_detect, and a chunk opening with a quoted "\r\n" was read as a CRLF file and failed.
 */
const CSV_OPTIONS =
  `header = false, auto_detect = false, new_line = '\\n', quote = '"', ` + `escape = '"'`;

/** Chunks of at most this many rows look their keys up as constants (see knownVersions). */
const KEYS_AS_CONSTANTS = 2_000;

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
const fileList = (paths: readonly string[]) => `[${paths.map(literal).join(', ')}]`;

/** Parquet key-value metadata naming the hash a file's `_prequel_hash` was computed with. */
export const HASH_METADATA_KEY = 'inlet_hash';
/**
 * …and the columns it was computed over (files written before it was kept lack it, and count as
 * matching).
 */
export const COLUMNS_METADATA_KEY = 'inlet_hash_columns';

const columnsSignature = (names: readonly string[]) =>
  createHash('sha256').update(names.join('\u0000')).digest('hex').slice(0, 32);
export class ChangeDetector {
  /**
   * Files committed by this run: only consulted for keys the run has already seen (a row that moved
   * forward).
   */
  private readonly runFiles: string[] = [];

  private constructor(
    /** Closed with the detector when it opened it (no shared database was given). */
    private readonly ownDatabase: DetectorDatabase | null,
    private readonly connection: DuckDBConnection,
    private readonly columns: DetectorColumns,
    /** The dataset's files from earlier runs. */
    private readonly priorFiles: readonly string[],
    private readonly hashing: {
      canary: string;
      columns: string;
      stale: ReadonlySet<string>;
      staleColumns: ReadonlySet<string>;
    },
  ) {}

  /**
   * Opens a detector on `database` (shared by the engine's extracts, see detectorDatabaseFor) or,
   * without one, on a DuckDB of its own spilling to `tempDirectory`.
   */
  static async open(
    columns: DetectorColumns,
    priorFiles: readonly string[],
    options: { tempDirectory: string; memoryLimit?: string; database?: DetectorDatabase },
  ): Promise<ChangeDetector> {
    for (const name of columns.names) {
      if (name.startsWith('_prequel_'))
        throw new Error(`Source column "${name}" uses the reserved _prequel_ prefix.`);
    }
    const ownDatabase = options.database
      ? null
      : await openDetectorDatabase({
          tempDirectory: options.tempDirectory,
          memoryLimit: options.memoryLimit ?? '96MB',
        });
    const database = options.database ?? ownDatabase!;
    const connection = await database.instance.connect();
    try {
      await connection.run(`create temp table run_seen (${META.recordId} varchar)`);
      const { canary } = database;
      const signature = columnsSignature(columns.names);
      const hashings = await fileHashings(connection, database, priorFiles);
      const stale = new Set(
        priorFiles.filter((file) => {
          const hashing = hashings.get(file)!;
          return (
            hashing.canary !== canary || (hashing.columns !== null && hashing.columns !== signature)
          );
        }),
      );
      const staleColumns = new Set<string>();
      if (stale.size) {
        const described = await connection.runAndReadAll(
          `describe select * from read_parquet(${fileList([...stale])}, union_by_name = true)`,
        );
        for (const row of described.getRowObjects()) staleColumns.add(String(row.column_name));
      }
      return new ChangeDetector(ownDatabase, connection, columns, [...priorFiles], {
        canary,
        columns: signature,
        stale,
        staleColumns,
      });
    } catch (error) {
      connection.closeSync();
      ownDatabase?.instance.closeSync();
      throw error;
    }
  }

  /** Called once the file of a chunk is committed. */
  addRunFile(path: string) {
    this.runFiles.push(path);
  }

  get files(): readonly string[] {
    return [...this.priorFiles, ...this.runFiles];
  }

  /**
   * Reads a CSV chunk, classifies every row against the latest cached version, and writes the
   * changed rows (with `version`) to `outputPath` as Parquet. Rows without a primary key, or
   * repeating one, count as errored.
   */
  async processChunk(csvPath: string, version: number, outputPath: string): Promise<ChunkCounts> {
    const { names, pkColumn, isDeletedColumn } = this.columns;
    const csvColumns = `{${names.map((name) => `${literal(name)}: 'VARCHAR'`).join(', ')}}`;
    const isDeleted = isDeletedColumn
      ? `coalesce(lower(${ident(isDeletedColumn)}) in ('t', 'true', '1'), false)`
      : 'false';
    const rows = `select ${ident(pkColumn)} as ${META.recordId}, ${version}::bigint as
      ${META.version}, ${this.hashOf(names.map(ident))} as ${META.hash}, ${isDeleted} as
        ${META.isDeleted}, ${names.map(ident).join(', ')}
      from read_csv(${literal(csvPath)}, ${CSV_OPTIONS}, columns = ${csvColumns},
        allow_quoted_nulls = false, null_padding = false)`;

    if (!this.priorFiles.length) {
      // Nothing cached before this run (a first extract): stream the chunk straight into its file,
      // then check that it holds only keys that are new to the run — the usual case, settled
      // without materialising the chunk.
      await this.writeParquet(rows, outputPath);
      const file = `read_parquet(${literal(outputPath)})`;
      // The hash table is built on the chunk's keys and the run's keys are scanned: linear in the
      // run, not quadratic.
      const written = await this.one<{
        rows: bigint;
        keyed: bigint;
        distinct_keys: bigint;
        repeats: bigint;
      }>(
        `select count(*) as rows, count(${META.recordId}) as keyed, count(distinct
          ${META.recordId}) as distinct_keys,
                (select count(*) from run_seen where ${META.recordId} in (select
                  ${META.recordId} from ${file})) as repeats
         from ${file}`,
      );
      if (
        written.repeats === 0n &&
        written.rows === written.distinct_keys &&
        written.keyed === written.rows
      ) {
        await this.connection.run(
          `insert into run_seen select ${META.recordId} from read_parquet(${literal(outputPath)})`,
        );
        const count = Number(written.rows);
        return {
          rows: count,
          inserted: count,
          updated: 0,
          unchanged: 0,
          deleted: 0,
          errored: 0,
          written: count,
        };
      }
      return this.classify(`select * from read_parquet(${literal(outputPath)})`, outputPath);
    }
    return this.classify(rows, outputPath);
  }

  /** The general path: materialise the chunk, compare it with the cache, write the changed rows. */
  private async classify(rows: string, outputPath: string): Promise<ChunkCounts> {
    const { names, isFact } = this.columns;
    await this.connection.run(`create or replace temp table chunk as ${rows}`);
    const totals = await this.one<{ rows: bigint; distinct_keys: bigint; repeats: bigint }>(
      `select count(*) as rows, count(distinct ${META.recordId}) as distinct_keys,
              (select count(*) from run_seen where ${META.recordId} in (select ${META.recordId}
                from chunk)) as repeats
       from chunk`,
    );
    const total = Number(totals.rows);
    const errored = total - Number(totals.distinct_keys);
    if (errored > 0) {
      // Rare: keep one row per key (the others are counted as errored).
      await this.connection.run(
        `create or replace temp table chunk as select * from chunk where ${META.recordId} is not ` +
          `null qualify row_number() over (partition by ${META.recordId}) = 1`,
      );
    }
    const known = totals.repeats > 0n ? this.files : this.priorFiles;
    const columnList =
      `${META.recordId}, ${META.version}, ${META.hash}, ${META.isDeleted}, ` +
      `${names.map(ident).join(', ')}`;

    let counts: Omit<ChunkCounts, 'rows' | 'errored' | 'written'>;
    if (!known.length) {
      counts = { inserted: total - errored, updated: 0, unchanged: 0, deleted: 0 };
      if (counts.inserted > 0)
        await this.writeParquet(`select ${columnList} from chunk`, outputPath);
    } else {
      const keys =
        total <= KEYS_AS_CONSTANTS
          ? (await this.all<{ id: string }>(`select ${META.recordId} as id from chunk`)).map(
              (row) => row.id,
            )
          : null;
      const change = `case
          when p.hash is null then 'inserted'
          when ${isFact ? 'true' : 'false'} then 'unchanged'
          when p.hash = c.${META.hash} then 'unchanged'
          when c.${META.isDeleted} and not p.is_deleted then 'deleted'
          else 'updated' end`;
      await this.connection.run(`
        create or replace temp table changes as
        select c.${META.recordId}, ${change} as change
        from (select ${META.recordId}, ${META.hash}, ${META.isDeleted} from chunk) c
        left join (
          select ${META.recordId}, arg_max(hash, ${META.version}) as hash,
            arg_max(${META.isDeleted}, ${META.version}) as is_deleted
          from (${this.knownVersions(known, keys)})
          group by ${META.recordId}) p using (${META.recordId})`);
      const byChange = await this.all<{ change: string; n: bigint }>(
        'select change, count(*) as n from changes group by change',
      );
      const count = (kind: string) => Number(byChange.find((row) => row.change === kind)?.n ?? 0n);
      counts = {
        inserted: count('inserted'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        deleted: count('deleted'),
      };
      if (counts.inserted + counts.updated + counts.deleted > 0) {
        await this.writeParquet(
          `select ${columnList} from chunk semi join (select ${META.recordId} from changes where ` +
            `change <> 'unchanged') using (${META.recordId})`,
          outputPath,
        );
      }
    }
    await this.connection.run(`insert into run_seen select ${META.recordId} from chunk`);
    const written = counts.inserted + counts.updated + counts.deleted;
    // The fast path may have left a file that now has nothing to publish.
    if (written === 0) rmSync(outputPath, { force: true });
    return { rows: total, errored, ...counts, written };
  }

  /**
   * Tombstones for records that are cached and not deleted but absent from `seenIdsCsv` (a
   * one-column CSV of every primary key the source has now). Only call it after a complete scan of
   * the keys.
   */
  async writeHardDeletes(seenIdsCsv: string, version: number, outputPath: string): Promise<number> {
    const files = this.files;
    if (!files.length) return 0;
    await this.connection.run(`
      create or replace temp table tombstones as
      select ${META.recordId} from (
        select ${META.recordId}, arg_max(${META.isDeleted}, ${META.version}) as is_deleted
        from read_parquet(${fileList(files)}, union_by_name = true) group by ${META.recordId})
          latest
      where not is_deleted
        and ${META.recordId} not in (select id from read_csv(${literal(seenIdsCsv)},
          ${CSV_OPTIONS}, columns = {'id': 'VARCHAR'}))`);
    const { n } = await this.one<{ n: bigint }>('select count(*) as n from tombstones');
    if (n === 0n) return 0;
    await this.writeParquet(
      `select ${META.recordId}, ${version}::bigint as ${META.version}, 0::ubigint as ` +
        `${META.hash}, true as ${META.isDeleted} from tombstones`,
      outputPath,
    );
    return Number(n);
  }

  /** hash() treats NULL and '' apart and mixes the columns in order. */
  private hashOf(columns: string[]): string {
    return `hash(${columns.join(', ')})`;
  }

  /**
   * Every cached version of the chunk's keys in `files`, with its hash: as stored where the file's
   * canary matches, recomputed from the columns elsewhere (a column the file lacks reads as NULL,
   * as it did when written).
   */
  private knownVersions(files: readonly string[], keys: readonly string[] | null): string {
    // A few keys as constants, which DuckDB checks against each row group's id range: in a
    // compacted file (sorted by id) it reads only the groups that may hold them.
    const inChunk = keys
      ? `${META.recordId} in (${keys.map(literal).join(', ')})`
      : `${META.recordId} in (select ${META.recordId} from chunk)`;
    const fresh = files.filter((file) => !this.hashing.stale.has(file));
    const stale = files.filter((file) => this.hashing.stale.has(file));
    const parts: string[] = [];
    if (fresh.length) {
      // Every file has the meta columns, alike: matched by name, not unified over every file's
      // schema (a third of the time of looking a few keys up in a large cache).
      parts.push(
        `select ${META.recordId}, ${META.version}, ${META.hash} as hash, ${META.isDeleted} from ` +
          `read_parquet(${fileList(fresh)}) where ${inChunk}`,
      );
    }
    if (stale.length) {
      const columns = this.columns.names.map((name) =>
        this.hashing.staleColumns.has(name) ? ident(name) : 'null::varchar',
      );
      parts.push(
        `select ${META.recordId}, ${META.version}, ${this.hashOf(columns)} as hash, ` +
          `${META.isDeleted} from read_parquet(${fileList(stale)}, union_by_name = true) where ` +
          `${inChunk}`,
      );
    }
    return parts.join(' union all ');
  }

  private async writeParquet(select: string, outputPath: string) {
    const metadata =
      `{${HASH_METADATA_KEY}: ${literal(this.hashing.canary)}, ` +
      `${COLUMNS_METADATA_KEY}: ${literal(this.hashing.columns)}}`;
    await this.connection.run(
      `copy (${select}) to ${literal(outputPath)} (format parquet, compression snappy, ` +
        `row_group_size 20000, kv_metadata ${metadata})`,
    );
  }

  private async all<T>(sql: string): Promise<T[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjects() as T[];
  }

  private async one<T>(sql: string): Promise<T> {
    return (await this.all<T>(sql))[0]!;
  }

  close(): void {
    this.connection.closeSync();
    this.ownDatabase?.instance.closeSync();
  }
}

/**
 * Each file's hashing as its Parquet metadata records it (files written before it was kept record
 * neither): read once per file and database, since a committed file never changes.
 */
export async function fileHashings(
  connection: DuckDBConnection,
  database: DetectorDatabase,
  files: readonly string[],
): Promise<Map<string, FileHashing>> {
  const known = new Map<string, FileHashing>();
  const unread: string[] = [];
  for (const file of files) {
    const hashing = database.fileHashing.get(file);
    if (hashing) known.set(file, hashing);
    else unread.push(file);
  }
  if (!unread.length) return known;
  const rows = (
    await connection.runAndReadAll(
      `select file_name, decode(key) as key, decode(value) as value from ` +
        `parquet_kv_metadata(${fileList(unread)}) where decode(key) in ` +
        `(${literal(HASH_METADATA_KEY)}, ${literal(COLUMNS_METADATA_KEY)})`,
    )
  ).getRowObjects();
  const values = new Map(
    rows.map((row) => [`${row.file_name}\u0000${row.key}`, String(row.value)]),
  );
  for (const file of unread) {
    const hashing = {
      canary: values.get(`${file}\u0000${HASH_METADATA_KEY}`) ?? null,
      columns: values.get(`${file}\u0000${COLUMNS_METADATA_KEY}`) ?? null,
    };
    rememberFileHashing(database, file, hashing);
    known.set(file, hashing);
  }
  return known;
}
