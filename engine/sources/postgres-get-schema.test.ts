import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SchemaColumn } from '../../lib/prequel/contract/source-actions';
import { create } from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { readSchema } from './database-source';
import { createPostgresSourceDb, type PostgresSourceDb } from './testing/source-databases';
import {
  createProvider,
  databaseConnection,
  databaseSource,
  type DatabaseLogin,
} from './testing/source-fixtures';
import { UserQueryError } from './user-query-error';

let api: TestEngine;
let db: PostgresSourceDb;
let reader: DatabaseLogin;
let sourceId: string;

beforeAll(async () => {
  api = await startTestEngine();
  db = await createPostgresSourceDb();
  await db.admin.query(`
    create domain email as text check (value like '%@%');
    create table accounts (
      id bigint primary key,
      balance numeric(38,10) not null,
      ratio double precision,
      name character varying(255),
      code character(3),
      contact email,
      active boolean,
      created_at timestamp with time zone not null,
      local_time timestamp(3) without time zone,
      birthday date,
      opens_at time,
      profile jsonb,
      raw json,
      avatar bytea,
      external_id uuid,
      tags text[],
      scores integer[],
      spent money
    );
    alter table accounts drop column code;
    create view active_accounts as select id, name from accounts where active;
    create table x (i int);
    create sequence s;
    create table big (i int);
    insert into big select generate_series(1, 3000);
  `);
  const role = await db.createRole(
    (name) =>
      `grant usage on schema public to ${name}; grant select on all tables in schema public to ${name}; grant usage, select on sequence s to ${name}`,
  );
  reader = {
    host: '127.0.0.1',
    port: db.port,
    database: db.name,
    username: role.name,
    password: role.password,
  };
  const providerId = await createProvider(api);
  sourceId = (
    await create(
      api,
      '/import/sources',
      { source: databaseSource('postgres', providerId, reader, { schema: 'public' }) },
      'source',
    )
  ).id;
});
afterAll(async () => {
  await api?.close();
  await db?.drop();
});

type SchemaBody = { data: { schema: SchemaColumn[] } };
type ErrorBody = {
  status: string;
  message: string;
  error: { code: string; details: { path: string; message: string }[] };
};

const getSchema = (body: unknown) =>
  api.request<SchemaBody & ErrorBody>('POST', `/import/sources/${sourceId}/get-schema`, body);
const tableSchema = (name: string, namespace = 'public') =>
  getSchema({
    method: 'table',
    table: { source_table_namespace: namespace, source_table_name: name },
  });
const sqlSchema = (query: string) => getSchema({ method: 'sql', sql: { query } });

describe('table', () => {
  test('columns from the catalog: the database’s own type names and their prequel types', async () => {
    const response = await tableSchema('accounts');
    expect(response.status, response.text).toBe(200);
    const columns = response.body.data.schema;
    expect(columns.map((c) => [c.name, c.raw_type, c.prequel_type, c.is_nullable])).toEqual([
      ['id', 'bigint', 'integer', false],
      ['balance', 'numeric(38,10)', 'decimal', false],
      ['ratio', 'double precision', 'float', true],
      ['name', 'character varying(255)', 'string', true],
      ['contact', 'email', 'string', true],
      ['active', 'boolean', 'boolean', true],
      ['created_at', 'timestamp with time zone', 'timestamp', false],
      ['local_time', 'timestamp(3) without time zone', 'timestamp', true],
      ['birthday', 'date', 'date', true],
      ['opens_at', 'time without time zone', 'time', true],
      ['profile', 'jsonb', 'json', true],
      ['raw', 'json', 'json', true],
      ['avatar', 'bytea', 'bytes', true],
      ['external_id', 'uuid', 'uuid', true],
      ['tags', 'text[]', 'array', true],
      ['scores', 'integer[]', 'array', true],
      ['spent', 'money', 'string', true],
    ]);
    // Dense positions even after a dropped column.
    expect(columns.map((c) => c.ordinal_position)).toEqual(columns.map((_, i) => i + 1));
  });

  test('views have columns too', async () => {
    const response = await tableSchema('active_accounts');
    expect(response.body.data.schema.map((c) => c.name)).toEqual(['id', 'name']);
  });

  test('an unknown table is a 422 naming the table and the close matches', async () => {
    const response = await tableSchema('Accounts');
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      message:
        'There is no table or view named Accounts in public. Did you mean public.accounts, public.active_accounts?',
      error: { code: 'table_not_found', details: [{ path: 'table.source_table_name' }] },
    });
  });

  test('an unknown schema points at the namespace', async () => {
    const response = await tableSchema('accounts', 'sales');
    expect(response.body).toMatchObject({
      error: { code: 'table_not_found', details: [{ path: 'table.source_table_namespace' }] },
    });
    expect(response.body.message).toContain('there is no schema sales');
  });
});

describe('sql', () => {
  test('the columns of a query, from its row description', async () => {
    const response = await sqlSchema(
      `select id, balance, balance::numeric(10,2) as rounded, created_at, profile, tags, contact, count(*) over () as total, null as nothing from accounts`,
    );
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.schema).toEqual([
      {
        name: 'id',
        raw_type: 'bigint',
        prequel_type: 'integer',
        ordinal_position: 1,
        is_nullable: true,
      },
      {
        name: 'balance',
        raw_type: 'numeric(38,10)',
        prequel_type: 'decimal',
        ordinal_position: 2,
        is_nullable: true,
      },
      {
        name: 'rounded',
        raw_type: 'numeric(10,2)',
        prequel_type: 'decimal',
        ordinal_position: 3,
        is_nullable: true,
      },
      {
        name: 'created_at',
        raw_type: 'timestamp with time zone',
        prequel_type: 'timestamp',
        ordinal_position: 4,
        is_nullable: true,
      },
      {
        name: 'profile',
        raw_type: 'jsonb',
        prequel_type: 'json',
        ordinal_position: 5,
        is_nullable: true,
      },
      {
        name: 'tags',
        raw_type: 'text[]',
        prequel_type: 'array',
        ordinal_position: 6,
        is_nullable: true,
      },
      {
        name: 'contact',
        raw_type: 'text',
        prequel_type: 'string',
        ordinal_position: 7,
        is_nullable: true,
      },
      {
        name: 'total',
        raw_type: 'bigint',
        prequel_type: 'integer',
        ordinal_position: 8,
        is_nullable: true,
      },
      {
        name: 'nothing',
        raw_type: 'text',
        prequel_type: 'string',
        ordinal_position: 9,
        is_nullable: true,
      },
    ]);
  });

  test('a query over many rows reads one', async () => {
    const response = await sqlSchema('select i from big');
    expect(response.body.data.schema).toHaveLength(1);
  });

  test.each([
    ['SELECT 1; DROP TABLE x', /more than one statement/],
    ['SELECT 1; COMMIT; CREATE TABLE pwned(x int)', /more than one statement/],
    // The COPY-splice attack string of the research: harmless on its own, a syntax error.
    [
      'SELECT 1) TO STDOUT; CREATE TABLE pwned(x int); COPY (SELECT 1',
      /syntax error at or near "\)"/,
    ],
    [
      'CREATE TABLE pwned(x int)',
      /cannot execute CREATE TABLE in a read-only transaction.*SQL datasets only read/,
    ],
    ['INSERT INTO x VALUES (1)', /cannot execute INSERT in a read-only transaction/],
    ["select nextval('s')", /cannot execute nextval\(\) in a read-only transaction/],
    ["select pg_read_file('postgresql.conf')", /permission denied for function pg_read_file/],
    ["COPY (select 1) TO PROGRAM 'id'", /permission denied to COPY to or from an external program/],
    ['COPY (select 1) TO STDOUT', /COPY is not allowed in a SQL dataset/],
    ['COPY x FROM STDIN', /permission denied|read-only/],
    [
      'select dblink_connect($$host=127.0.0.1$$)',
      /function dblink_connect\(unknown\) does not exist/,
    ],
    ['select * from missing_table', /relation "missing_table" does not exist \(at character 15\)/],
    ['selec 1', /syntax error at or near "selec" \(at character 1\)/],
    ['VACUUM', /VACUUM cannot run inside a transaction block/],
    ['set statement_timeout = 0', /returns no columns/],
  ])('%s → 422 invalid_query', async (query, message) => {
    const response = await sqlSchema(query);
    expect(response.status, response.text).toBe(422);
    expect(response.body.error).toMatchObject({
      code: 'invalid_query',
      details: [{ path: 'sql.query' }],
    });
    expect(response.body.message).toMatch(message);
  });

  test('after all the hostile queries the database is unchanged', async () => {
    const tables = await db.admin.query(
      `select relname from pg_class where relname in ('pwned', 'x')`,
    );
    expect(tables.rows.map((r) => r.relname)).toEqual(['x']);
    expect((await db.admin.query('select count(*)::int as n from x')).rows[0].n).toBe(0);
    expect((await db.admin.query('select last_value, is_called from s')).rows[0]).toEqual({
      last_value: '1',
      is_called: false,
    });
    // The engine still answers (a COPY response must not have crashed it).
    expect((await sqlSchema('select 1 as one')).status).toBe(200);
  });

  test('glob is not a method for database sources', async () => {
    const response = await getSchema({ method: 'glob', glob: { pattern: '*.csv', format: 'csv' } });
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({
      code: 'method_not_supported',
      details: [{ path: 'method' }],
    });
  });

  test('a malformed request is a 400; an unknown source a 404', async () => {
    expect((await getSchema({ method: 'sql', sql: {} })).status).toBe(400);
    const missing = await api.request(
      'POST',
      '/import/sources/0190a8b4-0000-7000-8000-000000000000/get-schema',
      { method: 'sql', sql: { query: 'select 1' } },
    );
    expect(missing.status).toBe(404);
  });
});

describe('queries that run too long are cancelled by the timeout', () => {
  const source = () => ({ vendor: 'postgres' as const, connection: databaseConnection(reader) });

  test.each([
    ['select pg_sleep(600)'],
    ['select count(*) from big a cross join big b cross join big c'],
    ['select a.i from big a, big b order by random()'],
  ])('%s', async (query) => {
    const started = Date.now();
    const error = await readSchema(
      source(),
      api.engine,
      { method: 'sql', sql: { query } },
      500,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserQueryError);
    expect(error).toMatchObject({
      code: 'query_timeout',
      message: expect.stringContaining('did not finish within 0.5 s'),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('after a timeout nothing of the source user is left running', async () => {
    const before = (
      await db.admin.query(`select count(*)::int as n from pg_stat_activity where usename = $1`, [
        reader.username,
      ])
    ).rows[0].n;
    expect(before).toBe(0);
    const error = await readSchema(
      source(),
      api.engine,
      { method: 'sql', sql: { query: 'select pg_sleep(600)' } },
      300,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'query_timeout' });
    const sessions = await db.admin.query(
      `select query from pg_stat_activity where usename = $1 and state = 'active'`,
      [reader.username],
    );
    expect(sessions.rows).toEqual([]);
  });
});
