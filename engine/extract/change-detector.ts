// Compares each chunk of source rows with the dataset's cached records (DuckDB over the datalake's Parquet files)
// and writes the new, updated and deleted records of the chunk to one Parquet file.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

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

export const META = {
  recordId: '_prequel_record_id',
  version: '_prequel_version',
  hash: '_prequel_hash',
  isDeleted: '_prequel_is_deleted',
} as const;

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
const fileList = (paths: readonly string[]) => `[${paths.map(literal).join(', ')}]`;

export class ChangeDetector {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly columns: DetectorColumns,
  ) {}

  static async open(columns: DetectorColumns, options: { tempDirectory: string; memoryLimit?: string }): Promise<ChangeDetector> {
    for (const name of columns.names) {
      if (name.startsWith('_prequel_')) throw new Error(`Source column "${name}" uses the reserved _prequel_ prefix.`);
    }
    const instance = await DuckDBInstance.create(':memory:', {
      // Extensions would be downloaded, and nothing may be downloaded here.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      memory_limit: options.memoryLimit ?? '160MB',
      threads: '2',
      temp_directory: options.tempDirectory,
      preserve_insertion_order: 'false',
    });
    return new ChangeDetector(instance, await instance.connect(), columns);
  }

  /**
   * Reads a CSV chunk, classifies every row against the latest cached version in `knownFiles`, and writes the
   * changed rows (with `version`) to `outputPath` as Parquet. Duplicate or missing primary keys count as errored.
   */
  async processChunk(csvPath: string, knownFiles: readonly string[], version: number, outputPath: string): Promise<ChunkCounts> {
    const { names, pkColumn, isDeletedColumn, isFact } = this.columns;
    const csvColumns = `{${names.map((name) => `${literal(name)}: 'VARCHAR'`).join(', ')}}`;
    const hash = `md5(to_json(list_value(${names.map(ident).join(', ')}))::varchar)`;
    const isDeleted = isDeletedColumn ? `coalesce(lower(${ident(isDeletedColumn)}) in ('t', 'true', '1'), false)` : 'false';
    await this.connection.run(`
      create or replace temp table chunk as
      select ${ident(pkColumn)} as ${META.recordId}, ${hash} as ${META.hash}, ${isDeleted} as ${META.isDeleted}, *
      from read_csv(${literal(csvPath)}, header = false, auto_detect = false, columns = ${csvColumns},
                    quote = '"', escape = '"', allow_quoted_nulls = false, null_padding = false)`);
    const totals = await this.one<{ rows: bigint; keyed: bigint; distinct_keys: bigint }>(
      `select count(*) as rows, count(${META.recordId}) as keyed, count(distinct ${META.recordId}) as distinct_keys from chunk`,
    );
    const rows = Number(totals.rows);
    const errored = rows - Number(totals.distinct_keys);

    const previous = knownFiles.length
      ? `(select ${META.recordId}, arg_max(${META.hash}, ${META.version}) as hash, arg_max(${META.isDeleted}, ${META.version}) as is_deleted
           from read_parquet(${fileList(knownFiles)}, union_by_name = true)
           where ${META.recordId} in (select ${META.recordId} from chunk)
           group by ${META.recordId})`
      : `(select null::varchar as ${META.recordId}, null::varchar as hash, null::boolean as is_deleted where false)`;
    const change = `case
        when p.hash is null then 'inserted'
        when ${isFact ? 'true' : 'false'} then 'unchanged'
        when p.hash = c.${META.hash} then 'unchanged'
        when c.${META.isDeleted} and not p.is_deleted then 'deleted'
        else 'updated' end`;
    await this.connection.run(`
      create or replace temp table classified as
      select ${change} as _change, c.*
      from (select * from chunk where ${META.recordId} is not null qualify row_number() over (partition by ${META.recordId}) = 1) c
      left join ${previous} p using (${META.recordId})`);
    const byChange = await this.all<{ _change: string; n: bigint }>('select _change, count(*) as n from classified group by _change');
    const count = (kind: string) => Number(byChange.find((row) => row._change === kind)?.n ?? 0n);
    const written = count('inserted') + count('updated') + count('deleted');
    if (written > 0) {
      await this.connection.run(`
        copy (select ${META.recordId}, ${version}::bigint as ${META.version}, ${META.hash}, ${META.isDeleted}, ${names.map(ident).join(', ')}
              from classified where _change <> 'unchanged')
        to ${literal(outputPath)} (format parquet, compression snappy, row_group_size 100000)`);
    }
    return { rows, inserted: count('inserted'), updated: count('updated'), unchanged: count('unchanged'), deleted: count('deleted'), errored, written };
  }

  /**
   * Tombstones for records that are cached and not deleted but absent from `seenIdsCsv` (a one-column CSV of
   * every primary key the source has now). Only call it after a complete scan of the keys.
   */
  async writeHardDeletes(seenIdsCsv: string, knownFiles: readonly string[], version: number, outputPath: string): Promise<number> {
    if (!knownFiles.length) return 0;
    await this.connection.run(`
      create or replace temp table tombstones as
      select ${META.recordId} from (
        select ${META.recordId}, arg_max(${META.isDeleted}, ${META.version}) as is_deleted
        from read_parquet(${fileList(knownFiles)}, union_by_name = true) group by ${META.recordId}) latest
      where not is_deleted
        and ${META.recordId} not in (select id from read_csv(${literal(seenIdsCsv)}, header = false, auto_detect = false, columns = {'id': 'VARCHAR'}, quote = '"', escape = '"'))`);
    const { n } = await this.one<{ n: bigint }>('select count(*) as n from tombstones');
    if (n === 0n) return 0;
    await this.connection.run(`
      copy (select ${META.recordId}, ${version}::bigint as ${META.version}, 'hard-deleted' as ${META.hash}, true as ${META.isDeleted}
            from tombstones)
      to ${literal(outputPath)} (format parquet, compression snappy)`);
    return Number(n);
  }

  private async all<T>(sql: string): Promise<T[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjects() as T[];
  }

  private async one<T>(sql: string): Promise<T> {
    return (await this.all<T>(sql))[0]!;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
