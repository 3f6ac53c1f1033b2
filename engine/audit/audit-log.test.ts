import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { create, createPipeline, postgresSource, stream, tableDataset } from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

type Entry = {
  id: string;
  event_type: string;
  resource_id: string;
  actor: { actor_id: string; type: string };
  actor_label: string | null;
  reason: string | null;
  provider_id: string | null;
  object: Record<string, unknown> | null;
  previous_object: Record<string, unknown> | null;
};
type Logs = { data: { logs: Entry[] }; has_next: boolean };

let api: TestEngine;
let pipeline: Awaited<ReturnType<typeof createPipeline>>;

beforeAll(async () => {
  api = await startTestEngine();
  pipeline = await createPipeline(api);
});
afterAll(() => api.close());

/** The headers as the app's client sends them: percent-encoded UTF-8. */
const said = (actor: string, reason: string) => ({
  'X-Inlet-Actor': encodeURIComponent(actor),
  'X-Inlet-Reason': encodeURIComponent(reason),
});

async function logs(query: string): Promise<Entry[]> {
  const response = await api.request<Logs>('GET', `/logs?order=asc&page_size=100&${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body.data.logs;
}

async function newStream(datasetId = pipeline.dataset.id) {
  return create(
    api,
    '/import/streams',
    stream(datasetId, pipeline.destination.id),
    'stream',
    '?skip_validation=true',
  );
}

describe('who acted and why', () => {
  test('a change carries the staff member and the reason into its entry, in any language', async () => {
    const reason = 'Kunde bat um neue Verbindung – Ticket #4711 (50 % schneller)';
    const created = await api.request<{ data: { source: { id: string } } }>(
      'POST',
      '/import/sources',
      postgresSource(pipeline.provider.id),
      {
        headers: said('support:ada@saas.example', reason),
      },
    );
    expect(created.status, created.text).toBe(200);
    const [entry] = await logs(`resource_id=${created.body.data.source.id}`);
    expect(entry).toMatchObject({
      event_type: 'IMPORT_SOURCE_ADD',
      actor: { type: 'api_key' },
      actor_label: 'support:ada@saas.example',
      reason,
      provider_id: pipeline.provider.id,
    });
    expect(
      (await api.request<{ data: { log: Entry } }>('GET', `/logs/${entry!.id}`)).body.data.log,
    ).toEqual(entry);
  });

  test('a change without the headers has neither, and plain ASCII needs no encoding', async () => {
    const quiet = await create(
      api,
      '/import/sources',
      postgresSource(pipeline.provider.id),
      'source',
    );
    expect((await logs(`resource_id=${quiet.id}`))[0]).toMatchObject({
      actor_label: null,
      reason: null,
    });

    const plain = await api.request(
      'PATCH',
      `/import/sources/${quiet.id}`,
      { source: { name: `${quiet.name}-renamed` } },
      {
        headers: { 'X-Inlet-Actor': 'customer:acme', 'X-Inlet-Reason': 'renamed by the customer' },
      },
    );
    expect(plain.status, plain.text).toBe(200);
    expect(
      (await logs(`resource_id=${quiet.id}&event_type=IMPORT_SOURCE_UPDATE`))[0],
    ).toMatchObject({ actor_label: 'customer:acme', reason: 'renamed by the customer' });
  });

  test.each([
    [
      'an actor over 200 characters',
      { 'X-Inlet-Actor': `support:${'a'.repeat(200)}` },
      'X-Inlet-Actor',
      /at most 200 characters/,
    ],
    [
      'a reason over 1000 characters',
      { 'X-Inlet-Reason': 'why '.repeat(251) },
      'X-Inlet-Reason',
      /at most 1000 characters/,
    ],
    [
      'a reason with an encoded line break',
      { 'X-Inlet-Reason': encodeURIComponent('fine\r\nX-Injected: yes') },
      'X-Inlet-Reason',
      /control characters or line breaks/,
    ],
    [
      'an actor with a tab',
      { 'X-Inlet-Actor': 'support:\tada' },
      'X-Inlet-Actor',
      /control characters or line breaks/,
    ],
    [
      'a reason that is not valid percent-encoding',
      { 'X-Inlet-Reason': '100% sure' },
      'X-Inlet-Reason',
      /percent-encoded/,
    ],
  ])('%s is refused with 400 and changes nothing', async (_, headers, header, message) => {
    const before = (await logs(`resource_id=${pipeline.dataset.id}`)).length;
    const response = await api.request<{
      message: string;
      error: { code: string; details: { path: string }[] };
    }>(
      'PATCH',
      `/import/datasets/${pipeline.dataset.id}`,
      { dataset: { frequency_minutes: 7 } },
      { headers },
    );
    expect(response.status, response.text).toBe(400);
    expect(response.body.message).toMatch(message);
    expect(response.body.error).toMatchObject({
      code: 'invalid_header',
      details: [{ path: header }],
    });
    expect(await logs(`resource_id=${pipeline.dataset.id}`)).toHaveLength(before);
    expect(
      (
        await api.request<{ data: { dataset: { frequency_minutes: number } } }>(
          'GET',
          `/import/datasets/${pipeline.dataset.id}`,
        )
      ).body.data.dataset.frequency_minutes,
    ).toBe(60);
  });
});

describe('support actions are audited', () => {
  test('a manual extract is an IMPORT_EXTRACT_REQUEST entry with the extract, who asked and why; a repeat joins the queued one', async () => {
    const dataset = await create(
      api,
      '/import/datasets',
      tableDataset(pipeline.source.id, 'orders'),
      'dataset',
    );
    const first = await api.request<{ data: { extract: { id: string } } }>(
      'POST',
      `/import/datasets/${dataset.id}/extract`,
      undefined,
      {
        headers: said('support:ada@saas.example', 'customer reports stale orders'),
      },
    );
    expect(first.status, first.text).toBe(201);
    const extractId = first.body.data.extract.id;
    const again = await api.request<{ data: { extract: { id: string } } }>(
      'POST',
      `/import/datasets/${dataset.id}/extract`,
      undefined,
      {
        headers: said('support:bob@saas.example', 'second try'),
      },
    );
    expect(again.body.data.extract.id).toBe(extractId);

    const entries = await logs(`resource_id=${extractId}`);
    expect(entries).toEqual([
      expect.objectContaining({
        event_type: 'IMPORT_EXTRACT_REQUEST',
        actor: expect.objectContaining({ type: 'api_key' }),
        actor_label: 'support:ada@saas.example',
        reason: 'customer reports stale orders',
        provider_id: pipeline.provider.id,
        object: expect.objectContaining({
          id: extractId,
          dataset_id: dataset.id,
          status: 'queued',
        }),
        previous_object: null,
      }),
      expect.objectContaining({
        event_type: 'IMPORT_EXTRACT_REQUEST',
        actor_label: 'support:bob@saas.example',
        reason: 'second try',
      }),
    ]);
  });

  test('a manual load is an IMPORT_LOAD_REQUEST entry with the load, who asked and why', async () => {
    const target = await newStream();
    const response = await api.request<{ data: { load: { id: string } } }>(
      'POST',
      `/import/streams/${target.id}/load`,
      { record_ids: ['7'] },
      {
        headers: said('support:ada@saas.example', 'replay record 7 after the receiver fix'),
      },
    );
    expect(response.status, response.text).toBe(200);
    const loadId = response.body.data.load.id;
    expect(await logs(`resource_id=${loadId}`)).toEqual([
      expect.objectContaining({
        event_type: 'IMPORT_LOAD_REQUEST',
        actor_label: 'support:ada@saas.example',
        reason: 'replay record 7 after the receiver fix',
        provider_id: pipeline.provider.id,
        object: expect.objectContaining({
          id: loadId,
          stream_id: target.id,
          record_ids: ['7'],
          actor_type: 'api_key',
        }),
      }),
    ]);
  });

  test('pausing and resuming a stream are updates that say is_enabled before and after, with the reason', async () => {
    const target = await newStream();
    for (const [enabled, reason] of [
      [false, 'receiver down for maintenance'],
      [true, 'receiver back'],
    ] as const) {
      const response = await api.request(
        'PATCH',
        `/import/streams/${target.id}?skip_validation=true`,
        { stream: { is_enabled: enabled } },
        { headers: said('support:ada@saas.example', reason) },
      );
      expect(response.status, response.text).toBe(200);
    }
    const updates = await logs(`resource_id=${target.id}&event_type=IMPORT_STREAM_UPDATE`);
    expect(
      updates.map((entry) => [
        entry.previous_object?.is_enabled,
        entry.object?.is_enabled,
        entry.reason,
        entry.provider_id,
      ]),
    ).toEqual([
      [true, false, 'receiver down for maintenance', pipeline.provider.id],
      [false, true, 'receiver back', pipeline.provider.id],
    ]);
  });
});

describe('a tenant timeline', () => {
  test("provider_id returns only that tenant's entries: itself, its sources, datasets, streams, extracts and loads, deleted ones too", async () => {
    const mine = await createPipeline(api);
    const theirs = await createPipeline(api);
    const ownStream = await create(
      api,
      '/import/streams',
      stream(mine.dataset.id, mine.destination.id),
      'stream',
      '?skip_validation=true',
    );
    const extract = await api.request<{ data: { extract: { id: string } } }>(
      'POST',
      `/import/datasets/${mine.dataset.id}/extract`,
    );
    const load = await api.request<{ data: { load: { id: string } } }>(
      'POST',
      `/import/streams/${ownStream.id}/load`,
    );
    const spare = await create(api, '/import/sources', postgresSource(mine.provider.id), 'source');
    expect((await api.request('DELETE', `/import/sources/${spare.id}`)).status).toBe(200);
    await api.request('POST', `/import/datasets/${theirs.dataset.id}/extract`);

    const entries = await logs(`provider_id=${encodeURIComponent(mine.provider.id)}`);
    expect(entries.map((entry) => [entry.event_type, entry.resource_id])).toEqual([
      ['IMPORT_PROVIDER_ADD', mine.provider.id],
      ['IMPORT_SOURCE_ADD', mine.source.id],
      ['IMPORT_DATASET_ADD', mine.dataset.id],
      ['IMPORT_STREAM_ADD', ownStream.id],
      ['IMPORT_EXTRACT_REQUEST', extract.body.data.extract.id],
      ['IMPORT_LOAD_REQUEST', load.body.data.load.id],
      ['IMPORT_SOURCE_ADD', spare.id],
      ['IMPORT_SOURCE_DELETE', spare.id],
    ]);
    expect(new Set(entries.map((entry) => entry.provider_id))).toEqual(new Set([mine.provider.id]));
    // Shared configuration belongs to no tenant.
    expect((await logs(`resource_id=${mine.destination.id}`))[0]!.provider_id).toBeNull();
    expect(await logs('provider_id=nobody')).toEqual([]);
  });
});

test('the OpenAPI document declares the headers on the calls that write an entry, and the new filter and fields', async () => {
  const doc = (
    await api.request<{
      paths: Record<
        string,
        Record<
          string,
          { parameters: { name: string; in: string }[]; responses: Record<string, unknown> }
        >
      >;
    }>('GET', '/openapi.json')
  ).body;
  const headersOf = (path: string, method: string) =>
    doc.paths[path]![method]!.parameters.filter((p) => p.in === 'header').map((p) => p.name);
  for (const [path, method] of [
    ['/import/sources', 'post'],
    ['/import/streams/{id}', 'patch'],
    ['/import/streams/{id}', 'delete'],
    ['/import/datasets/{id}/extract', 'post'],
    ['/import/streams/{id}/load', 'post'],
  ]) {
    expect(headersOf(path!, method!), `${method} ${path}`).toEqual([
      'X-Inlet-Actor',
      'X-Inlet-Reason',
    ]);
  }
  expect(headersOf('/import/sources', 'get')).toEqual([]);
  expect(doc.paths['/logs']!.get!.parameters.map((p) => p.name)).toContain('provider_id');
  expect(JSON.stringify(doc.paths['/logs']!.get!.responses['200'])).toMatch(
    /"actor_label".*"reason".*"provider_id"/,
  );
});

describe('support events', () => {
  test('a reconnect link sent by support is kept in the tenant’s trail with its reason', async () => {
    const sent = await api.request<{ data: { log: Entry } }>(
      'POST',
      `/import/providers/${pipeline.provider.id}/support-events`,
      { event: { type: 'reconnect_link_sent' } },
      {
        headers: said('support:ada@saas.example', 'Customer rotated their password'),
      },
    );
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body.data.log).toMatchObject({
      event_type: 'SUPPORT_RECONNECT_LINK_SENT',
      resource_id: pipeline.provider.id,
      provider_id: pipeline.provider.id,
      reason: 'Customer rotated their password',
    });
    expect(
      (await logs(`provider_id=${pipeline.provider.id}&event_type=SUPPORT_RECONNECT_LINK_SENT`))
        .length,
    ).toBeGreaterThanOrEqual(1);
  });

  test('is refused without a reason, for an unknown provider, or of an unknown type', async () => {
    const path = `/import/providers/${pipeline.provider.id}/support-events`;
    expect(
      (await api.request('POST', path, { event: { type: 'reconnect_link_sent' } })).status,
    ).toBe(400);
    expect(
      (
        await api.request(
          'POST',
          path,
          { event: { type: 'coffee_made' } },
          { headers: said('support:x', 'because') },
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await api.request(
          'POST',
          '/import/providers/no-such-provider/support-events',
          { event: { type: 'reconnect_link_sent' } },
          { headers: said('support:x', 'because') },
        )
      ).status,
    ).toBe(404);
  });
});
