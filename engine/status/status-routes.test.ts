import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ProviderHealthListSchema,
  type ProviderHealthList,
} from '../../lib/prequel/contract/provider-health';
import {
  at,
  extract,
  failedExtract,
  jobError,
  load,
} from '../../lib/prequel/contract/health/fixtures.test-helpers';
import {
  dataset,
  stream,
  tenant,
} from '../../lib/prequel/contract/health/tenant-health-cases.test-helpers';
import type { TenantHealthInput } from '../../lib/prequel/contract/health/tenant-health';
import { seedShared, seedTenant } from '../testing/health-fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

let api: TestEngine;
let shared: Awaited<ReturnType<typeof seedShared>>;
beforeAll(async () => {
  api = await startTestEngine();
  shared = await seedShared(api.engine.db);
});
afterAll(() => api.close());

// The fixtures' clock is in the past: a refresh period of a year keeps their data from going stale meanwhile.
const YEARLY = 525_600;
const launched = (overrides: Partial<TenantHealthInput> = {}) =>
  tenant({ datasets: [dataset({ frequencyMinutes: YEARLY })], ...overrides });
const authFailure = (user: string) =>
  jobError(
    'source_auth_failed',
    'source',
    `Postgres refused the password for user "${user}".`,
    'Could not connect',
  );
const failingSince = (minutes: number, user = 'app') =>
  launched({
    datasets: [
      dataset({
        frequencyMinutes: YEARLY,
        latestExtract: failedExtract(minutes, authFailure(user)),
      }),
    ],
  });
const slowSince = (minutes: number) =>
  launched({
    datasets: [
      dataset({
        frequencyMinutes: YEARLY,
        latestExtract: failedExtract(
          minutes,
          jobError('source_connection_lost', 'source', 'The connection dropped.'),
        ),
      }),
    ],
  });

async function list(query: Record<string, string | number>): Promise<ProviderHealthList> {
  const response = await api.request(
    'GET',
    `/import/status/providers?${new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]))}`,
  );
  expect(response.status, response.text).toBe(200);
  return ProviderHealthListSchema.parse(response.body);
}

async function follow(url: string | null): Promise<ProviderHealthList> {
  expect(url).not.toBeNull();
  const response = await api.request('GET', url!);
  expect(response.status, response.text).toBe(200);
  return ProviderHealthListSchema.parse(response.body);
}

const names = (page: ProviderHealthList) => page.data.providers.map((provider) => provider.name);

describe('GET /import/status/providers', () => {
  const prefix = `Sortco ${randomBytes(3).toString('hex')}`;
  beforeAll(async () => {
    const tenants: [string, TenantHealthInput][] = [
      ['fine', launched()],
      ['new', tenant({ sources: [], datasets: [], streams: [] })],
      ['slow', slowSince(30)],
      ['down an hour', failingSince(60, 'one')],
      [
        'down, since unknown',
        launched({
          streams: [stream({ is_enabled: false, disabled_reason: 'gone', latestLoad: load(5) })],
        }),
      ],
      ['down a day', failingSince(1440, 'two')],
      ['slow for days', slowSince(4000)],
    ];
    for (const [name, input] of tenants)
      await seedTenant(api.engine.db, shared, input, { name: `${prefix} ${name}` });
  });

  test('worst first, then broken longest first, unknown starts last; with the problems and the counts', async () => {
    const page = await list({ search: prefix, page_size: 100 });
    expect(names(page)).toEqual(
      [
        'down a day',
        'down an hour',
        'down, since unknown',
        'slow for days',
        'slow',
        'new',
        'fine',
      ].map((name) => `${prefix} ${name}`),
    );
    expect(
      page.data.providers.map((provider) => [
        provider.health,
        provider.broken_since && new Date(provider.broken_since).getTime(),
      ]),
    ).toEqual([
      ['failing', at(1440).getTime()],
      ['failing', at(60).getTime()],
      ['failing', null],
      ['degraded', at(4000).getTime()],
      ['degraded', at(30).getTime()],
      ['onboarding_incomplete', null],
      ['healthy', null],
    ]);
    expect(page.data.providers[0]!.problems).toEqual([
      expect.objectContaining({
        kind: 'extract_failed',
        level: 'failing',
        runs: 1,
        object: expect.objectContaining({ name: 'orders' }),
        error: expect.objectContaining({ error_code: 'source_auth_failed' }),
      }),
    ]);
    expect(page.data.providers[5]).toMatchObject({
      onboarding_step: 'connect_source',
      problems: [],
    });
    expect(page.data.counts).toEqual({
      failing: 3,
      degraded: 2,
      onboarding_incomplete: 1,
      healthy: 1,
    });
    expect(page).toMatchObject({
      has_next: false,
      next_url: null,
      has_previous: false,
      previous_url: null,
    });
  });

  test('searches names and ids, case-insensitively, and filters by health', async () => {
    expect(names(await list({ search: `${prefix} SLOW`.toUpperCase() }))).toEqual([
      `${prefix} slow for days`,
      `${prefix} slow`,
    ]);
    const failing = await list({ search: prefix, health: 'failing' });
    expect(failing.data.providers.map((provider) => provider.health)).toEqual([
      'failing',
      'failing',
      'failing',
    ]);
    // The counts are the search's, whatever the health filter.
    expect(failing.data.counts).toEqual({
      failing: 3,
      degraded: 2,
      onboarding_incomplete: 1,
      healthy: 1,
    });

    const { providerId } = await seedTenant(api.engine.db, shared, launched(), {
      id: `Findme-${randomBytes(3).toString('hex')}`,
      name: 'Someone else',
    });
    expect(
      (await list({ search: providerId.toLowerCase() })).data.providers.map(
        (provider) => provider.id,
      ),
    ).toEqual([providerId]);
    expect(
      (await list({ search: `nothing-like-${randomBytes(4).toString('hex')}` })).data,
    ).toMatchObject({
      providers: [],
      counts: { failing: 0, degraded: 0, onboarding_incomplete: 0, healthy: 0 },
    });
  });

  test('pages forward and back with cursors, through ties broken by name', async () => {
    const tie = `Tieco ${randomBytes(3).toString('hex')}`;
    for (const n of [7, 3, 12, 1, 9, 5, 11, 2, 10, 4, 8, 6]) {
      await seedTenant(api.engine.db, shared, tenant({ sources: [], datasets: [], streams: [] }), {
        name: `${tie} ${String(n).padStart(2, '0')}`,
      });
    }
    const expected = Array.from(
      { length: 12 },
      (_, index) => `${tie} ${String(index + 1).padStart(2, '0')}`,
    );

    const first = await list({ search: tie, page_size: 5 });
    expect(names(first)).toEqual(expected.slice(0, 5));
    expect(first).toMatchObject({ has_next: true, has_previous: false, previous_url: null });
    expect(new URL(first.next_url!).searchParams.get('search')).toBe(tie);
    expect(new URL(first.next_url!).searchParams.get('page_size')).toBe('5');

    const second = await follow(first.next_url);
    expect(names(second)).toEqual(expected.slice(5, 10));
    expect(second).toMatchObject({ has_next: true, has_previous: true });
    const third = await follow(second.next_url);
    expect(names(third)).toEqual(expected.slice(10));
    expect(third).toMatchObject({ has_next: false, next_url: null, has_previous: true });

    const backToSecond = await follow(third.previous_url);
    expect(names(backToSecond)).toEqual(expected.slice(5, 10));
    expect(backToSecond).toMatchObject({ has_next: true, has_previous: true });
    const backToFirst = await follow(backToSecond.previous_url);
    expect(names(backToFirst)).toEqual(expected.slice(0, 5));
    expect(backToFirst).toMatchObject({ has_next: true, has_previous: false, previous_url: null });
  });

  test('groups the failures of every tenant, whatever the search', async () => {
    const code = `auth_${randomBytes(3).toString('hex')}`;
    const failure = (user: string) =>
      jobError(
        code,
        'source',
        `Postgres refused the password for user "${user}".`,
        'Could not connect',
      );
    const failed = (minutes: number, user: string) =>
      launched({
        datasets: [
          dataset({
            frequencyMinutes: YEARLY,
            latestExtract: failedExtract(minutes, failure(user)),
          }),
        ],
      });
    await seedTenant(api.engine.db, shared, failed(90, 'globex_ro'), { name: 'Globex' });
    const acme = await seedTenant(api.engine.db, shared, failed(20, 'acme_ro'), { name: 'Acme' });
    // A failure that a later success ended is not a current one.
    await seedTenant(
      api.engine.db,
      shared,
      launched({
        datasets: [
          dataset({
            frequencyMinutes: YEARLY,
            latestExtract: extract(5),
            recentExtracts: [failedExtract(50, failure('old'))],
          }),
        ],
      }),
      { name: 'Recovered' },
    );

    const page = await list({ search: `nothing-like-${randomBytes(4).toString('hex')}` });
    const group = page.data.error_groups.find((candidate) => candidate.code === code);
    expect(group).toEqual({
      signature: `${code}: Postgres refused the password for user "<name>".`,
      code,
      title: 'Could not connect',
      example: 'Postgres refused the password for user "acme_ro".',
      count: 2,
      tenant_count: 2,
      tenants: [
        { id: acme.providerId, name: 'Acme' },
        { id: expect.any(String), name: 'Globex' },
      ],
      first_seen: at(90).toISOString(),
      last_seen: at(20).toISOString(),
    });
  });

  test('refuses a cursor it did not issue and a health it does not know', async () => {
    const forged = Buffer.from(
      JSON.stringify({ s: -3, b: 'not a time', n: 'x', i: 'y', d: 'next' }),
    ).toString('base64url');
    for (const cursor of ['garbage', forged]) {
      const response = await api.request<{ error: { code: string } }>(
        'GET',
        `/import/status/providers?cursor=${cursor}`,
      );
      expect(response.status, response.text).toBe(400);
      expect(response.body.error.code).toBe('invalid_cursor');
    }
    expect((await api.request('GET', '/import/status/providers?health=sad')).status).toBe(400);
    expect((await api.request('GET', '/import/status/providers?page_size=101')).status).toBe(400);
  });

  test('is documented as an extension in the OpenAPI document', async () => {
    const doc = (
      await api.request<{
        paths: Record<string, { get?: { summary: string; parameters: { name: string }[] } }>;
      }>('GET', '/openapi.json')
    ).body;
    const operation = doc.paths['/import/status/providers']?.get;
    expect(operation?.summary).toMatch(/^\(ext\) /);
    expect(operation?.parameters.map((parameter) => parameter.name).sort()).toEqual([
      'cursor',
      'health',
      'page_size',
      'search',
    ]);
  });
});
