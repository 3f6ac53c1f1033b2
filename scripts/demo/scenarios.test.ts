import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_FEEDS } from './demo-destinations';
import { DemoControlResponseSchema, type DemoState } from '../../lib/demo/demo-state';
import { databaseUrl } from './source-databases';
import type { PostgresSourceHints } from './source-hints';
import { type RunningDemo, startDemo } from './start-demo';
import { startDemoTestParts, type DemoTestParts } from './testing/demo-test-parts';

// The scenario switcher driven as the app drives it, over the control server, against a real engine, database and receiver.
const TOKEN = 'scenario-test-token-0123456789';
let parts: DemoTestParts;
let demo: RunningDemo;
let admin: pg.Pool;

/** The demo over the test's engine and database, small and quick, on free ports. */
const demoOptions = () => ({
  api: { url: parts.engine.baseUrl, apiKey: parts.engine.apiKey },
  pgAdminUrl: parts.pgAdminUrl,
  suffix: parts.suffix,
  acmeCustomers: 50,
  controlToken: TOKEN,
  receiverPort: 0,
  controlPort: 0,
  simulatorEveryMs: 100,
});

beforeAll(async () => {
  parts = await startDemoTestParts();
  demo = await startDemo({
    ...demoOptions(),
    slowLatencyMs: 400,
    largeTableRows: 50_000,
    onError: (error) => {
      throw error;
    },
  });
  admin = new pg.Pool({
    connectionString: databaseUrl(parts.pgAdminUrl, demo.seed.acme.source.database),
    max: 2,
  });
});
afterAll(async () => {
  await admin?.end();
  await demo?.stop();
  await parts?.close();
});

async function control(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  token: string | null = TOKEN,
) {
  const response = await fetch(`${demo.controlUrl}/demo${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await response.json()) as {
    status: string;
    data: DemoState;
    error?: { code: string };
  };
  // What the app parses the answers with.
  expect(DemoControlResponseSchema.safeParse(answer).success, JSON.stringify(answer)).toBe(true);
  return { status: response.status, body: answer };
}

async function switchTo(scenario: string, body: Record<string, unknown>): Promise<DemoState> {
  const response = await control('POST', `/scenarios/${scenario}`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data;
}

/** How a login as Acme's read-only user with the demo password ends: 'ok' or the Postgres error code. */
async function loginAsAcme(hints: PostgresSourceHints = demo.seed.acme.source): Promise<string> {
  const client = new pg.Client({
    host: hints.host,
    port: hints.port,
    database: hints.database,
    user: hints.username,
    password: hints.password,
  });
  try {
    await client.connect();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** A delivery as the engine would send it for `provider` (unsigned: answers after verification are 401). */
async function deliverAs(provider: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${demo.receiverUrl}/saas/users`, {
    method: 'POST',
    headers: { 'x-prequel-import-provider': provider, 'content-type': 'application/json' },
    body: '{"records":[],"format":"json"}',
  });
  await response.body?.cancel();
  return { status: response.status, ms: performance.now() - started };
}

const columnsOf = async (table: string) =>
  (
    await admin.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_name = $1 order by ordinal_position`,
      [table],
    )
  ).rows.map((row) => row.column_name);

describe('the control server', () => {
  test('refuses requests without the token, or with another one', async () => {
    expect((await control('GET', '/status', undefined, null)).status).toBe(401);
    expect((await control('GET', '/status', undefined, 'not-the-token')).status).toBe(401);
    expect((await control('POST', '/reset', undefined, null)).status).toBe(401);
    const status = await control('GET', '/status');
    expect(status.status).toBe(200);
    expect(Object.values(status.body.data.scenarios).map((scenario) => scenario.on)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  test('names what is wrong with a request', async () => {
    expect((await control('POST', '/scenarios/meteor_strike', { on: true })).body.error?.code).toBe(
      'unknown_scenario',
    );
    expect((await control('POST', '/scenarios/endpoint_500', { on: 'yes' })).status).toBe(400);
    expect((await control('GET', '/nowhere')).status).toBe(404);
  });
});

describe('scenarios', () => {
  test('credentials_rotated: the demo password stops working until it is switched off', async () => {
    expect(
      (await switchTo('credentials_rotated', { on: true })).scenarios.credentials_rotated.on,
    ).toBe(true);
    expect(await loginAsAcme()).toBe('28P01');
    expect(
      (await switchTo('credentials_rotated', { on: true })).scenarios.credentials_rotated.on,
    ).toBe(true);
    expect(
      (await switchTo('credentials_rotated', { on: false })).scenarios.credentials_rotated.on,
    ).toBe(false);
    expect(await loginAsAcme()).toBe('ok');
  });

  test('endpoint_500 and endpoint_slow: the receiver fails or stalls Acme’s deliveries only; Initech always fails', async () => {
    // Unsigned deliveries that reach verification answer 401: they were not scripted.
    expect((await deliverAs('acme')).status).toBe(401);
    expect((await deliverAs('initech')).status).toBe(500);
    expect((await switchTo('endpoint_500', { on: true })).scenarios.endpoint_500.on).toBe(true);
    expect((await deliverAs('acme')).status).toBe(500);
    expect((await deliverAs('globex')).status).toBe(401);

    const slow = await switchTo('endpoint_slow', { on: true });
    expect(slow.scenarios.endpoint_slow).toEqual({ on: true, latencyMs: 400 });
    const acme = await deliverAs('acme');
    expect(acme.status).toBe(500);
    expect(acme.ms).toBeGreaterThanOrEqual(390);
    expect((await deliverAs('globex')).ms).toBeLessThan(390);

    await switchTo('endpoint_500', { on: false });
    expect((await deliverAs('acme')).status).toBe(401);
    expect((await switchTo('endpoint_slow', { on: false })).scenarios.endpoint_slow.on).toBe(false);
    expect((await deliverAs('acme')).ms).toBeLessThan(390);
  });

  test('schema_drift: the mapped column is renamed and back, holding the simulator meanwhile', async () => {
    const drifted = await switchTo('schema_drift', { on: true });
    expect(drifted.scenarios.schema_drift).toEqual({
      on: true,
      table: 'customers',
      from: 'email',
      to: 'email_address',
    });
    expect(drifted.simulator).toMatchObject({ paused: false, held: true });
    expect(await columnsOf('customers')).toContain('email_address');
    expect(await columnsOf('customers')).not.toContain('email');
    expect((await switchTo('schema_drift', { on: true })).scenarios.schema_drift.on).toBe(true);

    const back = await switchTo('schema_drift', { on: false });
    expect(back.scenarios.schema_drift.on).toBe(false);
    expect(back.simulator.held).toBe(false);
    expect(await columnsOf('customers')).toContain('email');
  });

  test('large_table: a table of the configured size that Acme’s user can read, kept while a dataset reads it', async () => {
    const on = await switchTo('large_table', { on: true });
    expect(on.scenarios.large_table).toMatchObject({ on: true, table: 'big_events', inUse: false });
    expect(on.scenarios.large_table.rows).toBeGreaterThan(45_000);
    const reader = new pg.Client({ ...clientConfig(demo.seed.acme.source) });
    await reader.connect();
    expect((await reader.query('select count(*)::int as n from big_events')).rows[0].n).toBe(
      50_000,
    );
    await reader.end();

    await pickTableAsAcme('big_events');
    const kept = await switchTo('large_table', { on: false });
    expect(kept.scenarios.large_table).toMatchObject({ on: true, inUse: true });

    const fresh = await control('POST', '/reset-all');
    expect(fresh.body.data.scenarios.large_table).toMatchObject({ on: false, rows: null });
  });

  test('the simulator changes Acme’s database until paused', async () => {
    const count = async () =>
      (await admin.query<{ n: string }>('select count(*) as n from customers')).rows[0]!.n;
    expect(
      (await control('POST', '/simulator', { paused: true })).body.data.simulator,
    ).toMatchObject({ paused: true });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const paused = await count();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await count()).toBe(paused);
    expect(
      (await control('POST', '/simulator', { paused: false })).body.data.simulator,
    ).toMatchObject({ paused: false });
    await expect.poll(count, { timeout: 3000 }).not.toBe(paused);
  });
});

describe('resets', () => {
  test('reset turns every scenario off and keeps the customer’s setup', async () => {
    const setup = await pickTableAsAcme('customers');
    for (const scenario of [
      'credentials_rotated',
      'endpoint_500',
      'endpoint_slow',
      'schema_drift',
      'large_table',
    ])
      await switchTo(scenario, { on: true });
    await control('POST', '/simulator', { paused: true });

    const reset = await control('POST', '/reset');
    expect(Object.values(reset.body.data.scenarios).map((scenario) => scenario.on)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(reset.body.data.simulator).toMatchObject({ paused: false, held: false });
    expect(await loginAsAcme()).toBe('ok');
    expect(await columnsOf('customers')).toContain('email');
    expect((await deliverAs('acme')).status).toBe(401);
    expect(demo.receiver.control.snapshot().plan.routes.map((route) => route.provider)).toEqual([
      'initech',
    ]);
    expect((await parts.engine.request('GET', `/import/streams/${setup.streamId}`)).status).toBe(
      200,
    );
  });

  test('reset-all also deletes Acme’s sources, datasets and streams, and nobody else’s', async () => {
    await pickTableAsAcme('orders');
    await control('POST', '/reset-all');
    for (const plural of ['sources', 'datasets', 'streams']) {
      const acme = await parts.engine.request<{ data: Record<string, unknown[]> }>(
        'GET',
        `/import/${plural}?provider_id=acme`,
      );
      expect(acme.body.data[plural]).toEqual([]);
    }
    const globex = await parts.engine.request<{ data: { streams: unknown[] } }>(
      'GET',
      '/import/streams?provider_id=globex',
    );
    expect(globex.body.data.streams).toHaveLength(3);
  });

  test('a restart reports what the database says, and holds the simulator for a drift left on', async () => {
    await switchTo('schema_drift', { on: true });
    await switchTo('credentials_rotated', { on: true });
    await demo.stop();
    demo = await startDemo(demoOptions());
    const status = (await control('GET', '/status')).body.data;
    expect(status.scenarios).toMatchObject({
      schema_drift: { on: true },
      credentials_rotated: { on: true },
      endpoint_500: { on: false },
    });
    expect(status.simulator.held).toBe(true);
    await control('POST', '/reset');
  });
});

function clientConfig(hints: PostgresSourceHints) {
  return {
    host: hints.host,
    port: hints.port,
    database: hints.database,
    user: hints.username,
    password: hints.password,
  };
}

/** What the presenter does in the wizard, reduced to its API calls: a source, a dataset of `table`, a stream. */
async function pickTableAsAcme(table: string): Promise<{ streamId: string }> {
  const hints = demo.seed.acme.source;
  const post = async (path: string, key: string, body: unknown) => {
    const response = await parts.engine.request<{ data: Record<string, { id: string }> }>(
      'POST',
      path,
      { [key]: body },
    );
    expect(response.status, response.text).toBe(200);
    return response.body.data[key]!.id;
  };
  const sourceId = await post('/import/sources', 'source', {
    name: `Acme ${table}`,
    vendor: 'postgres',
    provider_id: 'acme',
    postgres: {
      host: hints.host,
      port: hints.port,
      database: hints.database,
      disable_ssl: true,
      auth_method: 'password_auth',
      password_auth: { username: hints.username, password: hints.password },
    },
  });
  const datasetId = await post('/import/datasets', 'dataset', {
    source_id: sourceId,
    method: 'table',
    table: { source_table_namespace: 'public', source_table_name: table },
    type: 'fact',
    fact: {
      primary_key_column: 'id',
      created_at_column: table === 'big_events' ? 'occurred_at' : 'created_at',
    },
  });
  const streamId = await post('/import/streams', 'stream', {
    name: `Acme ${table}`,
    dataset_id: datasetId,
    destination_id: demo.seed.destinationIds.orders,
    is_enabled: false,
    mappings: DEMO_FEEDS.orders.mappings,
  });
  return { streamId };
}
