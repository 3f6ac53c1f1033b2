import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import {
  type CachedRecord,
  latestVersion,
  openCachedRecords,
  openCacheReader,
  readCacheManifest,
  rowText,
  rowTexts,
} from './cached-records';

let api: TestEngine;
let source: SourceDatabase;
let datasetId: string;
const versions: number[] = [];

beforeAll(async () => {
  api = await startTestEngine({ jobs: { extract: { lagSeconds: 0 } } });
  source = await createSourceDatabase();
  await source.client.query(
    `create table items (id bigint primary key, label text, amount numeric, updated_at timestamptz not null)`,
  );
  await source.client.query(
    `insert into items select id, 'item ' || id, id * 1.5, clock_timestamp() - interval '1 hour' from generate_series(1, 300) as id`,
  );
  const dataset = await createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'items' },
    type: 'dimension',
    dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
  });
  datasetId = dataset.id;
  await extractNow(api, datasetId);
  versions.push(await latestVersion(api.engine, datasetId));
  // A second extract writes a second file: ten records changed.
  await source.client.query(
    `update items set label = label || ' (changed)', updated_at = clock_timestamp() where id % 30 = 0`,
  );
  await extractNow(api, datasetId);
  versions.push(await latestVersion(api.engine, datasetId));
});
afterAll(async () => {
  await api.close();
  await source.drop();
});

async function changed(
  afterVersion: number,
  upToVersion: number,
  pageSize = 64,
): Promise<{ pages: number[]; records: CachedRecord[] }> {
  const reader = await openCachedRecords(api.engine, datasetId);
  const pages: number[] = [];
  const records: CachedRecord[] = [];
  try {
    for await (const page of reader.changed({ afterVersion, upToVersion, pageSize })) {
      pages.push(page.length);
      records.push(...page);
    }
  } finally {
    reader.close();
  }
  return { pages, records };
}

const changedIds = new Set(Array.from({ length: 10 }, (_, index) => String((index + 1) * 30)));

describe('a load’s view of the cache', () => {
  test('the two extracts wrote one file each, the second with the ten changed records', async () => {
    const files = (
      await api.engine.db.query<{ version: string; row_count: string }>(
        'select version::text, row_count::text from dataset_files where dataset_id = $1 order by version',
        [datasetId],
      )
    ).rows;
    expect(files.map((file) => [Number(file.version), Number(file.row_count)])).toEqual([
      [versions[0], 300],
      [versions[1], 10],
    ]);
  });

  test('everything: the latest version of every record once, in record-id order, in full pages', async () => {
    const { pages, records } = await changed(0, versions[1]!);
    expect(pages).toEqual([64, 64, 64, 64, 44]);
    expect(records.map((record) => record.recordId)).toEqual(
      Array.from({ length: 300 }, (_, index) => String(index + 1)).sort(),
    );
    for (const record of records) {
      const isChanged = changedIds.has(record.recordId);
      expect(record.version).toBe(isChanged ? versions[1] : versions[0]);
      expect(record.data.label).toBe(`item ${record.recordId}${isChanged ? ' (changed)' : ''}`);
    }
  });

  test('after the first extract: only the second file, read without ranking, each changed record once', async () => {
    const { records } = await changed(versions[0]!, versions[1]!);
    expect(new Set(records.map((record) => record.recordId))).toEqual(changedIds);
    expect(records).toHaveLength(10);
    for (const record of records)
      expect(record).toMatchObject({
        version: versions[1],
        isDeleted: false,
        data: { id: Number(record.recordId), label: `item ${record.recordId} (changed)` },
      });
  });

  test('up to the first extract: records whose latest version is newer wait for their own load', async () => {
    const { records } = await changed(0, versions[0]!);
    expect(records).toHaveLength(290);
    expect(records.some((record) => changedIds.has(record.recordId))).toBe(false);
    expect(await changed(versions[1]!, versions[1]!)).toEqual({ pages: [], records: [] });
  });

  test('a column of the dataset that the files lack reads as null, from one file or several', async () => {
    const columns = (
      await api.engine.db.query<{ columns: unknown[] }>(
        'select columns from datasets where id = $1',
        [datasetId],
      )
    ).rows[0]!.columns;
    const added = { ...(columns[0] as object), name: 'added_later' };
    await api.engine.db.query('update datasets set columns = $2 where id = $1', [
      datasetId,
      JSON.stringify([...columns, added]),
    ]);
    try {
      for (const after of [0, versions[0]!]) {
        const { records } = await changed(after, versions[1]!);
        expect(records.length).toBeGreaterThan(0);
        for (const record of records) expect(record.data).toHaveProperty('added_later', null);
      }
    } finally {
      await api.engine.db.query('update datasets set columns = $2 where id = $1', [
        datasetId,
        JSON.stringify(columns),
      ]);
    }
  });

  test('given the columns a load reads, records carry those only, from one file or several and by id', async () => {
    const columns = (
      await api.engine.db.query<{ columns: unknown[] }>(
        'select columns from datasets where id = $1',
        [datasetId],
      )
    ).rows[0]!.columns;
    const added = { ...(columns[0] as object), name: 'added_later' };
    await api.engine.db.query('update datasets set columns = $2 where id = $1', [
      datasetId,
      JSON.stringify([...columns, added]),
    ]);
    const reader = await openCacheReader(await readCacheManifest(api.engine, datasetId), [
      'label',
      'added_later',
      'not_a_column',
    ]);
    try {
      for (const after of [0, versions[0]!]) {
        const records: CachedRecord[] = [];
        for await (const page of reader.changed({
          afterVersion: after,
          upToVersion: versions[1]!,
          pageSize: 100,
        }))
          records.push(...page);
        expect(records.length).toBeGreaterThan(0);
        for (const record of records)
          expect(record.data).toEqual({
            label: expect.stringMatching(/^item \d+/),
            added_later: null,
          });
      }
      expect(
        (await reader.byIds(['30', '31']))
          .map((record) => record.data)
          .sort((a, b) => String(a.label).localeCompare(String(b.label))),
      ).toEqual([
        { label: 'item 30 (changed)', added_later: null },
        { label: 'item 31', added_later: null },
      ]);
    } finally {
      reader.close();
      await api.engine.db.query('update datasets set columns = $2 where id = $1', [
        datasetId,
        JSON.stringify(columns),
      ]);
    }
  });
});

describe('a row crossing from DuckDB as one string', () => {
  const U1 = '\u0001';
  const U2 = '\u0002';
  // Each row's values, exactly as the cache holds them: nulls, empty text, the separator and null marker themselves
  // (inside a value, or a value of their own), JSON-looking text, and text beyond the Basic Multilingual Plane.
  const rows: (string | null)[][] = [
    ['1', 'plain', null, ''],
    ['2', `a${U1}b`, 'x', null],
    ['3', U2, '', 'y'],
    ['4', `${U2}${U2}`, `${U1}`, null],
    ['[5', '["not", "json"]', '{"a":1}', '"quoted" \\ back'],
    ['6', 'zoë 😀 ünïcode', '\n\t', `${'long '.repeat(400)}`],
    [null, null, null, null],
  ];
  const literal = (value: string | null) =>
    value === null ? 'null::varchar' : `'${value.replaceAll("'", "''")}'`;

  test('its texts are the values, exactly, whichever form it took', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const values = ['a', 'b', 'c', 'd'];
      const table = rows.map((row) => `(${row.map(literal).join(', ')})`).join(', ');
      const result = await connection.runAndReadAll(
        `select ${rowText(values)} from (values ${table}) as v (a, b, c, d)`,
      );
      const texts = result.getRows().map((row) => rowTexts(row[0] as string));
      expect(texts.map((row) => row.slice(1))).toEqual(rows);
      // Rows whose values hold neither character are joined, not JSON: the usual case takes the cheap path.
      expect(result.getRows().map((row) => (row[0] as string).startsWith(U1))).toEqual([
        true,
        false,
        false,
        false,
        true,
        true,
        true,
      ]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
