import { describe, expect, test } from 'vitest';
import { at, extract, failedExtract, failedLoad, jobError, load, NOW, runningExtract } from './fixtures.test-helpers';
import { compareTenants, HEALTH_SEVERITY, tenantHealth, type TenantHealth, type TenantHealthInput } from './tenant-health';

const source = { id: 'source-1', name: 'prod-db', is_reachable: true };
const dataset = (overrides: Partial<TenantHealthInput['datasets'][number]> = {}): TenantHealthInput['datasets'][number] => ({
  id: 'dataset-orders',
  name: 'orders',
  latestExtract: extract(10),
  frequencyMinutes: 60,
  ...overrides,
});
const stream = (overrides: Partial<TenantHealthInput['streams'][number]> = {}): TenantHealthInput['streams'][number] => ({
  id: 'stream-orders',
  name: 'orders to Acme',
  is_enabled: true,
  latestLoad: load(9),
  ...overrides,
});
/** A launched tenant whose every job went well, with the parts a test changes. */
const tenant = (overrides: Partial<TenantHealthInput> = {}): TenantHealthInput => ({ sources: [source], datasets: [dataset()], streams: [stream()], now: NOW, saasName: 'Acme', ...overrides });

const authFailure = jobError('source_auth_failed', 'source', 'The database refused the username or password.');

describe('tenantHealth: onboarding', () => {
  test.each<[string, Partial<TenantHealthInput>, string]>([
    ['no source', { sources: [], datasets: [], streams: [] }, 'No database connected yet'],
    ['no dataset', { datasets: [], streams: [] }, 'No data chosen yet'],
    ['no stream', { streams: [] }, 'No mapping saved yet'],
    ['streams saved by the mapping step but never launched', { streams: [stream({ is_enabled: false, latestLoad: null })] }, 'Not launched yet'],
  ])('%s', (_, overrides, reason) => {
    expect(tenantHealth(tenant(overrides))).toEqual({ health: 'onboarding_incomplete', severity: 1, brokenSince: null, reasons: [reason] });
  });

  test('a stream the engine stopped counts as launched', () => {
    const health = tenantHealth(tenant({ streams: [stream({ is_enabled: false, disabled_reason: 'the endpoint answered 410 Gone', latestLoad: null, disabled_at: at(30).toISOString() })] }));
    expect(health.health).toBe('failing');
  });
});

describe('tenantHealth: healthy', () => {
  test('fresh data, delivered', () => {
    expect(tenantHealth(tenant())).toEqual({ health: 'healthy', severity: 0, brokenSince: null, reasons: [] });
  });

  test('a first extract still running is not a problem', () => {
    expect(tenantHealth(tenant({ datasets: [dataset({ latestExtract: runningExtract(5) })], streams: [stream({ latestLoad: null })] })).health).toBe('healthy');
  });

  test('a paused stream beside a delivering one is fine', () => {
    expect(tenantHealth(tenant({ streams: [stream(), stream({ id: 'stream-2', is_enabled: false })] })).health).toBe('healthy');
  });
});

describe('tenantHealth: failing', () => {
  test('an extract that failed for a reason someone must fix', () => {
    const failed = failedExtract(25, authFailure);
    expect(tenantHealth(tenant({ datasets: [dataset({ latestExtract: failed, lastSuccessAt: at(85).toISOString() })] }))).toEqual({
      health: 'failing',
      severity: 3,
      brokenSince: at(25),
      reasons: ['Dataset orders: Your database refused the password'],
    });
  });

  test('the streak of failures sets brokenSince, back to the last success', () => {
    const recent = [failedExtract(145, authFailure), extract(205), failedExtract(85, authFailure)];
    const health = tenantHealth(tenant({ datasets: [dataset({ latestExtract: failedExtract(25, authFailure), recentExtracts: recent })] }));
    expect(health.brokenSince).toEqual(at(145));
    expect(health.reasons).toEqual(['Dataset orders: Your database refused the password (3 runs in a row)']);
  });

  test('a running extract does not hide the failure before it, when the history is given', () => {
    const health = tenantHealth(tenant({ datasets: [dataset({ latestExtract: runningExtract(2), recentExtracts: [failedExtract(62, authFailure)] })] }));
    expect(health).toMatchObject({ health: 'failing', brokenSince: at(62) });
  });

  test('a load whose endpoint failed every record (the SaaS’s side is not temporary)', () => {
    const failed = failedLoad(15, jobError('destination_unavailable', 'destination', '20 record(s) not delivered: the endpoint answered 503.'));
    expect(tenantHealth(tenant({ streams: [stream({ latestLoad: failed })] }))).toEqual({
      health: 'failing',
      severity: 3,
      brokenSince: at(15),
      reasons: ["Stream orders to Acme: Acme's endpoint is failing (HTTP 503)"],
    });
  });

  test('a load whose endpoint timed out: failing, and said to be too slow rather than failing', () => {
    const failed = failedLoad(15, jobError('destination_unavailable', 'destination', '20 record(s) not delivered: the request timed out: the endpoint did not answer in time after 2 attempts.'));
    expect(tenantHealth(tenant({ streams: [stream({ latestLoad: failed })] }))).toMatchObject({ health: 'failing', reasons: ["Stream orders to Acme: Acme's endpoint took too long to answer"] });
  });

  test('a mapping the engine cannot compile', () => {
    const failed = failedLoad(15, jobError('invalid_stream', 'configuration', 'email: no column "mail"'), { records_errored: 0 });
    expect(tenantHealth(tenant({ streams: [stream({ latestLoad: failed })] })).reasons).toEqual(['Stream orders to Acme: The mapping needs a change']);
  });

  test('a stream the engine stopped, since it was stopped', () => {
    const stopped = stream({ is_enabled: false, disabled_reason: 'the endpoint answered 410 Gone: it no longer exists', disabled_at: at(40).toISOString(), latestLoad: failedLoad(40, jobError('destination_gone', 'destination')) });
    expect(tenantHealth(tenant({ streams: [stopped] }))).toEqual({
      health: 'failing',
      severity: 3,
      brokenSince: at(40),
      reasons: ['Stream orders to Acme was stopped: the endpoint answered 410 Gone: it no longer exists'],
    });
  });

  test('a stopped stream without disabled_at is broken since its last failed load, else unknown', () => {
    const gone = jobError('stream_disabled', 'destination');
    expect(tenantHealth(tenant({ streams: [stream({ is_enabled: false, disabled_reason: 'gone', latestLoad: failedLoad(33, gone) })] })).brokenSince).toEqual(at(33));
    expect(tenantHealth(tenant({ streams: [stream({ is_enabled: false, disabled_reason: 'gone', latestLoad: load(50) })] })).brokenSince).toBeNull();
  });

  test('failing outranks degraded: brokenSince comes from the failures, and they are listed first', () => {
    const health = tenantHealth(
      tenant({
        sources: [{ ...source, is_reachable: false }],
        datasets: [dataset({ latestExtract: extract(10, { records_errored: 2 }) })],
        streams: [stream({ latestLoad: failedLoad(20, jobError('destination_rejected', 'destination', 'the endpoint rejected the record with 400')) })],
      }),
    );
    expect(health).toEqual({
      health: 'failing',
      severity: 3,
      brokenSince: at(20),
      reasons: ["Stream orders to Acme: Acme's endpoint rejected some records (HTTP 400)", 'Source prod-db failed its last connection test', 'Dataset orders: 2 rows could not be read'],
    });
  });
});

describe('tenantHealth: degraded', () => {
  test('a temporary failure', () => {
    const failed = failedExtract(5, jobError('source_connection_lost', 'source', 'The database closed the connection during the read.'));
    expect(tenantHealth(tenant({ datasets: [dataset({ latestExtract: failed })] }))).toEqual({
      health: 'degraded',
      severity: 2,
      brokenSince: at(5),
      reasons: ['Dataset orders: The connection to your database dropped'],
    });
  });

  test('a load that partly failed, with whose move it is', () => {
    const partial = load(7, { records_loaded: 17, records_errored: 3, error: jobError('destination_rejected', 'destination') });
    expect(tenantHealth(tenant({ streams: [stream({ latestLoad: partial })] }))).toEqual({
      health: 'degraded',
      severity: 2,
      brokenSince: at(7),
      reasons: ["Stream orders to Acme: 3 records not delivered: Acme's endpoint rejected some records"],
    });
  });

  test('records the mapping could not make (a renamed column), as the customer’s board says', () => {
    expect(tenantHealth(tenant({ streams: [stream({ latestLoad: load(7, { records_loaded: 0, records_errored: 35 }) })] })).reasons).toEqual([
      'Stream orders to Acme: 35 records not delivered: the mapping needs a change',
    ]);
  });

  test('one record not delivered, in the singular', () => {
    expect(tenantHealth(tenant({ streams: [stream({ latestLoad: load(7, { records_errored: 1 }) })] })).reasons).toEqual(['Stream orders to Acme: 1 record not delivered: the mapping needs a change']);
  });

  test('an extract with rows it could not read', () => {
    expect(tenantHealth(tenant({ datasets: [dataset({ latestExtract: extract(10, { records_errored: 1200 }) })] })).reasons).toEqual(['Dataset orders: 1,200 rows could not be read']);
  });

  test('stale data, stale since it missed its second refresh', () => {
    const health = tenantHealth(tenant({ datasets: [dataset({ latestExtract: runningExtract(30), lastSuccessAt: at(300).toISOString() })] }));
    expect(health).toEqual({ health: 'degraded', severity: 2, brokenSince: at(180), reasons: ['Dataset orders: data is 5 h old (refreshed every 1 h)'] });
  });

  test('stale data judged from the last successful extract when no lastSuccessAt is given', () => {
    expect(tenantHealth(tenant({ datasets: [dataset({ latestExtract: extract(200), frequencyMinutes: 30 })] })).reasons).toEqual(['Dataset orders: data is 3 h 20 min old (refreshed every 30 min)']);
  });

  test('a source that failed its last connection test, with nothing else wrong', () => {
    expect(tenantHealth(tenant({ sources: [{ id: 'source-1', is_reachable: false }] }))).toEqual({
      health: 'degraded',
      severity: 2,
      brokenSince: null,
      reasons: ['Source source-1 failed its last connection test'],
    });
  });

  test('every stream paused: nothing reaches the SaaS', () => {
    expect(tenantHealth(tenant({ streams: [stream({ is_enabled: false })] }))).toEqual({ health: 'degraded', severity: 2, brokenSince: null, reasons: ['Every stream is paused'] });
  });

  test('cancelled jobs say nothing; the job before them does', () => {
    const cancelled = extract(3, { status: 'cancelled' });
    const health = tenantHealth(tenant({ datasets: [dataset({ id: 'ds-9', name: undefined, latestExtract: cancelled, recentExtracts: [failedExtract(63, jobError('engine_error', 'engine'))] })] }));
    expect(health).toMatchObject({ health: 'degraded', brokenSince: at(63), reasons: ['Dataset ds-9: The import hit a problem on our side'] });
  });

  test('the earliest start among the degraded problems', () => {
    const health = tenantHealth(
      tenant({
        datasets: [dataset({ latestExtract: extract(10, { records_errored: 1 }) })],
        streams: [stream({ latestLoad: load(50, { records_errored: 2 }) })],
      }),
    );
    expect(health.brokenSince).toEqual(at(50));
  });
});

describe('compareTenants', () => {
  const row = (name: string, health: TenantHealth['health'], brokenMinutesAgo: number | null) => ({
    name,
    health: { health, severity: HEALTH_SEVERITY[health], brokenSince: brokenMinutesAgo === null ? null : at(brokenMinutesAgo), reasons: [] },
  });

  test('worst first, then broken longest first, unknown starts last', () => {
    const rows = [
      row('fine', 'healthy', null),
      row('new', 'onboarding_incomplete', null),
      row('slow', 'degraded', 30),
      row('down an hour', 'failing', 60),
      row('down, since unknown', 'failing', null),
      row('down a day', 'failing', 1440),
      row('slow for days', 'degraded', 4000),
    ];
    expect(rows.sort((a, b) => compareTenants(a.health, b.health)).map((r) => r.name)).toEqual([
      'down a day',
      'down an hour',
      'down, since unknown',
      'slow for days',
      'slow',
      'new',
      'fine',
    ]);
  });

  test('two tenants broken since an unknown time are equal', () => {
    expect(compareTenants({ severity: 3, brokenSince: null }, { severity: 3, brokenSince: null })).toBe(0);
  });

  test('the severities order failing > degraded > onboarding incomplete > healthy', () => {
    expect(HEALTH_SEVERITY.failing).toBeGreaterThan(HEALTH_SEVERITY.degraded);
    expect(HEALTH_SEVERITY.degraded).toBeGreaterThan(HEALTH_SEVERITY.onboarding_incomplete);
    expect(HEALTH_SEVERITY.onboarding_incomplete).toBeGreaterThan(HEALTH_SEVERITY.healthy);
  });
});

describe('tenantHealth: schema drift', () => {
  const drifted = (change: 'removed' | 'type_changed') => ({
    columns: [{ name: 'email', change, previous_type: 'string', current_type: change === 'removed' ? null : 'integer', renamed_to: null, streams: [{ stream_id: 'stream-orders', target_fields: ['email'] }] }],
    new_columns: [],
  });

  test('a mapped column gone is failing: its deliveries wait for a remap', () => {
    expect(tenantHealth(tenant({ datasets: [dataset({ schemaDrift: drifted('removed') })] }))).toMatchObject({
      health: 'failing',
      reasons: ['Dataset orders: the mapping needs a change: column "email" is gone'],
    });
  });

  test('a mapped column retyped is degraded', () => {
    expect(tenantHealth(tenant({ datasets: [dataset({ schemaDrift: drifted('type_changed') })] }))).toMatchObject({
      health: 'degraded',
      reasons: ['Dataset orders: the mapping needs a change: column "email" changed type (string → integer)'],
    });
  });
});
