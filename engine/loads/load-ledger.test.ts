import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { create, createPipeline, stream } from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { toJson } from '../deliver/render-request';
import type { Queryable } from '../store/db';
import {
  type LedgerEntry,
  type LedgerPage,
  ledgerIsEmpty,
  LoadLedger,
  readStreamTransformed,
  readTransformed,
  type TransformedRef,
} from './load-ledger';

let api: TestEngine;
let streamId: string;

beforeAll(async () => {
  api = await startTestEngine();
  const { dataset, destination } = await createPipeline(api);
  streamId = (await create(api, '/import/streams', stream(dataset.id, destination.id), 'stream'))
    .id;
});
afterAll(async () => {
  await api.close();
});

const counts = { processed: 0, transformed: 0, valid: 0, loaded: 0, errored: 0 };
type Entry = Omit<LedgerEntry, 'transformedIndex'> & { transformed: unknown };

/** A ledger write of entries that carry their transformed records, as a load's page would hold them. */
function ledgerPage(entries: readonly Entry[]): LedgerPage {
  const transformed: unknown[] = [];
  return {
    entries: entries.map(({ transformed: record, ...entry }) => ({
      ...entry,
      transformedIndex: record === null ? null : transformed.push(record) - 1,
    })),
    transformedJson: transformed.length ? Buffer.from(toJson(transformed)) : null,
  };
}
const delivered = (recordId: string, version: number): Entry => ({
  recordId,
  version,
  status: 'delivered',
  transformed: { id: recordId, version },
  error: null,
});
const failed = (recordId: string, version: number): Entry => ({
  recordId,
  version,
  status: 'transform_error',
  transformed: null,
  error: { error_code: 'transform_error', error_trace: 'email: boom' },
});

async function write(...entries: Entry[]) {
  await writeTo(streamId, ...entries);
}

async function writeTo(ofStream: string, ...entries: Entry[]) {
  const ledger = new LoadLedger(api.engine.db, ofStream, randomUUID());
  ledger.append(ledgerPage(entries), counts);
  await ledger.drain();
}

const pages = async () =>
  (
    await api.engine.db.query<{ live: number }>(
      'select live from transformed_pages where stream_id = $1 order by id',
      [streamId],
    )
  ).rows.map((page) => page.live);

const lineageRef = async (recordId: string) =>
  (
    await api.engine.db.query<TransformedRef>(
      'select transformed, transformed_page, transformed_index from stream_records where stream_id = $1 and record_id = $2',
      [streamId, recordId],
    )
  ).rows[0]!;

describe('the ledger keeps each transformed record until the record is written again', () => {
  test('a page holds the transformed records of its entries; a failed transform has none', async () => {
    await write(delivered('a', 1), failed('b', 1), delivered('c', 1), delivered('d', 1));
    expect(await pages()).toEqual([3]);
    const transformed = await readStreamTransformed(api.engine.db, streamId);
    expect(Object.fromEntries(transformed)).toEqual({
      a: { id: 'a', version: 1 },
      b: null,
      c: { id: 'c', version: 1 },
      d: { id: 'd', version: 1 },
    });
    expect(await readTransformed(api.engine.db, await lineageRef('c'))).toEqual({
      id: 'c',
      version: 1,
    });
  });

  test('records written again leave their old page, which goes once nothing points at it', async () => {
    await write(delivered('a', 2), delivered('c', 2));
    expect(await pages()).toEqual([1, 2]);
    await write(failed('d', 2), delivered('b', 2));
    // "d" was the first page's last record; "b" had no transformed record before.
    expect(await pages()).toEqual([2, 1]);
    const transformed = await readStreamTransformed(api.engine.db, streamId);
    expect(Object.fromEntries(transformed)).toEqual({
      a: { id: 'a', version: 2 },
      b: { id: 'b', version: 2 },
      c: { id: 'c', version: 2 },
      d: null,
    });
  });

  test('a row written before pages existed keeps its inline record until it is written again', async () => {
    await api.engine.db.query(
      `insert into stream_records (stream_id, record_id, version, status, transformed) values ($1, 'legacy', 1, 'delivered', '{"id": "legacy"}')`,
      [streamId],
    );
    expect(await readTransformed(api.engine.db, await lineageRef('legacy'))).toEqual({
      id: 'legacy',
    });
    await write(delivered('legacy', 2));
    expect(await lineageRef('legacy')).toMatchObject({ transformed: null });
    expect(await readTransformed(api.engine.db, await lineageRef('legacy'))).toEqual({
      id: 'legacy',
      version: 2,
    });
  });
});

describe('a deleted stream takes its ledger with it', () => {
  const rowsOf = async (ofStream: string) =>
    Number(
      (
        await api.engine.db.query<{ n: string }>(
          'select count(*) as n from stream_records where stream_id = $1',
          [ofStream],
        )
      ).rows[0]!.n,
    );

  test('deleting the stream deletes its rows and pages, and leaves other streams alone', async () => {
    const { dataset, destination } = await createPipeline(api);
    const doomed = (
      await create(api, '/import/streams', stream(dataset.id, destination.id), 'stream')
    ).id;
    await writeTo(doomed, delivered('x', 1), failed('y', 1));
    const othersBefore = await rowsOf(streamId);
    expect(await rowsOf(doomed)).toBe(2);

    expect((await api.request('DELETE', `/import/streams/${doomed}`)).status).toBe(200);
    expect(await rowsOf(doomed)).toBe(0);
    expect(
      (await api.engine.db.query('select 1 from transformed_pages where stream_id = $1', [doomed]))
        .rowCount,
    ).toBe(0);
    expect(await rowsOf(streamId)).toBe(othersBefore);
  });

  test('a write for a stream that is gone writes nothing', async () => {
    const gone = randomUUID();
    await writeTo(gone, delivered('z', 1));
    expect(await rowsOf(gone)).toBe(0);
  });
});

describe('the ledger of a first load', () => {
  /** The stream's rows and what each was sent as. */
  const contents = async (ofStream: string) => {
    const rows = (
      await api.engine.db.query<{ record_id: string; version: string; status: string }>(
        'select record_id, version::text, status from stream_records where stream_id = $1 order by record_id',
        [ofStream],
      )
    ).rows;
    return {
      rows: rows.map((row) => [row.record_id, Number(row.version), row.status]),
      transformed: Object.fromEntries(await readStreamTransformed(api.engine.db, ofStream)),
    };
  };
  /** The ledger's statements, as Postgres received them. */
  const watched = () => {
    const statements: string[] = [];
    const db: Queryable = {
      query: ((text: string, values?: unknown[]) => (
        statements.push(text),
        api.engine.db.query(text, values)
      )) as Queryable['query'],
    };
    return { db, statements };
  };
  const newStream = async () => {
    const { dataset, destination } = await createPipeline(api);
    return (await create(api, '/import/streams', stream(dataset.id, destination.id), 'stream'))
      .id as string;
  };

  test('is written without looking for earlier rows, and holds what the usual write would', async () => {
    const [fresh, usual] = [await newStream(), await newStream()];
    expect(await ledgerIsEmpty(api.engine.db, fresh)).toBe(true);
    const { db, statements } = watched();
    const ledger = new LoadLedger(db, fresh, randomUUID(), true);
    ledger.append(ledgerPage([delivered('a', 1), failed('b', 1)]), counts);
    ledger.append(ledgerPage([delivered('c', 1)]), counts);
    await ledger.drain();
    expect(statements).toHaveLength(2);
    expect(statements.some((text) => /on conflict/i.test(text))).toBe(false);
    expect(await ledgerIsEmpty(api.engine.db, fresh)).toBe(false);

    await writeTo(usual, delivered('a', 1), failed('b', 1));
    await writeTo(usual, delivered('c', 1));
    expect(await contents(fresh)).toEqual(await contents(usual));
  });

  test('writes a record that is there after all (asked for twice) as the usual write does, and goes on that way', async () => {
    const fresh = await newStream();
    const { db, statements } = watched();
    const ledger = new LoadLedger(db, fresh, randomUUID(), true);
    ledger.append(ledgerPage([delivered('a', 1), delivered('b', 1)]), counts);
    ledger.append(ledgerPage([delivered('a', 2)]), counts);
    ledger.append(ledgerPage([delivered('c', 1)]), counts);
    await ledger.drain();
    expect(statements.map((text) => /on conflict/i.test(text))).toEqual([false, false, true, true]);
    expect(await contents(fresh)).toEqual({
      rows: [
        ['a', 2, 'delivered'],
        ['b', 1, 'delivered'],
        ['c', 1, 'delivered'],
      ],
      transformed: {
        a: { id: 'a', version: 2 },
        b: { id: 'b', version: 1 },
        c: { id: 'c', version: 1 },
      },
    });
    expect(
      (
        await api.engine.db.query<{ live: number }>(
          'select live from transformed_pages where stream_id = $1 order by id',
          [fresh],
        )
      ).rows.map((page) => page.live),
    ).toEqual([1, 1, 1]);
  });
});
