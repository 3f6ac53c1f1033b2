import mysql from 'mysql2/promise';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createSampleDatabase } from './create-sample-db';
import { SampleDbError } from './sample-db-error';
import { inSampleTransaction } from './sample-session';
import type { SampleTarget } from './sample-target';
import {
  createMysqlTestDatabase,
  createPostgresTestDatabase,
  mysqlAvailable,
} from './sample-test-databases';
import { raw } from './sql-fragment';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function mysqlTarget(): Promise<SampleTarget & { dialect: 'mysql' }> {
  const database = await createMysqlTestDatabase();
  cleanups.push(() => database.drop());
  return { dialect: 'mysql', connection: database.connection };
}

const textRows = (target: SampleTarget, query: string) =>
  inSampleTransaction(target, undefined, (session) => session.query(raw(query)));

describe.skipIf(!mysqlAvailable())('createSampleDatabase on MariaDB', () => {
  it('creates the same counts as on Postgres', async () => {
    const target = await mysqlTarget();
    const counts = await createSampleDatabase(target, { customers: 500 });
    expect(counts).toEqual({ customers: 500, accounts: 750, orders: 2000, events: 5000 });
    for (const [table, expected] of Object.entries(counts)) {
      expect(await textRows(target, `SELECT COUNT(*) AS n FROM ${table}`)).toEqual([
        { n: String(expected) },
      ]);
    }
  });

  it('holds the very same values as the Postgres sample of the same seed', async () => {
    const target = await mysqlTarget();
    const postgres = await createPostgresTestDatabase();
    cleanups.push(() => postgres.drop());
    const options = { customers: 300, seed: 12 };
    await createSampleDatabase(target, options);
    await createSampleDatabase({ dialect: 'postgres', client: postgres.client }, options);

    const pgTime = (column: string) =>
      `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as ${column}`;
    const myTime = (column: string) =>
      `DATE_FORMAT(${column}, '%Y-%m-%d %H:%i:%s.%f') AS ${column}`;
    const queries = [
      (time: typeof pgTime, flag: string) =>
        `SELECT id, email, full_name, country, plan, ${flag} AS is_deleted, notes, lifetime_value, external_ref, ${time('signup_at')}, ${time('updated_at')} FROM customers ORDER BY id`,
      (time: typeof pgTime) =>
        `SELECT id, customer_id, name, balance, currency, status, ${time('created_at')}, ${time('updated_at')}, ${time('closed_at')} FROM accounts ORDER BY id`,
      (time: typeof pgTime) =>
        `SELECT id, customer_id, ${time('created_at')}, amount, currency, status FROM orders ORDER BY id`,
      (time: typeof pgTime) =>
        `SELECT id, customer_id, ${time('occurred_at')}, type FROM events ORDER BY id`,
    ];
    for (const query of queries) {
      const fromMysql = await textRows(target, query(myTime, 'is_deleted'));
      const fromPostgres = await textRows(
        { dialect: 'postgres', client: postgres.client },
        query(pgTime, 'case when is_deleted then 1 else 0 end'),
      );
      expect(fromMysql).toEqual(fromPostgres);
    }
    // JSON: MariaDB keeps the text, Postgres normalizes jsonb; compare parsed, with the big ledger ids as text.
    const asJson = (text: string | null) =>
      text === null ? null : JSON.parse(text.replace(/"ledger_id": ?(\d+)/, '"ledger_id":"$1"'));
    const myJson = await textRows(target, 'SELECT attributes FROM customers ORDER BY id');
    const pgJson = await textRows(
      { dialect: 'postgres', client: postgres.client },
      'SELECT attributes::text AS attributes FROM customers ORDER BY id',
    );
    expect(myJson.map((row) => asJson(row.attributes!))).toEqual(
      pgJson.map((row) => asJson(row.attributes!)),
    );
  });

  it('keeps ties, µs and 4-byte characters, and indexes the keyset columns', async () => {
    const target = await mysqlTarget();
    await createSampleDatabase(target, { customers: 600 });
    const [ties] = await textRows(
      target,
      'SELECT COUNT(*) > COUNT(DISTINCT updated_at) AS tied, SUM(MICROSECOND(updated_at) % 1000 <> 0) AS micros FROM customers',
    );
    expect(ties!.tied).toBe('1');
    expect(Number(ties!.micros)).toBeGreaterThan(300);
    const emoji = await textRows(
      target,
      `SELECT full_name FROM customers WHERE full_name LIKE '%🌸%' OR full_name LIKE '%𠮷%' OR full_name LIKE '%👨‍👩‍👧%'`,
    );
    expect(emoji.length).toBeGreaterThan(0);
    expect(
      await textRows(
        target,
        'SELECT CAST(external_ref AS CHAR) AS ref FROM customers WHERE id = 1',
      ),
    ).toEqual([{ ref: '9007199254740993' }]);

    const indexes = await textRows(
      target,
      `SELECT table_name AS t, index_name AS i, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS c FROM information_schema.statistics
      WHERE table_schema = DATABASE() GROUP BY table_name, index_name ORDER BY table_name, index_name`,
    );
    expect(indexes).toEqual(
      expect.arrayContaining([
        { t: 'customers', i: 'customers_updated_at_id_idx', c: 'updated_at,id' },
        { t: 'customers', i: 'customers_email_key', c: 'email' },
        { t: 'accounts', i: 'accounts_updated_at_id_idx', c: 'updated_at,id' },
        { t: 'orders', i: 'orders_created_at_id_idx', c: 'created_at,id' },
        { t: 'events', i: 'events_occurred_at_id_idx', c: 'occurred_at,id' },
      ]),
    );
  });

  it('leaves no half-built sample behind when a step fails', async () => {
    const target = await mysqlTarget();
    const [{ name }] = (await textRows(target, 'SELECT DATABASE() AS name')) as [{ name: string }];
    // A user who may create and drop tables but not insert: the load fails right after the tables exist.
    const user = `sample_noinsert_${name.slice(-6)}`;
    const admin = await mysql.createConnection({ uri: inject('mysqlAdminUrl')! });
    await admin.query(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY 'pw'`);
    await admin.query(
      `GRANT SELECT, CREATE, DROP, ALTER, INDEX, REFERENCES ON \`${name}\`.* TO '${user}'@'127.0.0.1'`,
    );
    const url = new URL(inject('mysqlAdminUrl')!);
    Object.assign(url, { username: user, password: 'pw', pathname: `/${name}` });
    const limited = await mysql.createConnection({ uri: url.toString() });
    try {
      await expect(
        createSampleDatabase({ dialect: 'mysql', connection: limited }, { customers: 20 }),
      ).rejects.toThrow(/INSERT command denied/);
    } finally {
      await limited.end();
      await admin.query(`DROP USER '${user}'@'127.0.0.1'`);
      await admin.end();
    }
    expect(
      await textRows(
        target,
        'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()',
      ),
    ).toEqual([]);
  });

  it('refuses existing tables without dropExisting, and a connection without a database', async () => {
    const target = await mysqlTarget();
    await createSampleDatabase(target, { customers: 5 });
    await expect(createSampleDatabase(target, { customers: 5 })).rejects.toThrow(
      /already exist.*--drop/,
    );
    expect(await createSampleDatabase(target, { customers: 7, dropExisting: true })).toMatchObject({
      customers: 7,
    });

    const bare = await mysql.createConnection({ uri: inject('mysqlAdminUrl')! });
    try {
      await expect(
        createSampleDatabase({ dialect: 'mysql', connection: bare }, { customers: 5 }),
      ).rejects.toThrow(SampleDbError);
    } finally {
      await bare.end();
    }
  });
});
