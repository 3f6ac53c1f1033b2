import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jobError, NOW } from '../../lib/prequel/contract/health/fixtures.test-helpers';
import { tenant } from '../../lib/prequel/contract/health/tenant-health-cases.test-helpers';
import { seedShared, seedTenant, type SeededTenant } from '../testing/health-fixtures';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { uuidv7 } from '../store/uuid';
import { readProviderHealth } from './provider-health';
import { refreshProviderHealth } from './refresh-provider-health';
import { readErrorGroups } from './shared-failures';

let database: TestDatabase;
let shared: Awaited<ReturnType<typeof seedShared>>;
beforeAll(async () => {
  database = await createTestDatabase();
  shared = await seedShared(database.db);
});
afterAll(() => database.drop());

const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
const authFailure = jobError('source_auth_failed', 'source', 'Postgres refused the password.');

/** The tenant's health as the overview reads it at `now`. */
async function healthOf(seeded: SeededTenant, now = NOW) {
  const page = await readProviderHealth(database.db, {
    now,
    search: seeded.providerId,
    pageSize: 10,
  });
  expect(page.providers).toHaveLength(1);
  const [provider] = page.providers;
  return { health: provider!.health, kinds: provider!.problems.map((problem) => problem.kind) };
}

async function newJob(
  table: 'extracts' | 'loads',
  ownerId: string,
  status: string,
  error: unknown = null,
) {
  const owner = table === 'extracts' ? 'dataset_id' : 'stream_id';
  const id = uuidv7();
  await database.db.query(
    `insert into ${table} (id, ${owner}, status, submitted_at, started_at, ended_at, error)
     values ($1, $2, $3, $4, $4, case when $3 in ('succeeded', 'failed') then $4::timestamptz end,
       $5)`,
    [id, ownerId, status, minutes(-1).toISOString(), error === null ? null : JSON.stringify(error)],
  );
  return id;
}

describe('the health read stays true as jobs finish and objects change', () => {
  test('a failed extract, then one that succeeds, show at the next read', async () => {
    const seeded = await seedTenant(database.db, shared, tenant());
    const dataset = seeded.ids.get('dataset-orders')!;
    expect(await healthOf(seeded)).toEqual({ health: 'healthy', kinds: [] });
    await newJob('extracts', dataset, 'failed', authFailure);
    expect(await healthOf(seeded)).toEqual({ health: 'failing', kinds: ['extract_failed'] });
    // Queued, then running: nothing finished, the failure stands.
    const id = await newJob('extracts', dataset, 'queued');
    await database.db.query(`update extracts set status = 'running' where id = $1`, [id]);
    expect((await healthOf(seeded)).health).toBe('failing');
    await database.db.query(
      `update extracts set status = 'succeeded', ended_at = $2 where id = $1`,
      [id, minutes(-0.5).toISOString()],
    );
    expect(await healthOf(seeded)).toEqual({ health: 'healthy', kinds: [] });
  });

  test('a failed load, a stream stopped, a source unreachable and a rename show at the next read', async () => {
    const seeded = await seedTenant(database.db, shared, tenant());
    const stream = seeded.ids.get('stream-orders')!;
    const source = seeded.ids.get('source-1')!;
    expect((await healthOf(seeded)).health).toBe('healthy');
    const id = await newJob('loads', stream, 'running');
    await database.db.query(
      `update loads set status = 'failed', ended_at = $2, error = $3 where id = $1`,
      [
        id,
        minutes(-0.5).toISOString(),
        JSON.stringify(jobError('destination_rejected', 'destination', 'The endpoint said no.')),
      ],
    );
    expect(await healthOf(seeded)).toEqual({ health: 'failing', kinds: ['load_failed'] });
    await database.db.query(
      `update streams set disabled_reason = 'gone', disabled_at = $2 where id = $1`,
      [stream, minutes(-0.2).toISOString()],
    );
    expect((await healthOf(seeded)).kinds).toEqual(['stream_stopped']);
    await database.db.query(`update sources set is_reachable = false where id = $1`, [source]);
    expect((await healthOf(seeded)).kinds).toEqual(['stream_stopped', 'source_unreachable']);
    await database.db.query(`update providers set name = 'Renamed Co' where id = $1`, [
      seeded.providerId,
    ]);
    const page = await readProviderHealth(database.db, {
      now: NOW,
      search: 'renamed co',
      pageSize: 10,
    });
    expect(page.providers.map((provider) => provider.id)).toEqual([seeded.providerId]);
  });

  test('data turns stale as time passes two missed refreshes, and fresh again read earlier', async () => {
    // Succeeded 10 minutes before NOW, hourly: stale from two refreshes and a minute later.
    const seeded = await seedTenant(database.db, shared, tenant());
    expect((await healthOf(seeded, minutes(110))).health).toBe('healthy');
    expect(await healthOf(seeded, minutes(111))).toEqual({
      health: 'degraded',
      kinds: ['data_stale'],
    });
    expect((await healthOf(seeded, minutes(110))).health).toBe('healthy');
  });

  test('a read judges again only the providers that changed', async () => {
    const [first, second] = [
      await seedTenant(database.db, shared, tenant()),
      await seedTenant(database.db, shared, tenant()),
    ];
    await refreshProviderHealth(database.db, NOW);
    expect(await refreshProviderHealth(database.db, NOW)).toBe(0);
    await newJob('loads', first.ids.get('stream-orders')!, 'queued');
    expect(await refreshProviderHealth(database.db, NOW)).toBe(1);
    await database.db.query(`update sources set is_reachable = false where id = $1`, [
      second.ids.get('source-1')!,
    ]);
    expect(await refreshProviderHealth(database.db, NOW)).toBe(1);
    // Progress of a running job changes nothing the health reads.
    const id = await newJob('extracts', first.ids.get('dataset-orders')!, 'running');
    expect(await refreshProviderHealth(database.db, NOW)).toBe(1);
    await database.db.query(`update extracts set rows_read = 500 where id = $1`, [id]);
    expect(await refreshProviderHealth(database.db, NOW)).toBe(0);
  });

  test('the error groups follow the newest job of each dataset', async () => {
    const seeded = await seedTenant(database.db, shared, tenant(), { name: 'Grouped Co' });
    const dataset = seeded.ids.get('dataset-orders')!;
    const failure = jobError('source_auth_failed', 'source', 'Postgres refused "grouped_user".');
    const tenantsFailing = async () => {
      await refreshProviderHealth(database.db, NOW);
      const groups = await readErrorGroups(database.db);
      return groups
        .filter((group) => group.code === 'source_auth_failed')
        .flatMap((group) => group.tenants.map((tenant) => tenant.name));
    };
    expect(await tenantsFailing()).not.toContain('Grouped Co');
    await newJob('extracts', dataset, 'failed', failure);
    expect(await tenantsFailing()).toContain('Grouped Co');
    expect(await tenantsFailing()).toContain('Grouped Co');
    await database.db.query(`update providers set name = 'Regrouped Co' where id = $1`, [
      seeded.providerId,
    ]);
    expect(await tenantsFailing()).toContain('Regrouped Co');
    await newJob('extracts', dataset, 'queued');
    expect(await tenantsFailing()).not.toContain('Regrouped Co');
  });
});

describe('the counts and the search read a handful of rows, whatever the number of providers', () => {
  const countsByScan = async () => {
    const { rows } = await database.db.query<{ health: string; n: number }>(
      `select health, count(*)::int as n from provider_health group by health`,
    );
    return {
      failing: 0,
      degraded: 0,
      onboarding_incomplete: 0,
      healthy: 0,
      ...Object.fromEntries(rows.map((row) => [row.health, row.n])),
    };
  };
  const tallied = async () =>
    (await readProviderHealth(database.db, { now: NOW, pageSize: 1 })).counts;

  test('the tallied counts stay those of every judgement through changes, removals and folds', async () => {
    const seeded = [];
    for (let n = 0; n < 4; n++) seeded.push(await seedTenant(database.db, shared, tenant()));
    expect(await tallied()).toEqual(await countsByScan());
    // Judged again many times over (each judgement appends to the tallies, a read folds them).
    for (let round = 0; round < 40; round++) {
      const { ids } = seeded[round % seeded.length]!;
      await newJob(
        'extracts',
        ids.get('dataset-orders')!,
        round % 2 ? 'succeeded' : 'failed',
        authFailure,
      );
      expect(await tallied()).toEqual(await countsByScan());
    }
    const { rows } = await database.db.query<{ n: number }>(
      'select count(*)::int as n from provider_health_tallies',
    );
    expect(rows[0]!.n).toBeLessThan(70);
    // As when a provider is deleted (its judgement goes with it).
    await database.db.query('delete from provider_health where provider_id = $1', [
      seeded[0]!.providerId,
    ]);
    expect(await tallied()).toEqual(await countsByScan());
  });

  test('a search matches a part of the name or id as typed: % and _ are no wildcards', async () => {
    const percent = await seedTenant(database.db, shared, tenant(), { name: 'Half 50% Off' });
    const underscore = await seedTenant(database.db, shared, tenant(), { name: 'Snake_Case Ltd' });
    const plain = await seedTenant(database.db, shared, tenant(), { name: 'Snakes Case Ltd' });
    const found = async (search: string) =>
      (await readProviderHealth(database.db, { now: NOW, search, pageSize: 50 })).providers.map(
        (provider) => provider.id,
      );
    expect(await found('0% o')).toEqual([percent.providerId]);
    expect(await found('e_c')).toEqual([underscore.providerId]);
    expect(await found('SNAKES')).toEqual([plain.providerId]);
    expect(await found(plain.providerId.slice(2).toUpperCase())).toEqual([plain.providerId]);
    const page = await readProviderHealth(database.db, { now: NOW, search: 'snake', pageSize: 50 });
    expect(page.counts.healthy).toBe(2);
  });
});
