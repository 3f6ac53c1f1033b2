// The demo's source databases on a Postgres server we administer: each a sample database with a
// read-only user.
import pg from 'pg';
import { createSampleDatabase, type SampleOptions } from '../sample-db/create-sample-db';
import { quotePostgres as q } from '../sample-db/sql-identifiers';
import { hintsFor, type PostgresSourceHints } from './source-hints';

export interface SourceDatabaseSpec {
  database: string;
  role: string;
  password: string;
  sample: SampleOptions;
}

/** A client on one database of the admin URL's server. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Creates what is missing (database, sample tables, role) and grants read access; safe to run on
 * every start. An existing role keeps its password: rotating it is a scenario, and a restart must
 * not undo it.
 */
export async function prepareSourceDatabase(
  adminUrl: string,
  spec: SourceDatabaseSpec,
): Promise<PostgresSourceHints> {
  await withClient(adminUrl, async (admin) => {
    const database = await admin.query('select 1 from pg_database where datname = $1', [
      spec.database,
    ]);
    if (database.rowCount === 0)
      await createIgnoringRace(admin, `create database ${q(spec.database)}`);
    const role = await admin.query('select 1 from pg_roles where rolname = $1', [spec.role]);
    if (role.rowCount === 0)
      await createIgnoringRace(
        admin,
        `create role ${q(spec.role)} login password ${admin.escapeLiteral(spec.password)}`,
      );
  });
  await withClient(databaseUrl(adminUrl, spec.database), async (client) => {
    const customers = await client.query<{ exists: boolean }>(
      `select to_regclass('public.customers') is not null as exists`,
    );
    // A missing customers table means a first start, or one that died while loading: (re)create all
    // four.
    if (!customers.rows[0]!.exists)
      await createSampleDatabase(
        { dialect: 'postgres', client },
        { ...spec.sample, dropExisting: true },
      );
    for (const statement of readOnlyGrants(spec.database, spec.role)) await client.query(statement);
  });
  return hintsFor(adminUrl, spec);
}

/** Read access to every table of `public`, today's and tomorrow's (the large table comes later). */
export function readOnlyGrants(database: string, role: string): string[] {
  return [
    `grant connect on database ${q(database)} to ${q(role)}`,
    `grant usage on schema public to ${q(role)}`,
    `grant select on all tables in schema public to ${q(role)}`,
    `alter default privileges in schema public grant select on tables to ${q(role)}`,
  ];
}

/**
 * Two starts racing (or a test and a start) may both find it missing; the loser's "already exists"
 * is success.
 */
async function createIgnoringRace(client: pg.Client, statement: string) {
  try {
    await client.query(statement);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 42P04 duplicate database, 42710 duplicate object (role), 23505 the catalog's unique index
    // under a race.
    if (code !== '42P04' && code !== '42710' && code !== '23505') throw error;
  }
}
