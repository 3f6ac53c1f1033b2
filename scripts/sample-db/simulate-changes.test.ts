import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createSampleDatabase } from './create-sample-db';
import { renameColumn } from './rename-column';
import { inSampleTransaction } from './sample-session';
import {
  customersTable,
  accountsTable,
  type SampleTable,
  type SampleTableName,
} from './sample-tables';
import type { SampleTarget } from './sample-target';
import {
  createMysqlTestDatabase,
  createPostgresTestDatabase,
  mysqlAvailable,
} from './sample-test-databases';
import { simulateChanges, type TouchedIds } from './simulate-changes';
import { startChangeSimulator } from './start-change-simulator';
import { raw, sql } from './sql-fragment';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function postgresTarget(): Promise<SampleTarget> {
  const database = await createPostgresTestDatabase();
  cleanups.push(() => database.drop());
  return { dialect: 'postgres', client: database.client };
}

async function mysqlTarget(): Promise<SampleTarget> {
  const database = await createMysqlTestDatabase();
  cleanups.push(() => database.drop());
  return { dialect: 'mysql', connection: database.connection };
}

interface Version {
  fingerprint: string;
  updatedAt: string;
  isDeleted?: string;
}

/** id → a hash of the whole row, plus updated_at in a sortable µs text form. */
async function snapshot(target: SampleTarget, table: SampleTable): Promise<Map<string, Version>> {
  const columns = table.columns.map((column) => column.name).join(', ');
  const updatedAt =
    target.dialect === 'postgres'
      ? `to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`
      : `DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f')`;
  const deleted =
    table.name === 'customers' ? ', CASE WHEN is_deleted THEN 1 ELSE 0 END AS is_deleted' : '';
  const rows = await inSampleTransaction(target, undefined, (session) =>
    session.query(
      sql`SELECT id, MD5(CONCAT_WS('|', ${raw(columns)})) AS fingerprint, ${raw(updatedAt)} AS updated_at${raw(deleted)} FROM ${session.table(table.name)}`,
    ),
  );
  return new Map(
    rows.map((row) => [
      row.id!,
      {
        fingerprint: row.fingerprint!,
        updatedAt: row.updated_at!,
        isDeleted: row.is_deleted ?? undefined,
      },
    ]),
  );
}

async function idsOf(target: SampleTarget, table: SampleTableName): Promise<Set<string>> {
  const rows = await inSampleTransaction(target, undefined, (session) =>
    session.query(sql`SELECT id FROM ${session.table(table)}`),
  );
  return new Set(rows.map((row) => row.id!));
}

const sorted = (ids: Iterable<string>) => [...ids].sort((a, b) => Number(BigInt(a) - BigInt(b)));
const added = (before: { has(id: string): boolean }, after: Iterable<string>) =>
  sorted([...after].filter((id) => !before.has(id)));

/** The changes are exact: every reported id changed in the reported way, and nothing else changed. */
async function expectExactChanges(target: SampleTarget) {
  await createSampleDatabase(target, { customers: 400, seed: 5 });
  const before = {
    customers: await snapshot(target, customersTable),
    accounts: await snapshot(target, accountsTable),
    orders: await idsOf(target, 'orders'),
    events: await idsOf(target, 'events'),
  };

  const touched = await simulateChanges(target, {
    inserts: 5,
    updates: 10,
    softDeletes: 3,
    hardDeletes: 2,
    seed: 11,
  });

  expect(touched.inserted.customers).toHaveLength(5);
  expect(touched.inserted.accounts).toHaveLength(5);
  expect(touched.inserted.orders).toHaveLength(5);
  expect(touched.inserted.events).toHaveLength(10);
  expect(touched.updated.customers).toHaveLength(10);
  expect(touched.updated.accounts).toHaveLength(10);
  expect(touched.softDeleted.customers).toHaveLength(3);
  expect(touched.hardDeleted.customers).toHaveLength(2);

  const after = {
    customers: await snapshot(target, customersTable),
    accounts: await snapshot(target, accountsTable),
    orders: await idsOf(target, 'orders'),
    events: await idsOf(target, 'events'),
  };
  const latestBefore = [...before.customers.values(), ...before.accounts.values()]
    .map((version) => version.updatedAt)
    .sort()
    .at(-1)!;

  for (const table of ['customers', 'accounts'] as const) {
    const changed = [...before[table]]
      .filter(
        ([id, version]) =>
          after[table].has(id) && after[table].get(id)!.fingerprint !== version.fingerprint,
      )
      .map(([id]) => id);
    const expectedChanged =
      table === 'customers'
        ? [...touched.updated.customers, ...touched.softDeleted.customers]
        : touched.updated.accounts;
    expect(sorted(changed)).toEqual(sorted(expectedChanged));
    // Every change moved updated_at past everything the sample held: an incremental extract will see it.
    for (const id of changed) expect(after[table].get(id)!.updatedAt > latestBefore).toBe(true);
    expect(added(before[table], after[table].keys())).toEqual(touched.inserted[table]);
    expect(added(after[table], before[table].keys())).toEqual(touched.hardDeleted[table]);
  }
  for (const id of touched.softDeleted.customers)
    expect(after.customers.get(id)!.isDeleted).toBe('1');
  for (const id of touched.updated.customers) expect(after.customers.get(id)!.isDeleted).toBe('0');
  for (const id of touched.inserted.customers)
    expect(after.customers.get(id)!.updatedAt > latestBefore).toBe(true);
  expect(added(before.orders, after.orders)).toEqual(touched.inserted.orders);
  expect(added(before.events, after.events)).toEqual(touched.inserted.events);
  // Hard-deleted customers' accounts go with them.
  expect(
    touched.hardDeleted.accounts.every((id) => before.accounts.has(id) && !after.accounts.has(id)),
  ).toBe(true);
}

/** A failure late in the batch (the events insert) must leave no earlier change behind. */
async function expectAllOrNothing(target: SampleTarget) {
  await createSampleDatabase(target, { customers: 100 });
  await renameColumn(target, 'events', 'payload', 'body');
  const before = await snapshot(target, customersTable);
  await expect(
    simulateChanges(target, { inserts: 3, updates: 5, softDeletes: 2, hardDeletes: 1, seed: 1 }),
  ).rejects.toThrow(/payload/);
  expect(await snapshot(target, customersTable)).toEqual(before);
}

describe('simulateChanges on Postgres', () => {
  it('reports exactly the rows it inserted, updated, soft-deleted and deleted', async () => {
    await expectExactChanges(await postgresTarget());
  });

  it('changes nothing when any part of the batch fails', async () => {
    await expectAllOrNothing(await postgresTarget());
  });

  it('makes the same changes for the same seed and starting data', async () => {
    const runs: TouchedIds[] = [];
    for (let i = 0; i < 2; i++) {
      const target = await postgresTarget();
      await createSampleDatabase(target, { customers: 200, seed: 9 });
      runs.push(
        await simulateChanges(target, {
          inserts: 4,
          updates: 6,
          softDeletes: 2,
          hardDeletes: 1,
          seed: 21,
        }),
      );
    }
    expect(runs[1]).toEqual(runs[0]);
  });

  it('stamps every row it inserts with one database timestamp, a tie storm for cursors', async () => {
    const target = await postgresTarget();
    await createSampleDatabase(target, { customers: 20 });
    const touched = await simulateChanges(target, {
      inserts: 1200,
      updates: 0,
      softDeletes: 0,
      seed: 3,
    });
    const [stamps] = await inSampleTransaction(target, undefined, (session) =>
      session.query(
        sql`SELECT count(*) AS rows, count(DISTINCT updated_at) AS stamps, max(updated_at) > '2026-01-01' AS recent FROM customers WHERE id > 20`,
      ),
    );
    expect(touched.inserted.customers).toHaveLength(1200);
    expect(stamps).toEqual({ rows: '1200', stamps: '1', recent: 't' });
  });

  it('touches only what exists when asked for more than the table holds', async () => {
    const target = await postgresTarget();
    await createSampleDatabase(target, { customers: 5, accountsPerCustomer: 1 });
    const touched = await simulateChanges(target, {
      inserts: 0,
      updates: 10,
      softDeletes: 0,
      seed: 2,
    });
    expect(touched.updated.customers).toHaveLength(5);
    const again = await simulateChanges(target, {
      inserts: 0,
      updates: 0,
      softDeletes: 10,
      seed: 3,
    });
    expect(again.softDeleted.customers).toHaveLength(5);
    expect(
      (await simulateChanges(target, { inserts: 0, updates: 3, softDeletes: 0, seed: 4 })).updated
        .customers,
    ).toEqual([]);
  });

  it('runs batches on a timer until stopped, and pauses on request', async () => {
    const database = await createPostgresTestDatabase();
    const pool = new pg.Pool({ connectionString: database.url, max: 3 });
    cleanups.push(async () => {
      await pool.end();
      await database.drop();
    });
    const target: SampleTarget = { dialect: 'postgres', client: pool };
    await createSampleDatabase(target, { customers: 50 });
    const batches: TouchedIds[] = [];
    const simulator = startChangeSimulator(target, {
      everyMs: 10,
      batch: { inserts: 2, updates: 2, softDeletes: 1 },
      seed: 1,
      onChanges: (changes) => batches.push(changes),
    });
    await expect.poll(() => batches.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    simulator.pause();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const whilePaused = batches.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(batches.length).toBe(whilePaused);
    simulator.resume();
    await expect.poll(() => batches.length, { timeout: 5000 }).toBeGreaterThan(whilePaused);
    await simulator.stop();
    const atStop = batches.length;
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from customers');
    expect(rows[0]!.n).toBe(50 + 2 * atStop);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(batches.length).toBe(atStop);
  });

  it('renames a column for the schema-drift scenario', async () => {
    const target = await postgresTarget();
    await createSampleDatabase(target, { customers: 10, schema: 'crm' });
    await renameColumn(target, 'customers', 'full_name', 'display_name', { schema: 'crm' });
    const rows = await inSampleTransaction(target, 'crm', (session) =>
      session.query(
        sql`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'crm' AND table_name = 'customers' AND column_name LIKE '%name'`,
      ),
    );
    expect(rows.map((row) => row.name)).toEqual(['display_name']);
  });
});

describe.skipIf(!mysqlAvailable())('simulateChanges on MariaDB', () => {
  it('reports exactly the rows it inserted, updated, soft-deleted and deleted', async () => {
    await expectExactChanges(await mysqlTarget());
  });

  it('changes nothing when any part of the batch fails', async () => {
    await expectAllOrNothing(await mysqlTarget());
  });
});
