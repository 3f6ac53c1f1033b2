import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createReceiver, type Receiver } from '../../scripts/receiver/create-receiver';
import { type EventSink, startEventSink } from '../testing/event-sink';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { create } from '../testing/fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// Each extract compares the source's columns with what the streams map: a mapped column renamed, dropped or retyped
// raises dataset.schema_changed once and shows on the dataset, before any load fails.
let source: SourceDatabase;
let api: TestEngine;
let receiver: Receiver;
let hooks: EventSink;

beforeAll(async () => {
  source = await createSourceDatabase();
  await source.client.query(
    `create table drifting (id bigint primary key, email text, score integer, notes text)`,
  );
  await source.client.query(
    `insert into drifting select id, 'user' || id || '@example.com', id, 'n' from generate_series(1, 20) as id`,
  );
  api = await startTestEngine({ jobs: true });
  receiver = createReceiver({ engineUrl: api.baseUrl });
  await receiver.start();
  hooks = await startEventSink();
  await create(
    api,
    '/webhooks',
    { webhook: { vendor: 'generic_post', url: hooks.url, events: ['dataset.schema_changed'] } },
    'webhook',
  );
});
afterAll(async () => {
  hooks.close();
  await receiver.stop();
  await api.close();
  await source.drop();
});

type Drift = {
  columns: {
    name: string;
    change: string;
    previous_type: string | null;
    current_type: string | null;
    renamed_to: string | null;
    streams: { stream_id: string; target_fields: string[] }[];
  }[];
  new_columns: string[];
};
const datasetDrift = async (id: string) =>
  (
    await api.request<{ data: { dataset: { schema_drift: Drift | null } } }>(
      'GET',
      `/import/datasets/${id}`,
    )
  ).body.data.dataset.schema_drift;
const streamOf = async (id: string) =>
  (await api.request<{ data: { stream: { is_valid: boolean } } }>('GET', `/import/streams/${id}`))
    .body.data.stream;
const loadCount = async (streamId: string) =>
  (
    await api.request<{ data: { loads: unknown[] } }>(
      'GET',
      `/import/loads?stream_id=${streamId}&page_size=100`,
    )
  ).body.data.loads.length;
const driftEvents = () => hooks.events.filter((event) => event.type === 'dataset.schema_changed');

async function waitForEvents(count: number) {
  for (const deadline = Date.now() + 10_000; driftEvents().length < count;) {
    if (Date.now() > deadline)
      throw new Error(
        `expected ${count} dataset.schema_changed events, got ${driftEvents().length}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return driftEvents()[count - 1]!;
}

describe('schema drift', () => {
  test(
    'a rename, a type change and a drop of mapped columns each raise dataset.schema_changed once, naming the column and the fix',
    { timeout: 90_000 },
    async () => {
      const dataset = await createTableDataset(api, source, {
        table: { source_table_namespace: 'public', source_table_name: 'drifting' },
        type: 'dimension',
        dimension: { primary_key_column: 'id' },
      });
      await extractNow(api, dataset.id);
      const destination = await create(
        api,
        '/import/destinations',
        {
          destination: {
            name: 'people',
            type: 'webhook_batch',
            record_schema: {
              type: 'object',
              required: ['id'],
              properties: {
                id: { type: 'string' },
                email: { type: 'string' },
                score: { type: 'string' },
              },
            },
            webhook_batch: {
              request_template: { method: 'POST', uri: `${receiver.url}/batch` },
              format: 'json',
            },
          },
        },
        'destination',
      );
      const mappings = [
        { target_field: 'id', field_type: 'field', column: { name: 'id' } },
        { target_field: 'email', field_type: 'field', column: { name: 'email' } },
        { target_field: 'score', field_type: 'expression', expression: { expr: 'string(score)' } },
      ];
      const stream = await create(
        api,
        '/import/streams',
        {
          stream: {
            name: 'people',
            dataset_id: dataset.id,
            destination_id: destination.id,
            mappings,
          },
        },
        'stream',
      );
      // An unmapped column coming and going is nobody's problem.
      await source.client.query('alter table drifting drop column notes');
      await extractNow(api, dataset.id);
      expect(await datasetDrift(dataset.id)).toBeNull();
      expect(driftEvents()).toHaveLength(0);

      // Rename: the mapped column is gone, a column of its type appeared.
      await source.client.query('alter table drifting rename column email to email_address');
      // The load the last extract starts is queued just after the extract reads as succeeded:
      // counted once the count holds still.
      let loadsBefore = await loadCount(stream.id);
      for (let settled = 0; settled < 3;) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        const now = await loadCount(stream.id);
        settled = now === loadsBefore ? settled + 1 : 0;
        loadsBefore = now;
      }
      await extractNow(api, dataset.id);
      const renamed = await waitForEvents(1);
      expect(renamed.data).toMatchObject({
        dataset_id: dataset.id,
        provider_id: dataset.provider_id,
        columns: [
          {
            name: 'email',
            change: 'removed',
            previous_type: 'string',
            current_type: null,
            renamed_to: 'email_address',
            streams: [{ stream_id: stream.id, target_fields: ['email'] }],
          },
        ],
      });
      expect(String(renamed.data.message)).toMatch(
        /"email" of .*disappeared \(renamed to "email_address"\?\): the mapping needs a change\. Remap that field to "email_address"/,
      );
      expect(await datasetDrift(dataset.id)).toMatchObject({
        columns: [{ name: 'email', change: 'removed' }],
        new_columns: ['email_address'],
      });
      // Before any load fails: the stream waits (invalid) instead of loading into an error.
      expect((await streamOf(stream.id)).is_valid).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await loadCount(stream.id)).toBe(loadsBefore);
      // Seen again, it is not news.
      await extractNow(api, dataset.id);
      expect(driftEvents()).toHaveLength(1);

      // Remapped: nothing drifted any more, nothing is new, and the stream is valid again.
      const remapped = mappings.map((mapping) =>
        mapping.target_field === 'email'
          ? { ...mapping, column: { name: 'email_address' } }
          : mapping,
      );
      expect(
        (
          await api.request('PATCH', `/import/streams/${stream.id}`, {
            stream: { mappings: remapped },
          })
        ).status,
      ).toBe(200);
      expect(await datasetDrift(dataset.id)).toBeNull();
      expect((await streamOf(stream.id)).is_valid).toBe(true);

      // Type change of a column an expression reads.
      await source.client.query(
        'alter table drifting alter column score type text using score::text',
      );
      await extractNow(api, dataset.id);
      const retyped = await waitForEvents(2);
      expect(retyped.data.columns).toEqual([
        {
          name: 'score',
          change: 'type_changed',
          previous_type: 'integer',
          current_type: 'string',
          renamed_to: null,
          streams: [{ stream_id: stream.id, target_fields: ['score'] }],
        },
      ]);
      expect(String(retyped.data.message)).toContain('changed type from integer to string');
      // Still readable: a warning, and the stream keeps loading.
      expect((await streamOf(stream.id)).is_valid).toBe(true);

      // Drop.
      await source.client.query('alter table drifting drop column score');
      await extractNow(api, dataset.id);
      const dropped = await waitForEvents(3);
      expect(dropped.data.columns).toEqual([
        {
          name: 'score',
          change: 'removed',
          previous_type: 'integer',
          current_type: null,
          renamed_to: null,
          streams: [{ stream_id: stream.id, target_fields: ['score'] }],
        },
      ]);
      expect((await streamOf(stream.id)).is_valid).toBe(false);

      // Restored (with its first type): the warning goes, the stream loads again.
      await source.client.query('alter table drifting add column score integer');
      await extractNow(api, dataset.id);
      expect(await datasetDrift(dataset.id)).toBeNull();
      expect((await streamOf(stream.id)).is_valid).toBe(true);
      expect(driftEvents()).toHaveLength(3);
    },
  );

  test('new columns are listed as new until a mapping is saved', { timeout: 60_000 }, async () => {
    await source.client.query(`create table growing (id bigint primary key, name text)`);
    await source.client.query(`insert into growing values (1, 'a')`);
    const dataset = await createTableDataset(api, source, {
      table: { source_table_namespace: 'public', source_table_name: 'growing' },
      type: 'dimension',
      dimension: { primary_key_column: 'id' },
    });
    await extractNow(api, dataset.id);
    await source.client.query('alter table growing add column plan text');
    await extractNow(api, dataset.id);
    expect(await datasetDrift(dataset.id)).toEqual({ columns: [], new_columns: ['plan'] });
    const destination = await create(
      api,
      '/import/destinations',
      {
        destination: {
          name: 'g',
          type: 'webhook_record',
          record_schema: { type: 'object', properties: { id: { type: 'string' } } },
          webhook_record: { request_template: { method: 'POST', uri: `${receiver.url}/r` } },
        },
      },
      'destination',
    );
    await create(
      api,
      '/import/streams',
      {
        stream: {
          name: 'g',
          dataset_id: dataset.id,
          destination_id: destination.id,
          is_enabled: false,
          mappings: [{ target_field: 'id', field_type: 'field', column: { name: 'id' } }],
        },
      },
      'stream',
    );
    expect(await datasetDrift(dataset.id)).toBeNull();
  });
});
