import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SourceTable } from '../../lib/prequel/contract/source-actions';
import { create } from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { createPostgresSourceDb, type PostgresSourceDb } from './testing/source-databases';
import { createProvider, databaseSource, type DatabaseLogin } from './testing/source-fixtures';

let api: TestEngine;
let db: PostgresSourceDb;
let providerId: string;
let sourceId: string;

beforeAll(async () => {
  api = await startTestEngine();
  db = await createPostgresSourceDb();
  await db.admin.query(`
    create table users (id bigint primary key, email text, updated_at timestamptz, is_deleted boolean, created_at timestamptz);
    insert into users select g, 'u' || g, now(), false, now() from generate_series(1, 500) g;
    analyze users;
    create table page_views (id bigint primary key, user_id bigint, created_at timestamptz);
    create table "Order Items" (order_id int, line int, modified timestamp, archived boolean, primary key (line, order_id));
    create table notes (body text);
    create view active_users as select * from users where not is_deleted;
    create schema billing;
    create table billing.invoices (id uuid primary key, "UpdatedAt" timestamp(6));
    create table billing.secret_ledger (id int primary key);
  `);
  const role = await db.createRole(
    (name) =>
      `grant usage on schema public, billing to ${name}; grant select on all tables in schema public to ${name}; grant select on billing.invoices to ${name}`,
  );
  const reader: DatabaseLogin = {
    host: '127.0.0.1',
    port: db.port,
    database: db.name,
    username: role.name,
    password: role.password,
  };
  providerId = await createProvider(api);
  sourceId = (
    await create(
      api,
      '/import/sources',
      { source: databaseSource('postgres', providerId, reader) },
      'source',
    )
  ).id;
});
afterAll(async () => {
  await api?.close();
  await db?.drop();
});

type TablesBody = {
  data: { tables: SourceTable[] };
  has_next: boolean;
  next_url: string | null;
  message: string;
};
const list = (query = '') =>
  api.request<TablesBody>('GET', `/import/sources/${sourceId}/tables${query}`);

describe('the table browser', () => {
  test('every user table and view, with keys, candidates, suggestions and readiness', async () => {
    const response = await list('?page_size=100');
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ has_next: false, next_url: null });
    expect(response.body.data.tables).toEqual([
      {
        namespace: 'billing',
        name: 'invoices',
        estimated_rows: null,
        primary_key: ['id'],
        candidate_last_modified_columns: ['UpdatedAt'],
        candidate_created_at_columns: [],
        candidate_is_deleted_columns: [],
        suggested_type: 'dimension',
        readiness: 'ready',
      },
      expect.objectContaining({
        namespace: 'billing',
        name: 'secret_ledger',
        primary_key: ['id'],
        readiness: 'no_select_privilege',
      }),
      {
        namespace: 'public',
        name: 'Order Items',
        estimated_rows: null,
        primary_key: ['line', 'order_id'],
        candidate_last_modified_columns: ['modified'],
        candidate_created_at_columns: [],
        candidate_is_deleted_columns: ['archived'],
        suggested_type: 'dimension',
        readiness: 'ready',
      },
      expect.objectContaining({
        name: 'active_users',
        estimated_rows: null,
        primary_key: [],
        readiness: 'no_primary_key',
      }),
      expect.objectContaining({
        name: 'notes',
        primary_key: [],
        suggested_type: 'dimension',
        readiness: 'no_primary_key',
      }),
      expect.objectContaining({
        name: 'page_views',
        candidate_created_at_columns: ['created_at'],
        suggested_type: 'fact',
        readiness: 'ready',
      }),
      {
        namespace: 'public',
        name: 'users',
        estimated_rows: 500,
        primary_key: ['id'],
        candidate_last_modified_columns: ['updated_at'],
        candidate_created_at_columns: ['created_at'],
        candidate_is_deleted_columns: ['is_deleted'],
        suggested_type: 'dimension',
        readiness: 'ready',
      },
    ]);
  });

  test('search is case-insensitive, on the name and on schema.name; wildcards are literal', async () => {
    const names = async (query: string) =>
      (await list(query)).body.data.tables.map((t) => `${t.namespace}.${t.name}`);
    expect(await names('?search=USER')).toEqual(['public.active_users', 'public.users']);
    expect(await names('?search=billing.inv')).toEqual(['billing.invoices']);
    expect(await names('?search=order%20it')).toEqual(['public.Order Items']);
    expect(await names('?search=page_')).toEqual(['public.page_views']);
    expect(await names('?search=%25')).toEqual([]);
    expect(await names('?namespace=billing')).toEqual([
      'billing.invoices',
      'billing.secret_ledger',
    ]);
  });

  test('pages follow next_url to the end, in either order', async () => {
    const walk = async (first: string) => {
      const seen: string[] = [];
      let url: string | null = `/import/sources/${sourceId}/tables${first}`;
      while (url) {
        const page: { status: number; body: TablesBody } = await api.request<TablesBody>(
          'GET',
          url,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.data.tables.map((t) => t.name));
        url = page.body.next_url;
      }
      return seen;
    };
    const ascending = await walk('?page_size=2');
    expect(ascending).toEqual([
      'invoices',
      'secret_ledger',
      'Order Items',
      'active_users',
      'notes',
      'page_views',
      'users',
    ]);
    expect(await walk('?page_size=3&order=desc')).toEqual([...ascending].reverse());
    const first = await list('?page_size=2');
    expect(first.body.next_url).toMatch(/page_size=2&order=asc&cursor=/);
  });

  test('a forged cursor is a 400; an unknown source a 404; a database source that cannot connect a 422', async () => {
    expect((await list('?cursor=not-a-cursor')).status).toBe(400);
    expect(
      (await api.request('GET', '/import/sources/0190a8b4-0000-7000-8000-000000000000/tables'))
        .status,
    ).toBe(404);
    const broken = await create(
      api,
      '/import/sources',
      {
        source: databaseSource('postgres', providerId, {
          host: '127.0.0.1',
          port: db.port,
          database: db.name,
          username: 'nobody',
          password: 'nope-nope',
        }),
      },
      'source',
    );
    const response = await api.request<{
      message: string;
      error: { code: string; details: { path: string }[] };
    }>('GET', `/import/sources/${broken.id}/tables`);
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({
      code: 'source_connection_failed',
      details: [{ path: 'source.postgres.password_auth.password' }],
    });
    expect(response.body.message).toContain('Postgres refused the password for user "nobody"');
  });
});

describe('a database with 10,000 tables', () => {
  let bigSource: string;

  beforeAll(async () => {
    await db.admin.query('create schema wide');
    // Committing every 500 tables keeps the lock table (max_locks_per_transaction) from overflowing.
    await db.admin.query(`
      do $$
      begin
        for i in 1..10000 loop
          execute format('create table wide.t%s (id bigint primary key, name text, updated_at timestamptz, is_deleted boolean)', lpad(i::text, 5, '0'));
          if i % 500 = 0 then commit; end if;
        end loop;
      end $$
    `);
    const login: DatabaseLogin = {
      host: '127.0.0.1',
      port: db.port,
      database: db.name,
      username: db.adminUser,
      password: db.adminPassword,
    };
    bigSource = (
      await create(
        api,
        '/import/sources',
        { source: databaseSource('postgres', providerId, login) },
        'source',
      )
    ).id;
  }, 180_000);

  const timed = async (url: string) => {
    const started = performance.now();
    const response = await api.request<TablesBody>('GET', url);
    const ms = performance.now() - started;
    expect(response.status, response.text).toBe(200);
    return { body: response.body, ms };
  };

  test('every page of 100 answers in under a second, walking by cursor', async () => {
    const times: number[] = [];
    let url: string | null = `/import/sources/${bigSource}/tables?namespace=wide&page_size=100`;
    let pages = 0;
    let last = '';
    while (url && pages < 10) {
      const { body, ms } = await timed(url);
      times.push(ms);
      expect(body.data.tables).toHaveLength(100);
      expect(body.data.tables[0]!.name > last).toBe(true);
      last = body.data.tables[99]!.name;
      expect(body.data.tables[0]).toMatchObject({
        primary_key: ['id'],
        candidate_last_modified_columns: ['updated_at'],
        readiness: 'ready',
      });
      url = body.next_url;
      pages++;
    }
    // Jump near the end through a cursor, as a client deep in the list would.
    const deep = await timed(
      `/import/sources/${bigSource}/tables?namespace=wide&page_size=100&cursor=${Buffer.from(JSON.stringify({ n: 'wide', t: 't09950' })).toString('base64url')}`,
    );
    times.push(deep.ms);
    expect(deep.body.data.tables.map((t) => t.name)).toEqual(
      Array.from({ length: 50 }, (_, i) => `t${String(9951 + i).padStart(5, '0')}`),
    );
    expect(deep.body.has_next).toBe(false);
    console.info(
      `10,000 tables, page_size=100: ${times.map((ms) => `${Math.round(ms)} ms`).join(', ')}`,
    );
    for (const ms of times) expect(ms).toBeLessThan(1000);
  });

  test('a search answers in under a second', async () => {
    const { body, ms } = await timed(
      `/import/sources/${bigSource}/tables?search=T0999&page_size=100`,
    );
    console.info(`10,000 tables, search: ${Math.round(ms)} ms`);
    expect(body.data.tables.map((t) => t.name)).toEqual([
      't09990',
      't09991',
      't09992',
      't09993',
      't09994',
      't09995',
      't09996',
      't09997',
      't09998',
      't09999',
    ]);
    expect(ms).toBeLessThan(1000);
  });
});
