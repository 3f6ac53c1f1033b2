// Tests only: the tenant-health rules as cases (a tenant's objects and jobs → its health), shared by the app's rules
// (tenant-health.test.ts) and the engine's SQL (engine/status/provider-health.test.ts), so both answer the same.
import {
  at,
  extract,
  failedExtract,
  failedLoad,
  jobError,
  load,
  NOW,
  runningExtract,
} from './fixtures.test-helpers';
import type { TenantHealth, TenantHealthInput } from './tenant-health';

export type DatasetInput = TenantHealthInput['datasets'][number];
export type StreamInput = TenantHealthInput['streams'][number];

export const source = { id: 'source-1', name: 'prod-db', is_reachable: true };
export const dataset = (overrides: Partial<DatasetInput> = {}): DatasetInput => ({
  id: 'dataset-orders',
  name: 'orders',
  latestExtract: extract(10),
  frequencyMinutes: 60,
  ...overrides,
});
export const stream = (overrides: Partial<StreamInput> = {}): StreamInput => ({
  id: 'stream-orders',
  name: 'orders to Acme',
  is_enabled: true,
  latestLoad: load(9),
  ...overrides,
});
/** A launched tenant whose every job went well, with the parts a case changes. */
export const tenant = (overrides: Partial<TenantHealthInput> = {}): TenantHealthInput => ({
  sources: [source],
  datasets: [dataset()],
  streams: [stream()],
  now: NOW,
  saasName: 'Acme',
  ...overrides,
});

export interface TenantHealthCase {
  name: string;
  input: TenantHealthInput;
  /** What the health must be; the fields left out are not the case's point. */
  expected: Partial<TenantHealth>;
}

const authFailure = jobError(
  'source_auth_failed',
  'source',
  'The database refused the username or password.',
);
const gone = jobError('stream_disabled', 'destination');

const drifted = (change: 'removed' | 'type_changed') => ({
  columns: [
    {
      name: 'email',
      change,
      previous_type: 'string',
      current_type: change === 'removed' ? null : 'integer',
      renamed_to: null,
      streams: [{ stream_id: 'stream-orders', target_fields: ['email'] }],
    },
  ],
  new_columns: [],
});

const onboarding = (reasons: string[]): Partial<TenantHealth> => ({
  health: 'onboarding_incomplete',
  severity: 1,
  brokenSince: null,
  reasons,
});

export const TENANT_HEALTH_CASES: TenantHealthCase[] = [
  // Onboarding.
  {
    name: 'onboarding: no source',
    input: tenant({ sources: [], datasets: [], streams: [] }),
    expected: onboarding(['No database connected yet']),
  },
  {
    name: 'onboarding: no dataset',
    input: tenant({ datasets: [], streams: [] }),
    expected: onboarding(['No data chosen yet']),
  },
  {
    name: 'onboarding: no stream',
    input: tenant({ streams: [] }),
    expected: onboarding(['No mapping saved yet']),
  },
  {
    name: 'onboarding: streams saved by the mapping step but never launched',
    input: tenant({ streams: [stream({ is_enabled: false, latestLoad: null })] }),
    expected: onboarding(['Not launched yet']),
  },
  {
    name: 'onboarding: a stream the engine stopped counts as launched',
    input: tenant({
      streams: [
        stream({
          is_enabled: false,
          disabled_reason: 'the endpoint answered 410 Gone',
          latestLoad: null,
          disabled_at: at(30).toISOString(),
        }),
      ],
    }),
    expected: { health: 'failing' },
  },

  // Healthy.
  {
    name: 'healthy: fresh data, delivered',
    input: tenant(),
    expected: { health: 'healthy', severity: 0, brokenSince: null, reasons: [] },
  },
  {
    name: 'healthy: a first extract still running is not a problem',
    input: tenant({
      datasets: [dataset({ latestExtract: runningExtract(5) })],
      streams: [stream({ latestLoad: null })],
    }),
    expected: { health: 'healthy' },
  },
  {
    name: 'healthy: a paused stream beside a delivering one is fine',
    input: tenant({ streams: [stream(), stream({ id: 'stream-2', is_enabled: false })] }),
    expected: { health: 'healthy' },
  },

  // Failing.
  {
    name: 'failing: an extract that failed for a reason someone must fix',
    input: tenant({
      datasets: [
        dataset({
          latestExtract: failedExtract(25, authFailure),
          lastSuccessAt: at(85).toISOString(),
        }),
      ],
    }),
    expected: {
      health: 'failing',
      severity: 3,
      brokenSince: at(25),
      reasons: ['Dataset orders: Your database refused the password'],
    },
  },
  {
    name: 'failing: the streak of failures sets brokenSince, back to the last success',
    input: tenant({
      datasets: [
        dataset({
          latestExtract: failedExtract(25, authFailure),
          recentExtracts: [
            failedExtract(145, authFailure),
            extract(205),
            failedExtract(85, authFailure),
          ],
        }),
      ],
    }),
    expected: {
      brokenSince: at(145),
      reasons: ['Dataset orders: Your database refused the password (3 runs in a row)'],
    },
  },
  {
    name: 'failing: a running extract does not hide the failure before it, when the history is given',
    input: tenant({
      datasets: [
        dataset({
          latestExtract: runningExtract(2),
          recentExtracts: [failedExtract(62, authFailure)],
        }),
      ],
    }),
    expected: { health: 'failing', brokenSince: at(62) },
  },
  {
    name: 'failing: a load whose endpoint failed every record (the SaaS’s side is not temporary)',
    input: tenant({
      streams: [
        stream({
          latestLoad: failedLoad(
            15,
            jobError(
              'destination_unavailable',
              'destination',
              '20 record(s) not delivered: the endpoint answered 503.',
            ),
          ),
        }),
      ],
    }),
    expected: {
      health: 'failing',
      severity: 3,
      brokenSince: at(15),
      reasons: ["Stream orders to Acme: Acme's endpoint is failing (HTTP 503)"],
    },
  },
  {
    name: 'failing: a load whose endpoint timed out, said to be too slow rather than failing',
    input: tenant({
      streams: [
        stream({
          latestLoad: failedLoad(
            15,
            jobError(
              'destination_unavailable',
              'destination',
              '20 record(s) not delivered: the request timed out: the endpoint did not answer in time after 2 attempts.',
            ),
          ),
        }),
      ],
    }),
    expected: {
      health: 'failing',
      reasons: ["Stream orders to Acme: Acme's endpoint took too long to answer"],
    },
  },
  {
    name: 'failing: a mapping the engine cannot compile',
    input: tenant({
      streams: [
        stream({
          latestLoad: failedLoad(
            15,
            jobError('invalid_stream', 'configuration', 'email: no column "mail"'),
            { records_errored: 0 },
          ),
        }),
      ],
    }),
    expected: { reasons: ['Stream orders to Acme: The mapping needs a change'] },
  },
  {
    name: 'failing: a stream the engine stopped, since it was stopped',
    input: tenant({
      streams: [
        stream({
          is_enabled: false,
          disabled_reason: 'the endpoint answered 410 Gone: it no longer exists',
          disabled_at: at(40).toISOString(),
          latestLoad: failedLoad(40, jobError('destination_gone', 'destination')),
        }),
      ],
    }),
    expected: {
      health: 'failing',
      severity: 3,
      brokenSince: at(40),
      reasons: [
        'Stream orders to Acme was stopped: the endpoint answered 410 Gone: it no longer exists',
      ],
    },
  },
  {
    name: 'failing: a stopped stream without disabled_at is broken since its last failed load',
    input: tenant({
      streams: [
        stream({ is_enabled: false, disabled_reason: 'gone', latestLoad: failedLoad(33, gone) }),
      ],
    }),
    expected: { brokenSince: at(33) },
  },
  {
    name: 'failing: a stopped stream without disabled_at nor a failed load is broken since an unknown time',
    input: tenant({
      streams: [stream({ is_enabled: false, disabled_reason: 'gone', latestLoad: load(50) })],
    }),
    expected: { brokenSince: null },
  },
  {
    name: 'failing outranks degraded: brokenSince comes from the failures, and they are listed first',
    input: tenant({
      sources: [{ ...source, is_reachable: false }],
      datasets: [dataset({ latestExtract: extract(10, { records_errored: 2 }) })],
      streams: [
        stream({
          latestLoad: failedLoad(
            20,
            jobError(
              'destination_rejected',
              'destination',
              'the endpoint rejected the record with 400',
            ),
          ),
        }),
      ],
    }),
    expected: {
      health: 'failing',
      severity: 3,
      brokenSince: at(20),
      reasons: [
        "Stream orders to Acme: Acme's endpoint rejected some records (HTTP 400)",
        'Source prod-db failed its last connection test',
        'Dataset orders: 2 rows could not be read',
      ],
    },
  },

  // Degraded.
  {
    name: 'degraded: a temporary failure',
    input: tenant({
      datasets: [
        dataset({
          latestExtract: failedExtract(
            5,
            jobError(
              'source_connection_lost',
              'source',
              'The database closed the connection during the read.',
            ),
          ),
        }),
      ],
    }),
    expected: {
      health: 'degraded',
      severity: 2,
      brokenSince: at(5),
      reasons: ['Dataset orders: The connection to your database dropped'],
    },
  },
  {
    name: 'degraded: a load that partly failed, with whose move it is',
    input: tenant({
      streams: [
        stream({
          latestLoad: load(7, {
            records_loaded: 17,
            records_errored: 3,
            error: jobError('destination_rejected', 'destination'),
          }),
        }),
      ],
    }),
    expected: {
      health: 'degraded',
      severity: 2,
      brokenSince: at(7),
      reasons: [
        "Stream orders to Acme: 3 records not delivered: Acme's endpoint rejected some records",
      ],
    },
  },
  {
    name: 'degraded: records the mapping could not make (a renamed column), as the customer’s board says',
    input: tenant({
      streams: [stream({ latestLoad: load(7, { records_loaded: 0, records_errored: 35 }) })],
    }),
    expected: {
      reasons: ['Stream orders to Acme: 35 records not delivered: the mapping needs a change'],
    },
  },
  {
    name: 'degraded: one record not delivered, in the singular',
    input: tenant({ streams: [stream({ latestLoad: load(7, { records_errored: 1 }) })] }),
    expected: {
      reasons: ['Stream orders to Acme: 1 record not delivered: the mapping needs a change'],
    },
  },
  {
    name: 'degraded: an extract with rows it could not read',
    input: tenant({
      datasets: [dataset({ latestExtract: extract(10, { records_errored: 1200 }) })],
    }),
    expected: { reasons: ['Dataset orders: 1,200 rows could not be read'] },
  },
  {
    name: 'degraded: stale data, stale since it missed its second refresh',
    input: tenant({
      datasets: [
        dataset({ latestExtract: runningExtract(30), lastSuccessAt: at(300).toISOString() }),
      ],
    }),
    expected: {
      health: 'degraded',
      severity: 2,
      brokenSince: at(180),
      reasons: ['Dataset orders: data is 5 h old (refreshed every 1 h)'],
    },
  },
  {
    name: 'degraded: stale data judged from the last successful extract when no lastSuccessAt is given',
    input: tenant({ datasets: [dataset({ latestExtract: extract(200), frequencyMinutes: 30 })] }),
    expected: { reasons: ['Dataset orders: data is 3 h 20 min old (refreshed every 30 min)'] },
  },
  {
    name: 'degraded: a source that failed its last connection test, with nothing else wrong',
    input: tenant({ sources: [{ id: 'source-1', is_reachable: false }] }),
    expected: {
      health: 'degraded',
      severity: 2,
      brokenSince: null,
      reasons: ['Source source-1 failed its last connection test'],
    },
  },
  {
    name: 'degraded: every stream paused, nothing reaches the SaaS',
    input: tenant({ streams: [stream({ is_enabled: false })] }),
    expected: {
      health: 'degraded',
      severity: 2,
      brokenSince: null,
      reasons: ['Every stream is paused'],
    },
  },
  {
    name: 'degraded: cancelled jobs say nothing; the job before them does',
    input: tenant({
      datasets: [
        dataset({
          id: 'ds-9',
          name: undefined,
          latestExtract: extract(3, { status: 'cancelled' }),
          recentExtracts: [failedExtract(63, jobError('engine_error', 'engine'))],
        }),
      ],
    }),
    expected: {
      health: 'degraded',
      brokenSince: at(63),
      reasons: ['Dataset ds-9: The import hit a problem on our side'],
    },
  },
  {
    name: 'degraded: the earliest start among the degraded problems',
    input: tenant({
      datasets: [dataset({ latestExtract: extract(10, { records_errored: 1 }) })],
      streams: [stream({ latestLoad: load(50, { records_errored: 2 }) })],
    }),
    expected: { brokenSince: at(50) },
  },

  // Schema drift.
  {
    name: 'schema drift: a mapped column gone is failing, its deliveries wait for a remap',
    input: tenant({ datasets: [dataset({ schemaDrift: drifted('removed') })] }),
    expected: {
      health: 'failing',
      reasons: ['Dataset orders: the mapping needs a change: column "email" is gone'],
    },
  },
  {
    name: 'schema drift: a mapped column retyped is degraded',
    input: tenant({ datasets: [dataset({ schemaDrift: drifted('type_changed') })] }),
    expected: {
      health: 'degraded',
      reasons: [
        'Dataset orders: the mapping needs a change: column "email" changed type (string → integer)',
      ],
    },
  },
  {
    name: 'schema drift: a failed extract says more than the drift it found before',
    input: tenant({
      datasets: [
        dataset({
          schemaDrift: drifted('removed'),
          latestExtract: failedExtract(5, jobError('source_connection_lost', 'source')),
        }),
      ],
    }),
    expected: {
      health: 'degraded',
      reasons: ['Dataset orders: The connection to your database dropped'],
    },
  },
];
