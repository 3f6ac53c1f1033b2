import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createSampleDatabase } from './create-sample-db';
import { customerRows } from './dimension-rows';
import { planSample } from './sample-plan';
import { SampleDbError } from './sample-db-error';
import { sampleTables } from './sample-tables';
import { createPostgresTestDatabase, type PostgresTestDatabase } from './sample-test-databases';
import { BEYOND_2_53 } from './sample-values';
import { microsOf } from './timestamps';

const databases: PostgresTestDatabase[] = [];
async function freshDatabase() {
  const database = await createPostgresTestDatabase();
  databases.push(database);
  return database;
}
afterEach(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});

async function checksums(client: pg.Client, schema = 'public') {
  const sums: Record<string, string> = {};
  for (const { name } of sampleTables) {
    const { rows } = await client.query<{ sum: string }>(
      `select md5(string_agg(t::text, '' order by id)) as sum from ${schema}.${name} t`,
    );
    sums[name] = rows[0]!.sum;
  }
  return sums;
}

const one = async <T>(client: pg.Client, text: string, values: unknown[] = []) =>
  (await client.query(text, values)).rows[0] as T;

describe('createSampleDatabase on Postgres', () => {
  it('creates exactly the rows the options ask for', async () => {
    const { client } = await freshDatabase();
    const counts = await createSampleDatabase({ dialect: 'postgres', client }, { customers: 1000 });
    expect(counts).toEqual({ customers: 1000, accounts: 1500, orders: 4000, events: 10000 });
    for (const [table, expected] of Object.entries(counts)) {
      expect(await one(client, `select count(*)::int as n from ${table}`)).toEqual({ n: expected });
    }

    const custom = await createSampleDatabase(
      { dialect: 'postgres', client },
      {
        customers: 10,
        accountsPerCustomer: 0,
        ordersPerCustomer: 2.5,
        eventsPerCustomer: 0,
        dropExisting: true,
      },
    );
    expect(custom).toEqual({ customers: 10, accounts: 0, orders: 25, events: 0 });
    expect(await one(client, 'select count(*)::int as n from orders')).toEqual({ n: 25 });
  });

  it('gives identical tables for the same seed, over one connection or a pool of several', async () => {
    const [a, b, c] = [await freshDatabase(), await freshDatabase(), await freshDatabase()];
    await createSampleDatabase(
      { dialect: 'postgres', client: a.client },
      { customers: 300, seed: 7 },
    );
    const pool = new pg.Pool({ connectionString: b.url, max: 4 });
    try {
      // Two connections load tables side by side; the data must not depend on which finishes first.
      await createSampleDatabase(
        { dialect: 'postgres', client: pool },
        { customers: 300, seed: 7 },
      );
    } finally {
      await pool.end();
    }
    await createSampleDatabase(
      { dialect: 'postgres', client: c.client },
      { customers: 300, seed: 8 },
    );

    const [sumsA, sumsB, sumsC] = [
      await checksums(a.client),
      await checksums(b.client),
      await checksums(c.client),
    ];
    expect(sumsB).toEqual(sumsA);
    for (const { name } of sampleTables) expect(sumsC[name]).not.toEqual(sumsA[name]);
  });

  it('has cursor ties, µs precision and a coherent timeline in every table', async () => {
    const { client } = await freshDatabase();
    await createSampleDatabase({ dialect: 'postgres', client }, { customers: 2000 });
    for (const table of ['customers', 'accounts']) {
      const ties = await one<{ rows: number; distinct: number; biggest: number }>(
        client,
        `select count(*)::int as rows, count(distinct updated_at)::int as distinct,
           (select max(n)::int from (select count(*) as n from ${table} group by updated_at) g) as biggest from ${table}`,
      );
      expect(ties.rows).toBeGreaterThan(ties.distinct * 1.5);
      expect(ties.biggest).toBeGreaterThanOrEqual(3);
    }
    expect(
      await one(client, `select count(*) > count(distinct created_at) as tied from orders`),
    ).toEqual({ tied: true });

    const micros = await one<{ n: number }>(
      client,
      `select count(*)::int as n from customers where extract(microseconds from updated_at)::bigint % 1000 <> 0`,
    );
    expect(micros.n).toBeGreaterThan(1000);

    const end = '2026-01-01T00:00:00Z';
    const violations = await one(
      client,
      `select
         (select count(*)::int from customers where updated_at < signup_at or updated_at >= $1 or signup_at >= $1) as customers,
         (select count(*)::int from accounts a join customers c on c.id = a.customer_id
            where a.created_at < c.signup_at or a.updated_at < a.created_at or a.closed_at <> a.updated_at) as accounts,
         (select count(*)::int from orders o join customers c on c.id = o.customer_id where o.created_at < c.signup_at or o.created_at >= $1) as orders,
         (select count(*)::int from orders where amount <> (select sum((i->>'qty')::numeric * (i->>'unit_price')::numeric) from jsonb_array_elements(items) i)) as order_totals`,
      [end],
    );
    expect(violations).toEqual({ customers: 0, accounts: 0, orders: 0, order_totals: 0 });

    // Late-arriving events: id order (arrival) is not occurred_at order, as with real device clocks.
    const late = await one<{ n: number }>(
      client,
      `select count(*)::int as n from (select occurred_at < lag(occurred_at) over (order by id) as late from events) e where late`,
    );
    expect(late.n).toBeGreaterThan(100);
  });

  it('stores integers and decimals beyond 2^53 exactly', async () => {
    const { client } = await freshDatabase();
    await createSampleDatabase({ dialect: 'postgres', client }, { customers: 1000 });
    expect(
      await one(client, `select external_ref::text as ref from customers where id = 1`),
    ).toEqual({ ref: '9007199254740993' });
    const refs = await client.query<{ id: string; ref: string }>(
      `select id::text, external_ref::text as ref from customers where external_ref is not null`,
    );
    expect(refs.rows.length).toBeGreaterThan(900);
    for (const { id, ref } of refs.rows)
      expect(ref).toBe(String(BEYOND_2_53 + 2n * (BigInt(id) - 1n)));

    const big = await client.query<{ value: string }>(
      `select lifetime_value::text as value from customers where lifetime_value > 9007199254740992`,
    );
    expect(big.rows.length).toBeGreaterThan(5);
    for (const { value } of big.rows) expect(value).toMatch(/^9\d{15,}\.\d{10}$/);

    const ledger = await client.query<{ id: string; ledger: string }>(
      `select id::text, (attributes->'ledger_id')::text as ledger from customers where attributes ? 'ledger_id'`,
    );
    expect(ledger.rows.length).toBeGreaterThan(10);
    for (const { id, ledger: value } of ledger.rows)
      expect(value).toBe(String(BEYOND_2_53 + 2n * BigInt(id)));
  });

  it('round-trips unicode and awkward text exactly, and soft-deletes about 2% of customers', async () => {
    const { client } = await freshDatabase();
    const options = { customers: 1500, seed: 3 };
    await createSampleDatabase({ dialect: 'postgres', client }, options);
    const { rows } = await client.query<{ cells: (string | null)[] }>(
      `select array[id::text, email, full_name, country::text, plan, is_deleted::text, notes, lifetime_value::text] as cells from customers order by id`,
    );
    const plan = planSample({
      seed: 3,
      endMicros: microsOf(new Date('2026-01-01T00:00:00Z')),
      customers: 1500,
      accountsPerCustomer: 1.5,
      ordersPerCustomer: 4,
      eventsPerCustomer: 10,
    });
    const expected = [...customerRows(plan)].map((cells) => [
      cells[0],
      cells[1],
      cells[2],
      cells[3],
      cells[4],
      cells[7] === 't' ? 'true' : 'false',
      cells[8],
      cells[9],
    ]);
    expect(rows.map((row) => row.cells)).toEqual(expected);

    const names = rows.map((row) => row.cells[2] ?? '').join('');
    for (const script of [
      /[À-ž]/u,
      /\p{Script=Han}/u,
      /\p{Script=Hangul}/u,
      /\p{Script=Arabic}/u,
      /\p{Script=Hebrew}/u,
      /\p{Extended_Pictographic}/u,
    ])
      expect(names).toMatch(script);
    const notes = rows.map((row) => row.cells[6]).filter((note) => note !== null);
    for (const awkward of ['\n', '\r\n', '\t', '\\', '"', ',', '\\N'])
      expect(notes.some((note) => note!.includes(awkward))).toBe(true);
    expect(notes).toContain('');
    expect(
      rows.filter((row) => row.cells[1] !== row.cells[1]!.toLowerCase()).length,
    ).toBeGreaterThan(50);
    expect(rows.filter((row) => row.cells[1]!.includes('+')).length).toBeGreaterThan(50);

    const deleted = rows.filter((row) => row.cells[5] === 'true').length;
    expect(deleted).toBeGreaterThan(10);
    expect(deleted).toBeLessThan(60);
  });

  it('indexes every table for keyset reads and enforces its keys', async () => {
    const { client } = await freshDatabase();
    await createSampleDatabase({ dialect: 'postgres', client }, { customers: 50, schema: 'crm' });
    const { rows } = await client.query<{ definition: string }>(
      `select indexdef as definition from pg_indexes where schemaname = 'crm' order by indexname`,
    );
    const definitions = rows.map((row) => row.definition.replace(/ USING btree/, ''));
    expect(definitions).toEqual(
      expect.arrayContaining([
        'CREATE INDEX customers_updated_at_id_idx ON crm.customers (updated_at, id)',
        'CREATE INDEX accounts_updated_at_id_idx ON crm.accounts (updated_at, id)',
        'CREATE INDEX orders_created_at_id_idx ON crm.orders (created_at, id)',
        'CREATE INDEX events_occurred_at_id_idx ON crm.events (occurred_at, id)',
        'CREATE UNIQUE INDEX customers_email_key ON crm.customers (email)',
        'CREATE UNIQUE INDEX events_pkey ON crm.events (id)',
      ]),
    );
    await expect(
      client.query(
        `insert into crm.accounts (id, customer_id, updated_at) values (999999, 999999, now())`,
      ),
    ).rejects.toThrow(/foreign key/);
  });

  it('refuses to overwrite existing tables unless asked to, and rejects bad options', async () => {
    const { client } = await freshDatabase();
    await createSampleDatabase({ dialect: 'postgres', client }, { customers: 20 });
    await expect(
      createSampleDatabase({ dialect: 'postgres', client }, { customers: 20 }),
    ).rejects.toThrow(SampleDbError);
    await expect(
      createSampleDatabase({ dialect: 'postgres', client }, { customers: 20 }),
    ).rejects.toThrow(/--drop/);
    expect(
      await createSampleDatabase(
        { dialect: 'postgres', client },
        { customers: 30, dropExisting: true },
      ),
    ).toMatchObject({ customers: 30 });
    await expect(
      createSampleDatabase({ dialect: 'postgres', client }, { customers: -1 }),
    ).rejects.toThrow(/customers/);
    await expect(
      createSampleDatabase({ dialect: 'postgres', client }, { customers: 1.5 }),
    ).rejects.toThrow(SampleDbError);
  });

  it('leaves no half-built sample behind when a step fails', async () => {
    const database = await freshDatabase();
    // An index of that name already in the schema makes the last step of the events table fail.
    await database.client.query(
      'create table unrelated (x int); create index events_occurred_at_id_idx on unrelated (x)',
    );
    const pool = new pg.Pool({ connectionString: database.url, max: 3 });
    try {
      await expect(
        createSampleDatabase({ dialect: 'postgres', client: pool }, { customers: 200 }),
      ).rejects.toThrow(/events_occurred_at_id_idx/);
    } finally {
      await pool.end();
    }
    const { rows } = await database.client.query(
      `select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(rows).toEqual([{ table_name: 'unrelated' }]);
  });

  it(
    'reports its throughput for 100k customers (printed, not asserted)',
    { timeout: 180_000 },
    async () => {
      const { client } = await freshDatabase();
      const started = performance.now();
      const counts = await createSampleDatabase(
        { dialect: 'postgres', client },
        { customers: 100_000 },
      );
      const seconds = (performance.now() - started) / 1000;
      const rows = Object.values(counts).reduce((sum, n) => sum + n, 0);
      console.log(
        `sample-db: ${rows.toLocaleString('en-US')} rows (100k customers) in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s over one connection; RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
      );
      expect(counts.customers).toBe(100_000);
    },
  );
});
