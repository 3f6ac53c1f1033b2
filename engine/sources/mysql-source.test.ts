import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type {
  ConnectionCheck,
  SchemaColumn,
  SourceTable,
  TestSourceResult,
} from '../../lib/prequel/contract/source-actions';
import { freePort } from '../../scripts/lib/free-port';
import { create } from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { readSchema } from './database-source';
import { startSilentServer } from './testing/fake-servers';
import { createMysqlSourceDb, type MysqlSourceDb } from './testing/source-databases';
import {
  createProvider,
  databaseConnection,
  databaseSource,
  type DatabaseLogin,
} from './testing/source-fixtures';

let api: TestEngine;
let db: MysqlSourceDb;
let providerId: string;
let reader: DatabaseLogin;
let sourceId: string;

beforeAll(async () => {
  api = await startTestEngine();
  db = await createMysqlSourceDb();
  await db.admin.query(`
    CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(255) NOT NULL, active TINYINT(1), score TINYINT, balance DECIMAL(38,10),
      ratio DOUBLE, profile JSON, avatar BLOB, created_at DATETIME(6), updated_at TIMESTAMP(6) NULL, birthday DATE, opens TIME,
      kind ENUM('a','b'), flags BIT(8), is_deleted BOOLEAN, big BIGINT UNSIGNED);
    INSERT INTO users (id, email) VALUES (1, 'a@example.com'), (2, 'b@example.com');
    CREATE TABLE page_views (id BIGINT PRIMARY KEY, created_at DATETIME);
    CREATE TABLE order_items (order_id INT, line INT, PRIMARY KEY (line, order_id));
    CREATE TABLE notes (body TEXT);
    CREATE TABLE x (i INT);
    CREATE VIEW active_users AS SELECT id, email FROM users WHERE active = 1;
  `);
  const user = await db.createUser((account) => [`GRANT SELECT ON ${db.name}.* TO ${account}`]);
  reader = {
    host: '127.0.0.1',
    port: db.port,
    database: db.name,
    username: user.name,
    password: user.password,
  };
  providerId = await createProvider(api);
  sourceId = (
    await create(
      api,
      '/import/sources',
      { source: databaseSource('mysql', providerId, reader) },
      'source',
    )
  ).id;
});
afterAll(async () => {
  await api?.close();
  await db?.drop();
});

type TestBody = { data: TestSourceResult };
const testSource = async (source: Record<string, unknown>) => {
  const response = await api.request<TestBody>('POST', '/import/test-source', { source });
  expect(response.status, response.text).toBe(200);
  return response.body.data;
};
const check = (result: TestSourceResult, name: ConnectionCheck['name']) =>
  result.checks.find((c) => c.name === name)!;
const mysqlSource = (login: DatabaseLogin, extra: Record<string, unknown> = {}) =>
  databaseSource('mysql', providerId, login, extra);

describe('test-source', () => {
  test('a read-only user passes every check', async () => {
    const result = await testSource(mysqlSource(reader));
    expect(result.checks.map((c) => `${c.name}:${c.status}`)).toEqual([
      'dns:passed',
      'tcp:passed',
      'tls:skipped',
      'auth:passed',
      'privileges:passed',
    ]);
    expect(check(result, 'auth').message).toMatch(
      new RegExp(`Signed in to database "${db.name}" as "${reader.username}" \\(MariaDB 10\\.`),
    );
    expect(check(result, 'privileges')).toMatchObject({
      message: `Can read all 6 tables in ${db.name}.`,
    });
    expect(check(result, 'privileges').hint).toBeUndefined();
  });

  test('TLS required but the server has none', async () => {
    const result = await testSource(mysqlSource(reader, { disable_ssl: false }));
    expect(check(result, 'tls')).toMatchObject({
      status: 'failed',
      field: 'mysql.disable_ssl',
      message: expect.stringContaining('does not accept TLS'),
      hint: expect.stringContaining('Set disable_ssl only on a private network'),
    });
  });

  test('a closed port and a silent server', async () => {
    const closed = await testSource(mysqlSource({ ...reader, port: await freePort() }));
    expect(check(closed, 'tcp')).toMatchObject({
      status: 'failed',
      field: 'mysql.port',
      hint: expect.stringContaining('3306'),
    });
    const silent = await startSilentServer();
    try {
      const result = await testSource(
        mysqlSource(
          { ...reader, port: silent.port },
          { disable_ssl: false, connection_timeout_in_seconds: 1 },
        ),
      );
      expect(check(result, 'tls')).toMatchObject({
        status: 'failed',
        field: 'mysql.port',
        message: expect.stringContaining('no MySQL server answered within 1 s'),
      });
      const plain = await testSource(
        mysqlSource({ ...reader, port: silent.port }, { connection_timeout_in_seconds: 1 }),
      );
      expect(check(plain, 'auth')).toMatchObject({
        status: 'failed',
        field: 'mysql.port',
        message: expect.stringContaining('no MySQL server answered'),
      });
    } finally {
      await silent.close();
    }
  });

  test('a wrong password, without the password anywhere in responses or logs', async () => {
    const canary = `canary-${randomBytes(12).toString('hex')}`;
    const result = await testSource(mysqlSource({ ...reader, password: canary }));
    expect(check(result, 'auth')).toMatchObject({
      status: 'failed',
      field: 'mysql.password_auth.password',
      message: `MySQL refused the user name or password for "${reader.username}".`,
    });
    expect([...api.responses, ...api.logs].join('\n')).not.toContain(canary);
  });

  test('a database the user may not use (or that does not exist)', async () => {
    const result = await testSource(mysqlSource({ ...reader, database: 'no_such_db' }));
    expect(check(result, 'auth')).toMatchObject({
      status: 'failed',
      field: 'mysql.database',
      message: expect.stringContaining('"no_such_db"'),
    });
  });

  test('tables the user can see but not read are named', async () => {
    const partial = await db.createUser((account) => [
      `GRANT SELECT ON ${db.name}.users TO ${account}`,
      `GRANT INSERT ON ${db.name}.notes TO ${account}`,
    ]);
    const result = await testSource(
      mysqlSource({ ...reader, username: partial.name, password: partial.password }),
    );
    expect(check(result, 'privileges')).toMatchObject({
      status: 'failed',
      message: `"${partial.name}" cannot read 1 of 2 tables in ${db.name}: notes.`,
      hint: `Run GRANT SELECT ON \`${db.name}\`.* TO '${partial.name}'@'%'.`,
      field: 'mysql.password_auth.username',
    });
  });

  test('an administrator passes with a warning to use a read-only user', async () => {
    const result = await testSource(
      mysqlSource({ ...reader, username: db.adminUser, password: db.adminPassword }),
    );
    expect(result.code).toBe('success');
    expect(check(result, 'privileges').hint).toMatch(
      /has global .*FILE.* privileges: it can read files on the database server/,
    );
  });

  test('saved: the outcome is recorded', async () => {
    const response = await api.request<TestBody>('POST', `/import/sources/${sourceId}/test-source`);
    expect(response.body.data.code).toBe('success');
    const source = await api.request<{ data: { source: Record<string, unknown> } }>(
      'GET',
      `/import/sources/${sourceId}`,
    );
    expect(source.body.data.source).toMatchObject({
      is_reachable: true,
      mysql: expect.objectContaining({ is_valid: true }),
    });
  });
});

type SchemaBody = {
  data: { schema: SchemaColumn[] };
  message: string;
  error: { code: string; details: { path: string }[] };
};
const getSchema = (body: unknown) =>
  api.request<SchemaBody>('POST', `/import/sources/${sourceId}/get-schema`, body);

describe('get-schema', () => {
  test('a table: COLUMN_TYPE as the server prints it, tinyint(1) as boolean, MariaDB JSON as json', async () => {
    const response = await getSchema({
      method: 'table',
      table: { source_table_namespace: db.name, source_table_name: 'users' },
    });
    expect(response.status, response.text).toBe(200);
    expect(
      response.body.data.schema.map((c) => [c.name, c.raw_type, c.prequel_type, c.is_nullable]),
    ).toEqual([
      ['id', 'bigint(20)', 'integer', false],
      ['email', 'varchar(255)', 'string', false],
      ['active', 'tinyint(1)', 'boolean', true],
      ['score', 'tinyint(4)', 'integer', true],
      ['balance', 'decimal(38,10)', 'decimal', true],
      ['ratio', 'double', 'float', true],
      ['profile', 'json', 'json', true],
      ['avatar', 'blob', 'bytes', true],
      ['created_at', 'datetime(6)', 'timestamp', true],
      ['updated_at', 'timestamp(6)', 'timestamp', true],
      ['birthday', 'date', 'date', true],
      ['opens', 'time', 'time', true],
      ['kind', "enum('a','b')", 'string', true],
      ['flags', 'bit(8)', 'bytes', true],
      ['is_deleted', 'tinyint(1)', 'boolean', true],
      ['big', 'bigint(20) unsigned', 'integer', true],
    ]);
  });

  test('an unknown table, with suggestions; names are exact', async () => {
    const response = await getSchema({
      method: 'table',
      table: { source_table_namespace: db.name, source_table_name: 'Users' },
    });
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({
      code: 'table_not_found',
      details: [{ path: 'table.source_table_name' }],
    });
    expect(response.body.message).toContain(`Did you mean ${db.name}.users`);
  });

  test('a query: the columns of its prepared statement', async () => {
    const response = await getSchema({
      method: 'sql',
      sql: {
        query:
          'SELECT id, email, active, balance, balance * 2 AS doubled, created_at, profile, avatar, COUNT(*) OVER () AS total FROM users',
      },
    });
    expect(response.status, response.text).toBe(200);
    expect(
      response.body.data.schema.map((c) => [c.name, c.raw_type, c.prequel_type, c.is_nullable]),
    ).toEqual([
      ['id', 'bigint', 'integer', true],
      ['email', 'varchar', 'string', true],
      ['active', 'tinyint(1)', 'boolean', true],
      ['balance', 'decimal(38,10)', 'decimal', true],
      ['doubled', expect.stringMatching(/^decimal\(\d+,10\)$/), 'decimal', true],
      ['created_at', 'datetime(6)', 'timestamp', true],
      ['profile', 'json', 'json', true],
      ['avatar', 'blob', 'bytes', true],
      ['total', 'bigint', 'integer', true],
    ]);
  });

  test.each([
    ['SELECT 1; DROP TABLE x', /single statement/],
    ['SELECT 1; COMMIT; CREATE TABLE pwned(x int)', /single statement/],
    ['CREATE TABLE pwned (x INT)', /CREATE command denied|returns no columns/],
    ['INSERT INTO x VALUES (1)', /INSERT command denied/],
    ['DELETE FROM users', /DELETE command denied/],
    ['SELECT * FROM missing_table', /doesn't exist/],
    ['SELEC 1', /SQL syntax/],
  ])('%s → 422 invalid_query', async (query, message) => {
    const response = await getSchema({ method: 'sql', sql: { query } });
    expect(response.status, response.text).toBe(422);
    expect(response.body.error).toMatchObject({
      code: 'invalid_query',
      details: [{ path: 'sql.query' }],
    });
    expect(response.body.message).toMatch(message);
  });

  test('even as an administrator, a query is prepared and never run', async () => {
    const admin = {
      vendor: 'mysql' as const,
      connection: databaseConnection({
        ...reader,
        username: db.adminUser,
        password: db.adminPassword,
      }),
    };
    const started = Date.now();
    await expect(
      readSchema(
        admin,
        api.engine,
        { method: 'sql', sql: { query: 'SELECT SLEEP(600) AS s' } },
        500,
      ),
    ).resolves.toHaveLength(1);
    await expect(
      readSchema(admin, api.engine, {
        method: 'sql',
        sql: { query: 'CREATE TABLE pwned (x INT)' },
      }),
    ).rejects.toMatchObject({ code: 'invalid_query' });
    await expect(
      readSchema(admin, api.engine, { method: 'sql', sql: { query: 'INSERT INTO x VALUES (1)' } }),
    ).rejects.toMatchObject({ code: 'invalid_query' });
    expect(Date.now() - started).toBeLessThan(3000);
    const [tables] = await db.admin.query(
      `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'pwned'`,
      [db.name],
    );
    expect(tables).toEqual([]);
    const [rows] = await db.admin.query('SELECT COUNT(*) AS n FROM x');
    expect(rows).toEqual([{ n: 0 }]);
  });
});

type TablesBody = { data: { tables: SourceTable[] }; has_next: boolean; next_url: string | null };

describe('tables', () => {
  test('tables and views of the databases the user can see, with suggestions', async () => {
    const response = await api.request<TablesBody>(
      'GET',
      `/import/sources/${sourceId}/tables?page_size=100`,
    );
    expect(response.status, response.text).toBe(200);
    const tables = response.body.data.tables;
    expect(tables.map((t) => t.name)).toEqual([
      'active_users',
      'notes',
      'order_items',
      'page_views',
      'users',
      'x',
    ]);
    expect(tables.find((t) => t.name === 'users')).toEqual({
      namespace: db.name,
      name: 'users',
      estimated_rows: expect.any(Number),
      primary_key: ['id'],
      candidate_last_modified_columns: ['updated_at'],
      candidate_created_at_columns: ['created_at'],
      candidate_is_deleted_columns: ['is_deleted'],
      suggested_type: 'dimension',
      readiness: 'ready',
    });
    expect(tables.find((t) => t.name === 'order_items')).toMatchObject({
      primary_key: ['line', 'order_id'],
    });
    expect(tables.find((t) => t.name === 'page_views')).toMatchObject({ suggested_type: 'fact' });
    expect(tables.find((t) => t.name === 'active_users')).toMatchObject({
      estimated_rows: null,
      readiness: 'no_primary_key',
    });
  });

  test('search, namespace filter and pages', async () => {
    const search = await api.request<TablesBody>(
      'GET',
      `/import/sources/${sourceId}/tables?search=USER`,
    );
    expect(search.body.data.tables.map((t) => t.name)).toEqual(['active_users', 'users']);
    const qualified = await api.request<TablesBody>(
      'GET',
      `/import/sources/${sourceId}/tables?search=${db.name}.page`,
    );
    expect(qualified.body.data.tables.map((t) => t.name)).toEqual(['page_views']);
    const names: string[] = [];
    let url: string | null = `/import/sources/${sourceId}/tables?namespace=${db.name}&page_size=4`;
    while (url) {
      const page: { body: TablesBody } = await api.request<TablesBody>('GET', url);
      names.push(...page.body.data.tables.map((t) => t.name));
      url = page.body.next_url;
    }
    expect(names).toEqual(['active_users', 'notes', 'order_items', 'page_views', 'users', 'x']);
  });

  test('a table the user can see but not read is marked', async () => {
    const partial = await db.createUser((account) => [
      `GRANT SELECT ON ${db.name}.users TO ${account}`,
      `GRANT INSERT ON ${db.name}.notes TO ${account}`,
    ]);
    const saved = await create(
      api,
      '/import/sources',
      { source: mysqlSource({ ...reader, username: partial.name, password: partial.password }) },
      'source',
    );
    const response = await api.request<TablesBody>('GET', `/import/sources/${saved.id}/tables`);
    expect(response.body.data.tables.map((t) => [t.name, t.readiness])).toEqual([
      ['notes', 'no_select_privilege'],
      ['users', 'ready'],
    ]);
  });
});
