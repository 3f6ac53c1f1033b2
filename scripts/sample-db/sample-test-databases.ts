// Test-only: an empty database per test on the run's real Postgres and MariaDB (see
// engine/testing/global-setup.ts).
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { inject } from 'vitest';

export interface PostgresTestDatabase {
  url: string;
  /** Session time zone UTC, so row text (checksums) does not depend on the machine. */
  client: pg.Client;
  drop(): Promise<void>;
}

export async function createPostgresTestDatabase(): Promise<PostgresTestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `sample_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString(), options: '-c TimeZone=UTC' });
  await client.connect();
  return {
    url: url.toString(),
    client,
    async drop() {
      await client.end();
      await withAdmin(adminUrl, (admin) =>
        admin.query(`drop database if exists ${name} with (force)`),
      );
    },
  };
}

async function withAdmin(
  adminUrl: string,
  work: (admin: pg.Client) => Promise<unknown>,
): Promise<void> {
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}

export interface MysqlTestDatabase {
  connection: mysql.Connection;
  drop(): Promise<void>;
}

/** null when MariaDB is not installed locally (CI always has it). */
export const mysqlAvailable = () => inject('mysqlAdminUrl') !== null;

export async function createMysqlTestDatabase(): Promise<MysqlTestDatabase> {
  const adminUrl = inject('mysqlAdminUrl');
  if (!adminUrl) throw new Error('MariaDB is not available in this run');
  const name = `sample_test_${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: adminUrl });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const connection = await mysql.createConnection({ uri: url.toString(), charset: 'utf8mb4' });
  return {
    connection,
    async drop() {
      await connection.end();
      const cleanup = await mysql.createConnection({ uri: adminUrl });
      await cleanup.query(`DROP DATABASE IF EXISTS ${name}`);
      await cleanup.end();
    },
  };
}
