import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { batchColumns } from './batch-columns';
import { BatchValueError, writeBatchParquet } from './batch-parquet';
import type { OutgoingRecord } from './render-request';

let scratch: string;
let duck: DuckDBInstance;
beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'inlet-batch-parquet-'));
  duck = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
});
afterAll(() => {
  duck.closeSync();
  rmSync(scratch, { recursive: true, force: true });
});

async function read(file: string) {
  const connection = await duck.connect();
  try {
    const literal = `'${file.replaceAll("'", "''")}'`;
    const types = (
      await connection.runAndReadAll(`describe select * from read_parquet(${literal})`)
    )
      .getRowObjectsJson()
      .map((row) => [row.column_name, row.column_type]);
    const rows = (
      await connection.runAndReadAll(`select * from read_parquet(${literal})`)
    ).getRowObjects();
    return { types, rows };
  } finally {
    connection.closeSync();
  }
}

const schema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    big: { type: 'string' },
    score: { type: ['integer', 'null'] },
    ratio: { type: 'number' },
    active: { type: 'boolean' },
    attrs: { type: 'object' },
  },
};

describe('parquet batch files', () => {
  test('columns are typed from record_schema, in its order, with every value exact', async () => {
    const items: OutgoingRecord[] = [
      {
        recordId: '1',
        isDeleted: false,
        record: {
          id: '1',
          big: '9007199254740993',
          score: 9007199254740991,
          ratio: 0.1,
          active: true,
          attrs: { plan: { tier: 'pro' }, tags: ['a'] },
        },
      },
      {
        recordId: '2',
        isDeleted: false,
        record: {
          id: '2',
          big: 'Zoë 🚀, "quoted"\nline',
          score: null,
          ratio: -2,
          active: false,
          attrs: {},
        },
      },
      { recordId: '3', isDeleted: true, record: { id: '3' } },
    ];
    const file = path.join(scratch, 'typed.parquet');
    await writeBatchParquet(batchColumns(schema, items), items, file);
    const { types, rows } = await read(file);
    expect(types).toEqual([
      ['id', 'VARCHAR'],
      ['big', 'VARCHAR'],
      ['score', 'BIGINT'],
      ['ratio', 'DOUBLE'],
      ['active', 'BOOLEAN'],
      ['attrs', 'JSON'],
      ['_prequel_is_deleted', 'BOOLEAN'],
    ]);
    expect(rows).toEqual([
      {
        id: '1',
        big: '9007199254740993',
        score: 9007199254740991n,
        ratio: 0.1,
        active: true,
        attrs: '{"plan":{"tier":"pro"},"tags":["a"]}',
        _prequel_is_deleted: false,
      },
      {
        id: '2',
        big: 'Zoë 🚀, "quoted"\nline',
        score: null,
        ratio: -2,
        active: false,
        attrs: '{}',
        _prequel_is_deleted: false,
      },
      {
        id: '3',
        big: null,
        score: null,
        ratio: null,
        active: null,
        attrs: null,
        _prequel_is_deleted: true,
      },
    ]);
  });

  test('a live record whose value does not fit its column is refused; a deletion keeps its id and drops the field', async () => {
    const live: OutgoingRecord[] = [
      { recordId: '9', isDeleted: false, record: { id: '9', score: 'many' } },
    ];
    await expect(
      writeBatchParquet(batchColumns(schema, live), live, path.join(scratch, 'bad.parquet')),
    ).rejects.toThrow(BatchValueError);

    const deleted: OutgoingRecord[] = [
      { recordId: '9', isDeleted: true, record: { id: '9', score: 'many' } },
    ];
    const file = path.join(scratch, 'deleted.parquet');
    await writeBatchParquet(batchColumns(schema, deleted), deleted, file);
    expect((await read(file)).rows).toEqual([
      {
        id: '9',
        big: null,
        score: null,
        ratio: null,
        active: null,
        attrs: null,
        _prequel_is_deleted: true,
      },
    ]);
  });
});
