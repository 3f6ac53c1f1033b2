import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createPostgresSourceDb, type PostgresSourceDb } from '../testing/source-databases';
import { UserQueryError } from '../user-query-error';
import { connectPostgres } from './connect';
import { openSqlCursor, type SqlRow } from './sql-cursor';

let db: PostgresSourceDb;
let client: pg.Client;
let role: { name: string; password: string };
const policy = { lookup: async () => ['127.0.0.1'], allowPrivateHosts: true };

beforeAll(async () => {
  db = await createPostgresSourceDb();
  await db.admin.query(`
    create table events (id bigint primary key, amount numeric(38,10), at timestamptz, note text);
    insert into events select g, g * 1.0000000001, '2026-01-01 10:00:00.123456+02'::timestamptz + g * interval '1 second', case when g % 2 = 0 then null else 'n' || g end
      from generate_series(1, 2500) g;
    insert into events values (9007199254740993, 12345678901234567890.0123456789, '2026-06-01 00:00:00.000001+00', 'big');
    create sequence s;
  `);
  role = await db.createRole(
    (name) =>
      `grant usage on schema public to ${name}; grant select on all tables in schema public to ${name}; grant usage, select on sequence s to ${name}`,
  );
});
afterAll(() => db?.drop());

beforeEach(async () => {
  client = await connectPostgres(
    {
      host: 'db.local.test',
      port: db.port,
      database: db.name,
      auth_method: 'password_auth',
      password_auth: { username: role.name, password: role.password },
      disable_ssl: true,
    },
    policy,
  );
});
afterEach(() => client.end().catch(() => {}));

async function readAll(query: string, options = { timeoutMs: 5000, batchRows: 1000 }) {
  const cursor = await openSqlCursor(client, query, options);
  const batches: SqlRow[][] = [];
  for await (const batch of cursor.batches()) batches.push(batch);
  return { fields: cursor.fields, batches };
}

describe('reading a SQL dataset', () => {
  test('rows arrive in batches, as the database’s exact text forms', async () => {
    const { fields, batches } = await readAll(
      'select id, amount, at, note from events order by id',
    );
    expect(fields.map((f) => f.name)).toEqual(['id', 'amount', 'at', 'note']);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 501]);
    expect(batches[0]![0]).toEqual(['1', '1.0000000001', '2026-01-01 08:00:01.123456+00', 'n1']);
    expect(batches[0]![1]).toEqual(['2', '2.0000000002', '2026-01-01 08:00:02.123456+00', null]);
    expect(batches[2]![500]).toEqual([
      '9007199254740993',
      '12345678901234567890.0123456789',
      '2026-06-01 00:00:00.000001+00',
      'big',
    ]);
  });

  test('the transaction ends with the read, and the client is usable again', async () => {
    await readAll('select 1');
    expect(
      (await client.query(`select current_setting('transaction_read_only') as ro`)).rows[0].ro,
    ).toBe('off');
    expect((await client.query('select 2 as two')).rows[0].two).toBe(2);
  });

  test('stopping early (break, or close) rolls back and frees the client', async () => {
    const cursor = await openSqlCursor(client, 'select id from events', {
      timeoutMs: 5000,
      batchRows: 100,
    });
    for await (const batch of cursor.batches()) {
      expect(batch).toHaveLength(100);
      break;
    }
    expect((await client.query('select 3 as three')).rows[0].three).toBe(3);
    const second = await openSqlCursor(client, 'select id from events', {
      timeoutMs: 5000,
      batchRows: 100,
    });
    await second.close();
    expect(
      (await client.query(`select current_setting('transaction_read_only') as ro`)).rows[0].ro,
    ).toBe('off');
  });

  test('an empty result has its fields and no batches', async () => {
    const { fields, batches } = await readAll('select id, note from events where false');
    expect(fields.map((f) => f.name)).toEqual(['id', 'note']);
    expect(batches).toEqual([]);
  });
});

describe('the user’s SQL cannot write, stack or outlast its timeout', () => {
  test.each([
    ['select 1; create table pwned(x int)', 'more than one statement'],
    ['SELECT 1; COMMIT; CREATE TABLE pwned(x int)', 'more than one statement'],
    ['create table pwned(x int)', 'read-only transaction'],
    ["select nextval('s')", 'read-only transaction'],
    [
      "select set_config('transaction_read_only', 'off', false), 1",
      'read-write mode must be set before any query',
    ],
    ['COPY (select 1) TO STDOUT', 'COPY is not allowed'],
  ])('%s', async (query, message) => {
    const error = await openSqlCursor(client, query, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserQueryError);
    expect((error as Error).message).toContain(message);
    expect((await client.query('select 1 as ok')).rows[0].ok).toBe(1);
  });

  test('nothing was written', async () => {
    expect(
      (await db.admin.query(`select count(*)::int as n from pg_class where relname = 'pwned'`))
        .rows[0].n,
    ).toBe(0);
    expect((await db.admin.query('select is_called from s')).rows[0].is_called).toBe(false);
  });

  test('a query that turns its own statement_timeout off is still cancelled by the client-side deadline', async () => {
    // Row 1 disables the timeout for the next Execute messages; every later row then sleeps.
    const query = `select case when g = 1 then set_config('statement_timeout', '0', true) else pg_sleep(5)::text end from generate_series(1, 100) g`;
    const started = Date.now();
    const cursor = await openSqlCursor(client, query, { timeoutMs: 800, batchRows: 1 });
    const error = await (async () => {
      for await (const _batch of cursor.batches()) {
        // keep reading
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'query_timeout' });
    expect(Date.now() - started).toBeLessThan(4500);
    const running = await db.admin.query(
      `select count(*)::int as n from pg_stat_activity where usename = $1 and state = 'active' and query like '%pg_sleep%'`,
      [role.name],
    );
    expect(running.rows[0].n).toBe(0);
  });
});
