// A fresh source database on the test Postgres server, with the sample tables when asked, for
// extract tests.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createSampleDatabase, type SampleOptions } from '../../scripts/sample-db/create-sample-db';

export interface SourceDatabase {
  client: pg.Client;
  name: string;
  /** Connection fields for a source of vendor postgres. */
  postgres: {
    host: string;
    port: number;
    database: string;
    disable_ssl: true;
    auth_method: 'password_auth';
    password_auth: { username: string; password: string };
  };
  drop(): Promise<void>;
}

export async function createSourceDatabase(sample?: SampleOptions): Promise<SourceDatabase> {
  const admin = new URL(inject('pgAdminUrl'));
  const name = `inlet_src_${randomBytes(5).toString('hex')}`;
  const adminClient = new pg.Client(admin.toString());
  await adminClient.connect();
  await adminClient.query(`create database ${name}`);
  await adminClient.end();
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  const client = new pg.Client(url.toString());
  await client.connect();
  if (sample) await createSampleDatabase({ dialect: 'postgres', client }, sample);
  return {
    client,
    name,
    postgres: {
      host: admin.hostname,
      port: Number(admin.port),
      database: name,
      disable_ssl: true,
      auth_method: 'password_auth',
      password_auth: {
        username: decodeURIComponent(admin.username),
        password: decodeURIComponent(admin.password),
      },
    },
    async drop() {
      await client.end().catch(() => {});
      const cleanup = new pg.Client(admin.toString());
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
