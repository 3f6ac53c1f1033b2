// What a dataset's cache holds (latest version of each record), read straight from the datalake
// files, and what the source table holds, in the same text form, so tests can say "exact".
import { DuckDBInstance } from '@duckdb/node-api';
import type pg from 'pg';
import { openDatalakeForProvider } from '../datalake/open-datalake-for';
import type { EngineContext } from '../engine-context';

export interface LakeState {
  live: Map<string, Record<string, string | null>>;
  deleted: Set<string>;
  /** Rows in the files across all versions (to spot duplicate writes). */
  versions: number;
}

export async function readLakeState(engine: EngineContext, datasetId: string): Promise<LakeState> {
  const { provider_id } = (
    await engine.db.query<{ provider_id: string }>(
      'select provider_id from datasets where id = $1',
      [datasetId],
    )
  ).rows[0]!;
  const files =
    // Every file an extract committed, superseded by a compaction or not (a compacted file holds
    // their rows again): each write is counted once.
    (
      await engine.db.query<{ key: string }>(
        'select key from dataset_files where dataset_id = $1 and min_version is null',
        [datasetId],
      )
    ).rows;
  const live = new Map<string, Record<string, string | null>>();
  const deleted = new Set<string>();
  if (!files.length) return { live, deleted, versions: 0 };
  const store = await openDatalakeForProvider(engine, provider_id);
  const paths = await Promise.all(files.map((file) => store.localPath(file.key)));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const list = paths.map((p) => `'${p}'`).join(', ');
    const all = (
      await connection.runAndReadAll(
        `select count(*)::integer as n from read_parquet([${list}], union_by_name = true)`,
      )
    ).getRowObjectsJson()[0]!;
    const rows = (
      await connection.runAndReadAll(`
        select * from read_parquet([${list}], union_by_name = true)
        qualify row_number() over (partition by _prequel_record_id order by _prequel_version
          desc) = 1`)
    ).getRowObjectsJson() as Record<string, string | null>[];
    for (const row of rows) {
      const id = String(row._prequel_record_id);
      if (String(row._prequel_is_deleted) === 'true') {
        deleted.add(id);
        continue;
      }
      const data: Record<string, string | null> = {};
      for (const [name, value] of Object.entries(row))
        if (!name.startsWith('_prequel_')) data[name] = value === null ? null : String(value);
      live.set(id, data);
    }
    return { live, deleted, versions: Number(all.n) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Every row of a Postgres table as text (UTC, ISO), keyed by primary key. */
export async function readPostgresTable(
  client: pg.ClientBase,
  table: string,
  pk = 'id',
  where = 'true',
): Promise<Map<string, Record<string, string | null>>> {
  await client.query(
    `set TimeZone = 'UTC'; set DateStyle = 'ISO, YMD'; set extra_float_digits = 3`,
  );
  const columns = (
    await client.query<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns where table_name = $1 and ` +
        `table_schema = current_schema() order by ordinal_position`,
      [table],
    )
  ).rows;
  // The text form COPY writes: the type's output function, except booleans (t/f).
  const select = columns.map(({ column_name: c, data_type: type }) =>
    type === 'boolean'
      ? `case when "${c}" then 't' when not "${c}" then 'f' end as "${c}"`
      : `"${c}"::text as "${c}"`,
  );
  const result = await client.query<Record<string, string | null>>(
    `select ${select.join(', ')} from "${table}" where ${where}`,
  );
  return new Map(result.rows.map((row) => [String(row[pk]), row]));
}
