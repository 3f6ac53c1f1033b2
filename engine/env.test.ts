import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../scripts/receiver/create-receiver';
import { jobRunnerOptionsOf, parseEngineEnv } from './env';
import { createTableDataset, extractNow } from './testing/extract-fixtures';
import { loadAndWait, recordStream } from './testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from './testing/source-database';
import { startTestEngine, type TestEngine } from './testing/test-engine';

const REQUIRED = {
  DATABASE_URL: 'postgres://inlet@127.0.0.1:5432/inlet',
  PREQUEL_API_KEY: 'test-key-0123456789abcdef',
  INLET_ENCRYPTION_KEY: 'AAAA',
};

const FIVE_DAYS_MS = 5 * 24 * 3_600_000;
const SCHEDULE_MS = [
  5_000, 60_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

describe("tenants' share of the job slots comes from the environment", () => {
  test('by default a provider runs all slots but one and a job counts as small for 2 s; ENGINE_JOBS_PER_PROVIDER and ENGINE_SMALL_JOB_SECONDS change that', () => {
    expect(jobRunnerOptionsOf(parseEngineEnv(REQUIRED)).fairShare).toEqual({
      slotsPerProvider: 1,
      smallForMs: 2000,
    });
    const four = parseEngineEnv({ ...REQUIRED, ENGINE_JOB_CONCURRENCY: '4' });
    expect(jobRunnerOptionsOf(four).fairShare?.slotsPerProvider).toBe(3);
    const set = parseEngineEnv({
      ...REQUIRED,
      ENGINE_JOB_CONCURRENCY: '4',
      ENGINE_JOBS_PER_PROVIDER: '4',
      ENGINE_SMALL_JOB_SECONDS: '0.5',
    });
    expect(jobRunnerOptionsOf(set).fairShare).toEqual({ slotsPerProvider: 4, smallForMs: 500 });
    expect(() => parseEngineEnv({ ...REQUIRED, ENGINE_JOBS_PER_PROVIDER: '0' })).toThrow(
      /ENGINE_JOBS_PER_PROVIDER/,
    );
  });
});

describe('the delivery deadline, attempts and failing period come from the environment', () => {
  test('unset or empty, a delivery waits 30 s for an answer and is tried 4 times, retried after 5 s, 1 min … 10 h, and a stream failing for 5 days is disabled', () => {
    const defaults = {
      timeoutMs: 30_000,
      maxAttempts: 4,
      disableAfterFailingMs: FIVE_DAYS_MS,
      retryScheduleMs: SCHEDULE_MS,
    };
    expect(jobRunnerOptionsOf(parseEngineEnv(REQUIRED)).load).toEqual(defaults);
    const empty = {
      ENGINE_DELIVERY_TIMEOUT_SECONDS: '',
      ENGINE_DELIVERY_MAX_ATTEMPTS: '',
      ENGINE_DISABLE_AFTER_FAILING_HOURS: '',
      ENGINE_RETRY_SCHEDULE: '',
    };
    expect(jobRunnerOptionsOf(parseEngineEnv({ ...REQUIRED, ...empty })).load).toEqual(defaults);
    // As .env.example leaves every optional variable.
    const fromExample = parseEngineEnv({
      ...REQUIRED,
      ENGINE_PUBLIC_URL: '',
      ENGINE_EXTRA_API_KEYS: '',
      ENGINE_PORT: '',
    });
    expect([
      fromExample.ENGINE_PUBLIC_URL,
      fromExample.ENGINE_EXTRA_API_KEYS,
      fromExample.ENGINE_PORT,
    ]).toEqual([undefined, undefined, 4100]);
  });

  test('ENGINE_DELIVERY_TIMEOUT_SECONDS, ENGINE_DELIVERY_MAX_ATTEMPTS and ENGINE_DISABLE_AFTER_FAILING_HOURS reach the loads', () => {
    const env = parseEngineEnv({
      ...REQUIRED,
      ENGINE_DELIVERY_TIMEOUT_SECONDS: '5',
      ENGINE_DELIVERY_MAX_ATTEMPTS: '2',
      ENGINE_DISABLE_AFTER_FAILING_HOURS: '24',
      ENGINE_RETRY_SCHEDULE: '1s,30s,1h',
    });
    expect(jobRunnerOptionsOf(env).load).toEqual({
      timeoutMs: 5000,
      maxAttempts: 2,
      disableAfterFailingMs: 24 * 3_600_000,
      retryScheduleMs: [1000, 30_000, 3_600_000],
    });
  });

  test('a retry schedule that is not a list of delays stops the engine with the variable and an example', () => {
    expect(() => parseEngineEnv({ ...REQUIRED, ENGINE_RETRY_SCHEDULE: '5s,soon' })).toThrow(
      'ENGINE_RETRY_SCHEDULE: "soon" is not a delay',
    );
  });

  test('a failing period outside 1 hour to a year is refused', () => {
    expect(() => parseEngineEnv({ ...REQUIRED, ENGINE_DISABLE_AFTER_FAILING_HOURS: '0' })).toThrow(
      'ENGINE_DISABLE_AFTER_FAILING_HOURS: must be a whole number of hours from 1 to 8760',
    );
  });

  test.each(['abc', '0', '2.5', '601'])(
    'a timeout of "%s" stops the engine with the variable and what it must be',
    (value) => {
      expect(() => parseEngineEnv({ ...REQUIRED, ENGINE_DELIVERY_TIMEOUT_SECONDS: value })).toThrow(
        'ENGINE_DELIVERY_TIMEOUT_SECONDS: must be a whole number of seconds from 1 to 600',
      );
    },
  );

  test('attempts outside 1 to 10 are refused', () => {
    expect(() => parseEngineEnv({ ...REQUIRED, ENGINE_DELIVERY_MAX_ATTEMPTS: '0' })).toThrow(
      'ENGINE_DELIVERY_MAX_ATTEMPTS: must be a whole number of attempts from 1 to 10',
    );
  });
});

describe('an endpoint slower than ENGINE_DELIVERY_TIMEOUT_SECONDS', () => {
  const RECORDS = 2;
  let api: TestEngine;
  let source: SourceDatabase;
  let receiver: Receiver;

  beforeAll(async () => {
    const env = parseEngineEnv({
      ...REQUIRED,
      ENGINE_DELIVERY_TIMEOUT_SECONDS: '1',
      ENGINE_DELIVERY_MAX_ATTEMPTS: '2',
    });
    api = await startTestEngine({ jobs: jobRunnerOptionsOf(env) });
    source = await createSourceDatabase({
      customers: RECORDS,
      accountsPerCustomer: 0,
      ordersPerCustomer: 0,
      eventsPerCustomer: 0,
    });
    receiver = createReceiver({ engineUrl: api.baseUrl });
    await receiver.start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await api?.close();
    await source?.drop();
  });

  test('times out every attempt: the load fails as the endpoint’s, saying it timed out, and the records wait for their retry', async () => {
    const dataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'customers' },
      type: 'dimension',
      dimension: { primary_key_column: 'id' },
    });
    await extractNow(api, dataset.id);
    // Half a second over the deadline: with the default 30 s every record would be delivered.
    receiver.control.set({ latencyMs: 1500 });
    const stream = await recordStream(api, {
      datasetId: dataset.id,
      uri: `${receiver.url}/records`,
    });

    const load = await loadAndWait(api, stream.id);
    expect(load).toMatchObject({
      status: 'failed',
      records_loaded: 0,
      records_errored: RECORDS,
      error: { error_code: 'destination_unavailable', blame: 'destination' },
    });
    expect(load.error?.message).toMatch(
      /the request timed out: the endpoint did not answer within 1 s after 2 attempts.*retried automatically/,
    );
    // Two attempts per record, each reaching the endpoint (which, slow, still answers after the engine gave up).
    const stats = await receiver.waitFor((current) => current.deliveries === RECORDS * 2);
    expect(stats.deliveries).toBe(RECORDS * 2);
    const ledger = await api.engine.db.query<{ status: string }>(
      'select status from stream_records where stream_id = $1',
      [stream.id],
    );
    expect(ledger.rows.map((row) => row.status)).toEqual(['retry', 'retry']);
  });
});
