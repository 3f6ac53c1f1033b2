import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acmeSourceSpec } from './demo-defaults';
import { type DemoSeed, seedDemo, type SeedDemoOptions } from './seed-demo';
import { createReceiver } from '../receiver/create-receiver';
import { startDemoTestParts, type DemoTestParts } from './testing/demo-test-parts';

let parts: DemoTestParts;
let options: SeedDemoOptions;
let first: DemoSeed;

beforeAll(async () => {
  parts = await startDemoTestParts({ jobs: true });
  options = {
    api: { url: parts.engine.baseUrl, apiKey: parts.engine.apiKey },
    receiverUrl: parts.receiver.url,
    pgAdminUrl: parts.pgAdminUrl,
    suffix: parts.suffix,
    acmeCustomers: 50,
  };
  first = await seedDemo(options);
});
afterAll(() => parts?.close());

type Named = { id: string; name: string; is_enabled?: boolean };
const list = async (path: string, plural: string, query = '') =>
  (
    await parts.engine.request<{ data: Record<string, Named[]> }>(
      'GET',
      `${path}?page_size=100${query}`,
    )
  ).body.data[plural]!;

describe('seedDemo', () => {
  test('sets up the SaaS, Acme Corp waiting to be onboarded, and tenants already running', async () => {
    expect((await list('/import/datalakes', 'datalakes')).map((lake) => lake.name)).toEqual([
      'Demo datalake',
    ]);
    const destinations = (await list('/import/destinations', 'destinations')) as (Named & {
      timeout_seconds?: number;
    })[];
    expect(destinations.map((destination) => destination.name).sort()).toEqual([
      'Accounts',
      'Orders',
      'Users',
    ]);
    // Each has its own 5 s deadline (the slow-endpoint scenario): the engine's own stays the default for everyone else.
    expect(destinations.map((destination) => destination.timeout_seconds)).toEqual([5, 5, 5]);
    expect(
      (await list('/import/providers', 'providers'))
        .map((provider) => [provider.id, provider.name])
        .sort(),
    ).toEqual([
      ['acme', 'Acme Corp'],
      ['globex', 'Globex Corporation'],
      ['initech', 'Initech'],
      ['umbrella', 'Umbrella Health'],
    ]);
    // Acme's source, datasets and streams are the presenter's to make, in the wizard.
    expect(await list('/import/sources', 'sources', '&provider_id=acme')).toEqual([]);
    const globex = await list('/import/streams', 'streams', '&provider_id=globex');
    expect(globex.map((stream) => [stream.name, stream.is_enabled]).sort()).toEqual([
      ['accounts → Accounts', true],
      ['customers → Users', true],
      ['orders → Orders', true],
    ]);
    expect(first.tenants.map((tenant) => [tenant.id, tenant.streamIds.length])).toEqual([
      ['globex', 3],
      ['initech', 2],
      ['umbrella', 0],
    ]);
  });

  test(
    'a running tenant’s records fit the destinations’ schemas and reach the receiver',
    { timeout: 30_000 },
    async () => {
      const delivered = await parts.receiver.waitFor(() => {
        const globex = parts.receiver.store
          .providers()
          .find((summary) => summary.provider === 'globex');
        const received = (path: string) =>
          globex?.paths.find((summary) => summary.path === path)?.latestKeys ?? 0;
        return (
          received('/saas/users') === 300 &&
          received('/saas/accounts') === 450 &&
          received('/saas/orders') === 1200
        );
      }, 25_000);
      expect(delivered.rejections).toBe(0);
      const loads = (
        await parts.engine.request<{
          data: { loads: { records_errored: number; provider_id?: string }[] };
        }>('GET', '/import/loads?page_size=100')
      ).body.data.loads;
      expect(loads.length).toBeGreaterThan(0);
      expect(loads.map((load) => load.records_errored)).toEqual(loads.map(() => 0));
    },
  );

  test('a second run finds everything and changes nothing', async () => {
    const changesBefore = (await list('/logs', 'logs')).length;
    const second = await seedDemo(options);
    expect(second).toEqual(first);
    expect((await list('/logs', 'logs')).length).toBe(changesBefore);
    expect(await list('/import/destinations', 'destinations')).toHaveLength(3);
    expect(await list('/import/datasets', 'datasets')).toHaveLength(5);
  });

  test('Acme’s database answers its read-only user with the demo password, and refuses writes', async () => {
    const hints = first.acme.source;
    expect(hints).toMatchObject({
      database: acmeSourceSpec(parts.suffix).database,
      username: acmeSourceSpec(parts.suffix).role,
      password: 'acme-demo-password',
    });
    const client = new pg.Client({
      host: hints.host,
      port: hints.port,
      database: hints.database,
      user: hints.username,
      password: hints.password,
    });
    await client.connect();
    try {
      expect((await client.query('select count(*)::int as n from customers')).rows[0].n).toBe(50);
      await expect(
        client.query(`insert into customers (id, updated_at) values (999999, now())`),
      ).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  });

  test('a restart with the receiver on another port points the destinations at it', async () => {
    const elsewhere = createReceiver({ engineUrl: parts.engine.baseUrl });
    await elsewhere.start();
    try {
      const moved = await seedDemo({ ...options, receiverUrl: elsewhere.url });
      expect(moved.destinationIds).toEqual(first.destinationIds);
      const users = await parts.engine.request<{
        data: { destination: { webhook_batch: { request_template: { uri: string } } } };
      }>('GET', `/import/destinations/${first.destinationIds.users}`);
      expect(users.body.data.destination.webhook_batch.request_template.uri).toBe(
        `${elsewhere.url}/saas/users`,
      );
    } finally {
      await seedDemo(options);
      await elsewhere.stop();
    }
  });
});
