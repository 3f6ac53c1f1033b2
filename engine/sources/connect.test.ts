import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Lookup } from '../net/host-probe';
import { freePort } from '../../scripts/lib/free-port';
import { connectMysql } from './mysql/connect';
import { connectPostgres } from './postgres/connect';
import { SourceConnectError } from './source-connect-error';
import {
  createMysqlSourceDb,
  createPostgresSourceDb,
  type MysqlSourceDb,
  type PostgresSourceDb,
} from './testing/source-databases';
import { databaseConnection, type DatabaseLogin } from './testing/source-fixtures';

let pgDb: PostgresSourceDb;
let myDb: MysqlSourceDb;
let pgLogin: DatabaseLogin;
let myLogin: DatabaseLogin;
const lookup: Lookup = async (name) => (name === 'db.local.test' ? ['127.0.0.1'] : []);
const lenient = { lookup, allowPrivateHosts: true };

beforeAll(async () => {
  [pgDb, myDb] = await Promise.all([createPostgresSourceDb(), createMysqlSourceDb()]);
  const role = await pgDb.createRole();
  pgLogin = {
    host: 'db.local.test',
    port: pgDb.port,
    database: pgDb.name,
    username: role.name,
    password: role.password,
  };
  const user = await myDb.createUser((account) => [`GRANT SELECT ON ${myDb.name}.* TO ${account}`]);
  myLogin = {
    host: 'db.local.test',
    port: myDb.port,
    database: myDb.name,
    username: user.name,
    password: user.password,
  };
  await myDb.admin
    .query(`CREATE TABLE v (big BIGINT UNSIGNED, amount DECIMAL(38,10), at DATETIME(6), ts TIMESTAMP(6) NULL);
    SET time_zone = '+02:00';
    INSERT INTO v VALUES (18446744073709551615, 12345678901234567890.0123456789, '2026-01-01 10:00:00.123456', '2026-01-01 10:00:00.123456')`);
});
afterAll(async () => {
  await pgDb?.drop();
  await myDb?.drop();
});

describe('connectPostgres', () => {
  test('connects to the vetted address, with the session timeout applied and exact values', async () => {
    const client = await connectPostgres(databaseConnection(pgLogin), lenient, {
      statementTimeoutMs: 1234,
    });
    try {
      const row = (
        await client.query(
          `select current_setting('statement_timeout') as timeout, 9007199254740993::bigint as big, '2026-01-01'::date as day, inet_server_addr()::text as address`,
        )
      ).rows[0];
      expect(row).toEqual({
        timeout: '1234ms',
        big: '9007199254740993',
        day: '2026-01-01',
        address: '127.0.0.1/32',
      });
    } finally {
      await client.end();
    }
  });

  test('refuses what the host policy refuses, before any connection', async () => {
    const error = await connectPostgres(databaseConnection(pgLogin), {
      lookup,
      allowPrivateHosts: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceConnectError);
    expect(error).toMatchObject({
      code: 'forbidden_address',
      failure: { check: 'dns', field: 'postgres.host' },
    });
  });

  test('failures carry a code, a message and the field', async () => {
    await expect(
      connectPostgres(databaseConnection({ ...pgLogin, port: await freePort() }), lenient),
    ).rejects.toMatchObject({
      code: 'connection_refused',
      failure: { field: 'postgres.port' },
    });
    await expect(
      connectPostgres(databaseConnection({ ...pgLogin, password: 'wrong-password' }), lenient),
    ).rejects.toMatchObject({
      code: 'auth_failed',
      failure: { field: 'postgres.password_auth.password' },
    });
    await expect(
      connectPostgres(databaseConnection({ ...pgLogin, host: 'db.unknown.test' }), lenient),
    ).rejects.toMatchObject({ code: 'not_resolvable' });
  });
});

describe('connectMysql', () => {
  test('values stay exact: big integers, decimals and timestamps as text, TIMESTAMP in UTC', async () => {
    const connection = await connectMysql(databaseConnection(myLogin), lenient);
    try {
      const [rows] = await connection.query(`SELECT * FROM v`);
      expect(rows).toEqual([
        {
          big: '18446744073709551615',
          amount: '12345678901234567890.0123456789',
          at: '2026-01-01 10:00:00.123456',
          ts: '2026-01-01 08:00:00.123456',
        },
      ]);
      await expect(connection.query('SELECT 1; SELECT 2')).rejects.toMatchObject({
        code: 'ER_PARSE_ERROR',
      });
    } finally {
      await connection.end();
    }
  });

  test('the statement timeout cancels a long SELECT', async () => {
    const connection = await connectMysql(databaseConnection(myLogin), lenient, {
      statementTimeoutMs: 300,
    });
    try {
      const started = Date.now();
      await expect(connection.query('SELECT SLEEP(5) AS s')).rejects.toMatchObject({ errno: 1969 });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await connection.end();
    }
  });

  test('failures carry a code, a message and the field', async () => {
    await expect(
      connectMysql(databaseConnection({ ...myLogin, password: 'wrong-password' }), lenient),
    ).rejects.toMatchObject({
      code: 'auth_failed',
      failure: { field: 'mysql.password_auth.password' },
    });
    await expect(
      connectMysql(databaseConnection({ ...myLogin, port: await freePort() }), lenient),
    ).rejects.toMatchObject({ code: 'connection_refused' });
    await expect(
      connectMysql({ ...databaseConnection(myLogin), disable_ssl: false }, lenient),
    ).rejects.toMatchObject({
      code: 'tls_not_supported',
      failure: { field: 'mysql.disable_ssl' },
    });
  });
});
