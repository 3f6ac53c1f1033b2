import { describe, expect, test } from 'vitest';
import type { DestinationCreate } from '../../lib/prequel/contract/destination';
import {
  createRequestRenderer,
  deliveredRecord,
  type OutgoingRecord,
  type RenderOutcome,
  toJson,
} from './render-request';

const schema = { type: 'object', properties: { id: { type: 'string' } } };
const recordDestination = (template: Record<string, unknown>): DestinationCreate =>
  ({
    name: 'd',
    type: 'webhook_record',
    record_schema: schema,
    webhook_record: { request_template: { method: 'POST', ...template } },
    max_records_per_minute: 3000,
    max_concurrency: 1,
  }) as unknown as DestinationCreate;

describe('rendering requests', () => {
  test('a record destination without a body template sends the record as JSON, big numbers exact', () => {
    const renderer = createRequestRenderer(
      recordDestination({ uri: 'http://127.0.0.1:9000/users/{{.Record.id}}' }),
      'acme',
    );
    const outcome = renderer.forRecord({
      recordId: '7',
      isDeleted: false,
      record: { id: '7', balance: 9007199254740993n, name: 'Zoë' },
    });
    expect(outcome).toEqual({
      ok: true,
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:9000/users/7',
        headers: { 'Content-Type': 'application/json' },
        body: '{"id":"7","balance":9007199254740993,"name":"Zoë"}',
      },
    });
  });

  test('templates see .Record, .Record.AsJson, .IsDeleted and .ProviderID', () => {
    const renderer = createRequestRenderer(
      recordDestination({
        uri: 'http://127.0.0.1:9000/{{.ProviderID}}/{{if .IsDeleted}}delete{{else}}upsert{{end}}',
        headers: { 'X-Tenant': '{{.ProviderID}}' },
        body: '{"data": {{.Record.AsJson}}, "deleted": {{.IsDeleted}}}',
      }),
      'acme',
    );
    const deleted = renderer.forRecord({ recordId: '7', isDeleted: true, record: { id: '7' } });
    expect(deleted).toMatchObject({
      ok: true,
      request: {
        url: 'http://127.0.0.1:9000/acme/delete',
        headers: { 'X-Tenant': 'acme' },
        body: '{"data": {"id":"7","_prequel_is_deleted":true}, "deleted": true}',
      },
    });
  });

  test("a batch destination sends the contract's envelope by default", () => {
    const destination = {
      ...recordDestination({ uri: 'http://127.0.0.1:9000/batch' }),
      type: 'webhook_batch',
      webhook_batch: {
        request_template: { method: 'POST', uri: 'http://127.0.0.1:9000/batch' },
        format: 'json',
        max_records_per_batch: 1000,
      },
    } as unknown as DestinationCreate;
    const outcome = createRequestRenderer(destination, 'acme').forBatch(
      [
        { recordId: '1', isDeleted: false, record: { id: '1' } },
        { recordId: '2', isDeleted: true, record: { id: '2' } },
      ],
      'load-1',
    );
    expect(outcome.ok && JSON.parse(String(outcome.request.body))).toEqual({
      records: [{ id: '1' }, { id: '2', _prequel_is_deleted: true }],
      format: 'json',
      provider_id: 'acme',
      load_id: 'load-1',
    });
  });

  test("a batch given its records' JSON sends those bytes, the same as it would write, and reads no record", () => {
    const destination = {
      ...recordDestination({ uri: 'http://127.0.0.1:9000/batch' }),
      type: 'webhook_batch',
      webhook_batch: {
        request_template: { method: 'POST', uri: 'http://127.0.0.1:9000/batch' },
        format: 'json',
        max_records_per_batch: 1000,
      },
    } as unknown as DestinationCreate;
    const renderer = createRequestRenderer(destination, 'acme "x"');
    const live = [
      {
        recordId: '1',
        isDeleted: false,
        record: { id: '1', name: 'Zoë "q"', nested: { a: [1, null] } },
      },
      { recordId: '2', isDeleted: false, record: { id: '2', balance: 9007199254740993n } },
    ];
    // The bytes a load encoded (records as delivered), and the body as text, whichever form the renderer returns.
    const bytes = (items: OutgoingRecord[]) => Buffer.from(toJson(items.map(deliveredRecord)));
    const text = (outcome: RenderOutcome) =>
      outcome.ok ? String(outcome.request.body) : outcome.message;
    const given = renderer.forBatch(live, 'load-1', undefined, bytes(live));
    expect(given.ok && Buffer.isBuffer(given.request.body)).toBe(true);
    expect(text(given)).toBe(text(renderer.forBatch(live, 'load-1')));
    expect(text(given)).toBe(
      '{"records":[{"id":"1","name":"Zoë \\"q\\"","nested":{"a":[1,null]}},{"id":"2","balance":9007199254740993}],"format":"json","provider_id":"acme \\"x\\"","load_id":"load-1"}',
    );

    // A deletion goes flagged, written by the renderer or given.
    const withDeletion = [...live, { recordId: '3', isDeleted: true, record: { id: '3' } }];
    expect(JSON.parse(text(renderer.forBatch(withDeletion, 'load-1'))).records[2]).toEqual({
      id: '3',
      _prequel_is_deleted: true,
    });
    expect(text(renderer.forBatch(withDeletion, 'load-1', undefined, bytes(withDeletion)))).toBe(
      text(renderer.forBatch(withDeletion, 'load-1')),
    );

    // Only the given JSON could have put this in the body: it is what the caller wrote, not re-rendered.
    const marked = renderer.forBatch(
      withDeletion,
      'load-1',
      undefined,
      Buffer.from(bytes(withDeletion).toString().replace('"id":"3"', '"id":"3","given":1')),
    );
    expect(text(marked)).toContain('"given":1');

    // With the JSON given, records are read only by a template that asks for them (a load's pages parse them then).
    const unread = live.map((item) => ({
      recordId: item.recordId,
      isDeleted: false,
      get record(): Record<string, unknown> {
        throw new Error('read');
      },
    }));
    expect(text(renderer.forBatch(unread, 'load-1', undefined, bytes(live)))).toBe(text(given));
    const counting = createRequestRenderer(
      {
        ...destination,
        webhook_batch: {
          ...destination.webhook_batch!,
          request_template: {
            method: 'POST',
            uri: 'http://127.0.0.1:9000/batch',
            body: '{{len .Records}}',
          },
        },
      },
      'acme',
    );
    expect(() => counting.forBatch(unread, 'load-1', undefined, bytes(live))).toThrow('read');
    expect(text(counting.forBatch(live, 'load-1', undefined, bytes(live)))).toBe('2');
    const headed = createRequestRenderer(
      {
        ...destination,
        webhook_batch: {
          ...destination.webhook_batch!,
          request_template: {
            method: 'POST',
            uri: 'http://127.0.0.1:9000/batch',
            headers: { 'X-Count': '{{len .Records}}' },
          },
        },
      },
      'acme',
    );
    expect(headed.forBatch(live, 'load-1', undefined, bytes(live))).toMatchObject({
      ok: true,
      request: { headers: { 'X-Count': '2' } },
    });
  });

  test('a csv or parquet batch sends where its file is instead of the records; templates see the file too', () => {
    const batch = (template: Record<string, unknown>) =>
      ({
        ...recordDestination({ uri: 'http://x' }),
        type: 'webhook_batch',
        webhook_batch: {
          request_template: { method: 'POST', ...template },
          format: 'csv',
          max_records_per_batch: 1000,
        },
      }) as unknown as DestinationCreate;
    const items = [
      { recordId: '1', isDeleted: false, record: { id: '1' } },
      { recordId: '2', isDeleted: true, record: { id: '2' } },
    ];
    const file = {
      format: 'csv' as const,
      path: 'artifacts/acme/load-1/batch-ab.csv',
      presignedUrl: 'http://127.0.0.1:4000/public/artifacts/x?expires=1&signature=s',
    };
    const outcome = createRequestRenderer(
      batch({ uri: 'http://127.0.0.1:9000/batch' }),
      'acme',
    ).forBatch(items, 'load-1', file);
    expect(outcome.ok && JSON.parse(String(outcome.request.body))).toEqual({
      format: 'csv',
      path: file.path,
      presigned_url: file.presignedUrl,
      record_count: 2,
      provider_id: 'acme',
      load_id: 'load-1',
    });

    const templated = createRequestRenderer(
      batch({
        uri: 'http://127.0.0.1:9000/{{.ProviderID}}/{{.Format}}',
        body: '{{.LoadID}} {{.Path}} {{len .Records}} {{.PresignedURL}}',
      }),
      'acme',
    ).forBatch(items, 'load-1', file);
    expect(templated).toMatchObject({
      ok: true,
      request: {
        url: 'http://127.0.0.1:9000/acme/csv',
        body: `load-1 ${file.path} 2 ${file.presignedUrl}`,
      },
    });
  });

  test('a template that renders something unusable fails for that record, with the reason', () => {
    const notUrl = createRequestRenderer(
      recordDestination({ uri: '{{.Record.target}}' }),
      'acme',
    ).forRecord({ recordId: '1', isDeleted: false, record: { target: 'file:///etc/passwd' } });
    expect(notUrl).toMatchObject({
      ok: false,
      message: expect.stringContaining('not an http(s) URL'),
    });
    const injected = createRequestRenderer(
      recordDestination({ uri: 'http://127.0.0.1/x', headers: { 'X-Name': '{{.Record.name}}' } }),
      'acme',
    ).forRecord({ recordId: '1', isDeleted: false, record: { name: 'a\r\nX-Admin: true' } });
    expect(injected).toMatchObject({ ok: false, message: expect.stringContaining('line break') });
  });

  test('toJson keeps bigints exact and leaves strings alone', () => {
    expect(toJson({ a: 12345678901234567890n, b: '__bigint__1', c: [-5n] })).toBe(
      '{"a":12345678901234567890,"b":"__bigint__1","c":[-5]}',
    );
  });
});
