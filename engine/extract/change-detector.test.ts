import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ChangeDetector } from './change-detector';
import { csvLine } from './csv-writer';

let dir: string;
let detector: ChangeDetector | null = null;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'inlet-detector-'));
});
afterEach(() => {
  detector?.close();
  detector = null;
  rmSync(dir, { recursive: true, force: true });
});

const csv = (name: string, rows: (string | null)[][]) => {
  const file = path.join(dir, name);
  writeFileSync(file, rows.map(csvLine).join(''));
  return file;
};

async function readParquet(file: string) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const rows = (
    await connection.runAndReadAll(
      `select * from read_parquet('${file}') order by _prequel_record_id`,
    )
  ).getRowObjectsJson();
  connection.closeSync();
  instance.closeSync();
  return rows;
}

describe('the change detector', () => {
  const columns = {
    names: ['id', 'email', 'note', 'deleted'],
    pkColumn: 'id',
    isDeletedColumn: 'deleted',
    isFact: false,
  };

  test('a renamed column is a change, and so is renaming it back, though the values and their places are the same', async () => {
    const rows = [
      ['1', 'a@x', 'n', 'f'],
      ['2', 'b@x', 'm', 'f'],
    ];
    detector = await ChangeDetector.open(columns, [], { tempDirectory: dir });
    await detector.processChunk(csv('1.csv', rows), 1, path.join(dir, 'v1.parquet'));
    detector.close();
    const renamed = { ...columns, names: ['id', 'email_address', 'note', 'deleted'] };
    detector = await ChangeDetector.open(renamed, [path.join(dir, 'v1.parquet')], {
      tempDirectory: dir,
    });
    expect(
      await detector.processChunk(csv('2.csv', rows), 2, path.join(dir, 'v2.parquet')),
    ).toMatchObject({ updated: 2, unchanged: 0 });
    detector.close();
    // Back to the first name: the records get their email again rather than keep the renamed column's versions.
    detector = await ChangeDetector.open(
      columns,
      [path.join(dir, 'v1.parquet'), path.join(dir, 'v2.parquet')],
      { tempDirectory: dir },
    );
    expect(
      await detector.processChunk(csv('3.csv', rows), 3, path.join(dir, 'v3.parquet')),
    ).toMatchObject({ updated: 2, unchanged: 0 });
    detector.close();
    // And with the columns unchanged since, nothing is.
    detector = await ChangeDetector.open(
      columns,
      ['v1', 'v2', 'v3'].map((name) => path.join(dir, `${name}.parquet`)),
      { tempDirectory: dir },
    );
    expect(
      await detector.processChunk(csv('4.csv', rows), 4, path.join(dir, 'v4.parquet')),
    ).toMatchObject({ updated: 0, unchanged: 2 });
  });

  test('classifies new, updated, unchanged and soft-deleted records across runs', async () => {
    detector = await ChangeDetector.open(columns, [], { tempDirectory: dir });
    const first = await detector.processChunk(
      csv('1.csv', [
        ['1', 'a@x', null, 'f'],
        ['2', 'b@x', '', 'f'],
        ['3', 'c@x', 'line\nbreak "quoted"', 'f'],
      ]),
      1,
      path.join(dir, 'v1.parquet'),
    );
    detector.close();
    // A later run sees the first run's file as prior knowledge.
    detector = await ChangeDetector.open(columns, [path.join(dir, 'v1.parquet')], {
      tempDirectory: dir,
    });
    expect(first).toMatchObject({
      rows: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      errored: 0,
      written: 3,
    });
    const stored = await readParquet(path.join(dir, 'v1.parquet'));
    expect(stored.map((row) => [row.id, row.note])).toEqual([
      ['1', null],
      ['2', ''],
      ['3', 'line\nbreak "quoted"'],
    ]);

    const second = await detector.processChunk(
      csv('2.csv', [
        ['1', 'a@x', null, 'f'],
        ['2', 'b@x', null, 'f'],
        ['3', 'c@x', 'line\nbreak "quoted"', 't'],
        ['4', 'd@x', null, 'f'],
      ]),
      2,
      path.join(dir, 'v2.parquet'),
    );
    // '' → NULL is a change; the soft delete is a deletion; 4 is new.
    expect(second).toMatchObject({
      rows: 4,
      inserted: 1,
      updated: 1,
      unchanged: 1,
      deleted: 1,
      written: 3,
    });
    const changed = await readParquet(path.join(dir, 'v2.parquet'));
    expect(
      changed.map((row) => [row._prequel_record_id, row._prequel_version, row._prequel_is_deleted]),
    ).toEqual([
      ['2', '2', false],
      ['3', '2', true],
      ['4', '2', false],
    ]);
  });

  test('reads values holding Windows line endings, even in the first rows of a chunk', async () => {
    // DuckDB sniffs the line ending even without auto_detect: a chunk opening with "\r\n" inside
    // quotes was read as a CRLF file and failed.
    const rows = [
      ['1', 'a@x', 'Windows line\r\nending', 'f'],
      ['2', 'b@x', 'plain', 'f'],
      ['3', 'c@x', 'two\r\nbreaks\r\n', 'f'],
    ];
    detector = await ChangeDetector.open(columns, [], { tempDirectory: dir });
    const output = path.join(dir, 'v1.parquet');
    expect(await detector.processChunk(csv('1.csv', rows), 1, output)).toMatchObject({
      rows: 3,
      inserted: 3,
    });
    expect((await readParquet(output)).map((row) => row.note)).toEqual([
      'Windows line\r\nending',
      'plain',
      'two\r\nbreaks\r\n',
    ]);
  });

  test('counts rows without a primary key or with a duplicate one as errored', async () => {
    detector = await ChangeDetector.open(columns, [], { tempDirectory: dir });
    const counts = await detector.processChunk(
      csv('e.csv', [
        [null, 'x', null, 'f'],
        ['1', 'a', null, 'f'],
        ['1', 'b', null, 'f'],
      ]),
      1,
      path.join(dir, 'e.parquet'),
    );
    expect(counts).toMatchObject({ rows: 3, inserted: 1, errored: 2 });
  });

  test('never re-reads a known fact record as a change', async () => {
    detector = await ChangeDetector.open(
      { names: ['id', 'amount'], pkColumn: 'id', isFact: true },
      [],
      { tempDirectory: dir },
    );
    await detector.processChunk(csv('f1.csv', [['1', '10.00']]), 1, path.join(dir, 'f1.parquet'));
    // The same key again in a later chunk of the same run is looked up in this run's files.
    detector.addRunFile(path.join(dir, 'f1.parquet'));
    const again = await detector.processChunk(
      csv('f2.csv', [
        ['1', '99.00'],
        ['2', '5.00'],
      ]),
      2,
      path.join(dir, 'f2.parquet'),
    );
    expect(again).toMatchObject({ inserted: 1, unchanged: 1, updated: 0 });
  });

  test('writes tombstones for cached records the source no longer has', async () => {
    detector = await ChangeDetector.open(columns, [], { tempDirectory: dir });
    await detector.processChunk(
      csv('h1.csv', [
        ['1', 'a', null, 'f'],
        ['2', 'b', null, 'f'],
        ['3', 'c', null, 't'],
      ]),
      1,
      path.join(dir, 'h1.parquet'),
    );
    detector.addRunFile(path.join(dir, 'h1.parquet'));
    const tombstones = await detector.writeHardDeletes(
      csv('ids.csv', [['1']]),
      2,
      path.join(dir, 'h2.parquet'),
    );
    expect(tombstones).toBe(1);
    expect(
      (await readParquet(path.join(dir, 'h2.parquet'))).map((row) => row._prequel_record_id),
    ).toEqual(['2']);
  });

  // A file written elsewhere: plain DuckDB, so no hash canary, and a stored hash that matches nothing.
  async function writeForeignFile(file: string, rows: [string, string][], metadata: string | null) {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const values = rows
      .map(
        ([id, email]) =>
          `('${id}', 1::bigint, 12345::ubigint, false, '${id}', '${email}', null::varchar, 'f')`,
      )
      .join(', ');
    const options = metadata ? `, kv_metadata {inlet_hash: '${metadata}'}` : '';
    await connection.run(
      `copy (select * from (values ${values}) t(_prequel_record_id, _prequel_version, _prequel_hash, _prequel_is_deleted, id, email, note, deleted)) to '${file}' (format parquet${options})`,
    );
    connection.closeSync();
    instance.closeSync();
  }

  async function currentCanary(): Promise<string> {
    const probe = await ChangeDetector.open(columns, [], { tempDirectory: dir });
    await probe.processChunk(
      csv('probe.csv', [['1', 'a', null, 'f']]),
      1,
      path.join(dir, 'probe.parquet'),
    );
    probe.close();
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const rows = (
      await connection.runAndReadAll(
        `select decode(value) as v from parquet_kv_metadata('${path.join(dir, 'probe.parquet')}') where decode(key) = 'inlet_hash'`,
      )
    ).getRowObjects();
    connection.closeSync();
    instance.closeSync();
    return String(rows[0]!.v);
  }

  test('recomputes the hashes of files written with another hash (an older engine or another DuckDB)', async () => {
    const foreign = path.join(dir, 'md5-era.parquet');
    await writeForeignFile(
      foreign,
      [
        ['1', 'a@x'],
        ['2', 'b@x'],
      ],
      null,
    );
    detector = await ChangeDetector.open(columns, [foreign], { tempDirectory: dir });
    const counts = await detector.processChunk(
      csv('now.csv', [
        ['1', 'a@x', null, 'f'],
        ['2', 'changed@x', null, 'f'],
      ]),
      2,
      path.join(dir, 'now.parquet'),
    );
    // The stored 12345 is ignored: 1 is recognised as unchanged from its columns, 2 as updated.
    expect(counts).toMatchObject({ unchanged: 1, updated: 1, inserted: 0 });
  });

  test('trusts the stored hash of files written with the same hash, without reading their columns', async () => {
    const canary = await currentCanary();
    const same = path.join(dir, 'same-hash.parquet');
    // Same canary but a stored hash that is wrong on purpose: used as stored, it makes the row look changed.
    await writeForeignFile(same, [['1', 'a@x']], canary);
    detector = await ChangeDetector.open(columns, [same], { tempDirectory: dir });
    const counts = await detector.processChunk(
      csv('now.csv', [['1', 'a@x', null, 'f']]),
      2,
      path.join(dir, 'now.parquet'),
    );
    expect(counts).toMatchObject({ updated: 1, unchanged: 0 });
  });

  test('compares a column added since an old file was written as NULL there', async () => {
    const old = path.join(dir, 'old.parquet');
    await writeForeignFile(
      old,
      [
        ['1', 'a@x'],
        ['2', 'b@x'],
      ],
      null,
    );
    const wider = { ...columns, names: [...columns.names, 'added'] };
    detector = await ChangeDetector.open(wider, [old], { tempDirectory: dir });
    const counts = await detector.processChunk(
      csv('wide.csv', [
        ['1', 'a@x', null, 'f', null],
        ['2', 'b@x', null, 'f', 'x'],
      ]),
      2,
      path.join(dir, 'wide.parquet'),
    );
    expect(counts).toMatchObject({ unchanged: 1, updated: 1 });
  });

  test('refuses source columns that collide with its own', async () => {
    await expect(
      ChangeDetector.open(
        { names: ['_prequel_hash'], pkColumn: '_prequel_hash', isFact: false },
        [],
        { tempDirectory: dir },
      ),
    ).rejects.toThrow(/reserved/);
  });
});
