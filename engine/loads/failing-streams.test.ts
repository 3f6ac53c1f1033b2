import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { type EventSink, startEventSink } from '../testing/event-sink';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { create } from '../testing/fixtures';
import { type Load, loadAndWait, recordStream } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { describeDuration } from './failing-streams';

// Research §7.2 item 13: an endpoint that fails every delivery for the configured period is disabled, and the
// operator told. Here the period is 1.5 s, and each load tries a request once.
const RECORDS = 3;
const PERIOD_MS = 1500;
let api: TestEngine;
let source: SourceDatabase;
let receiver: Receiver;
let hooks: EventSink;
let datasetId: string;
let ids: string[];

beforeAll(async () => {
  api = await startTestEngine({
    jobs: { load: { maxAttempts: 1, timeoutMs: 1000, disableAfterFailingMs: PERIOD_MS } },
  });
  source = await createSourceDatabase({
    customers: RECORDS,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  receiver = createReceiver({ engineUrl: api.baseUrl });
  await receiver.start();
  hooks = await startEventSink();
  await create(
    api,
    '/webhooks',
    { webhook: { vendor: 'generic_post', url: hooks.url, events: ['stream.disabled'] } },
    'webhook',
  );
  const dataset = await createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'customers' },
    type: 'dimension',
    dimension: { primary_key_column: 'id' },
  });
  datasetId = dataset.id;
  await extractNow(api, datasetId);
  ids = (
    await source.client.query<{ id: string }>('select id::text from customers order by id')
  ).rows.map((row) => row.id);
});
afterAll(async () => {
  await receiver.stop();
  hooks.close();
  await api.close();
  await source.drop();
});

const streamState = async (streamId: string) =>
  (
    await api.request<{ data: { stream: Record<string, unknown> } }>(
      'GET',
      `/import/streams/${streamId}`,
    )
  ).body.data.stream;
const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

describe('a stream whose endpoint keeps failing', () => {
  test(
    'is disabled once every delivery has failed for the period; a delivery in between starts the clock again',
    { timeout: 30_000 },
    async () => {
      const stream = await recordStream(api, {
        datasetId,
        uri: `${receiver.url}/records`,
        enabled: true,
        limits: { max_concurrency: RECORDS },
      });
      const failing = () => loadAndWait(api, stream.id, 10_000, ids);

      // Rejections are the endpoint answering: they start no failing run, however long they go on.
      receiver.control.set({ then: 400 });
      const firstStart = Date.now();
      expect(await failing()).toMatchObject({
        status: 'failed',
        records_loaded: 0,
        error: { error_code: 'destination_rejected' },
      });
      receiver.control.set({ then: 503 });
      const second = await failing();
      expect(second, JSON.stringify(second.error)).toMatchObject({
        status: 'failed',
        records_loaded: 0,
        error: { error_code: 'destination_unavailable' },
      });
      // One delivery ends the run the 503s began.
      receiver.control.reset();
      expect(await loadAndWait(api, stream.id, 10_000, ids)).toMatchObject({
        status: 'succeeded',
        records_loaded: RECORDS,
      });
      await sleepUntil(firstStart + PERIOD_MS + 200);
      receiver.control.set({ then: 503 });
      const runStart = Date.now();
      const withinPeriod = await failing();
      expect(withinPeriod.error?.message).not.toContain('disabled');
      expect(await streamState(stream.id)).toMatchObject({
        is_enabled: true,
        disabled_reason: null,
      });

      await sleepUntil(runStart + PERIOD_MS + 200);
      const last: Load = await failing();
      expect(last).toMatchObject({
        status: 'failed',
        error: {
          error_code: 'destination_unavailable',
          blame: 'destination',
          message: expect.stringContaining('The stream was disabled'),
        },
      });
      expect(await streamState(stream.id)).toMatchObject({
        is_enabled: false,
        disabled_reason: expect.stringMatching(
          /^every delivery has failed for \d+ seconds? \(since .+\), last: .*503/,
        ),
        disabled_at: expect.any(String),
      });
      const event = await hooks.eventFor('stream.disabled', stream.id);
      expect(event.data).toMatchObject({
        reason: expect.stringContaining('every delivery has failed'),
        destination_id: stream.destination_id,
        message: expect.stringContaining('enable the stream again'),
      });
      expect(await loadAndWait(api, stream.id)).toMatchObject({
        status: 'failed',
        records_processed: 0,
        error: { error_code: 'stream_disabled' },
      });

      // Enabled again, it gets a whole period before the next disable, not one failure.
      const enabled = await api.request<{ data: { stream: Record<string, unknown> } }>(
        'PATCH',
        `/import/streams/${stream.id}`,
        { stream: { is_enabled: true } },
      );
      expect(enabled.body.data.stream).toMatchObject({ is_enabled: true, disabled_reason: null });
      expect((await failing()).error?.message).not.toContain('disabled');
      expect(await streamState(stream.id)).toMatchObject({
        is_enabled: true,
        disabled_reason: null,
      });
      expect(
        hooks.events.filter(
          (candidate) =>
            candidate.type === 'stream.disabled' && candidate.data.stream_id === stream.id,
        ),
      ).toHaveLength(1);
    },
  );
});

describe('describeDuration', () => {
  test.each([
    [0, '0 seconds'],
    [1_999, '1 second'],
    [45_000, '45 seconds'],
    [60_000, '1 minute'],
    [61_000, '1 minute 1 second'],
    [3_600_000 + 120_000 + 5_000, '1 hour 2 minutes'],
    [5 * 86_400_000, '5 days'],
    [5 * 86_400_000 + 30_000, '5 days'],
    [2 * 86_400_000 + 3 * 3_600_000, '2 days 3 hours'],
  ])('%i ms reads "%s"', (ms, text) => {
    expect(describeDuration(ms)).toBe(text);
  });
});
