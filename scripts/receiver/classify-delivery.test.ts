import { describe, expect, it } from 'vitest';
import { classifyDelivery } from './classify-delivery';

const classify = (body: unknown, method = 'POST', provider = 'acme') =>
  classifyDelivery({
    method,
    provider,
    rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  });

describe('classifyDelivery', () => {
  it('reads a webhook_record body as one record keyed by its id', () => {
    expect(classify({ id: 42, email: 'a@example.com' })).toEqual({
      kind: 'record',
      parsed: { id: 42, email: 'a@example.com' },
      view: { record: { id: 42, email: 'a@example.com' }, key: '42', isDeleted: false },
    });
  });

  it('keeps a record that merely has a format field a record', () => {
    expect(classify({ id: '1', format: 'json' }).kind).toBe('record');
  });

  it('marks deletions by _prequel_is_deleted, by the documented data/is_deleted template, or by DELETE', () => {
    expect(classify({ id: '1', _prequel_is_deleted: true })).toMatchObject({
      view: { key: '1', isDeleted: true },
    });
    expect(classify({ data: { id: '2', email: 'x' }, is_deleted: true })).toMatchObject({
      view: { record: { id: '2', email: 'x' }, key: '2', isDeleted: true },
    });
    expect(classify({ data: { id: '3' }, is_deleted: false })).toMatchObject({
      view: { key: '3', isDeleted: false },
    });
    expect(classify({ id: '4' }, 'DELETE')).toMatchObject({ view: { key: '4', isDeleted: true } });
  });

  it('keeps a body that is not JSON without a parsed record', () => {
    expect(classify('email=a%40example.com')).toEqual({ kind: 'record', parsed: null, view: null });
  });

  it('reads a json batch record by record', () => {
    const batch = classify({
      records: [{ id: '1' }, { id: '2', _prequel_is_deleted: true }, { name: 'no id' }],
      format: 'json',
      provider_id: 'acme',
      load_id: 'L1',
    });
    expect(batch).toEqual({
      kind: 'batch-json',
      providerId: 'acme',
      loadId: 'L1',
      records: [
        { record: { id: '1' }, key: '1', isDeleted: false },
        { record: { id: '2', _prequel_is_deleted: true }, key: '2', isDeleted: true },
        { record: { name: 'no id' }, key: null, isDeleted: false },
      ],
    });
  });

  it('reads a file batch as a link to fetch', () => {
    expect(
      classify({
        format: 'csv',
        path: 'artifacts/b.csv',
        presigned_url: 'http://127.0.0.1:1/x',
        provider_id: 'acme',
        load_id: 'L1',
      }),
    ).toEqual({
      kind: 'batch-file',
      format: 'csv',
      path: 'artifacts/b.csv',
      presignedUrl: 'http://127.0.0.1:1/x',
      providerId: 'acme',
      loadId: 'L1',
    });
  });

  it('refuses a batch for another provider than the signed header, and malformed or unsupported batches', () => {
    expect(classify({ records: [], format: 'json', provider_id: 'globex' })).toMatchObject({
      kind: 'invalid',
      status: 401,
      reason: 'provider_mismatch',
    });
    expect(classify({ records: {}, format: 'json' })).toMatchObject({
      kind: 'invalid',
      status: 400,
      reason: 'malformed_batch',
    });
    expect(classify({ presigned_url: 'http://127.0.0.1/x', format: 'parquet' })).toMatchObject({
      kind: 'invalid',
      status: 400,
      reason: 'malformed_batch',
    });
    expect(
      classify({ presigned_url: 'http://127.0.0.1/x', path: 'm.json', format: 'iceberg' }),
    ).toMatchObject({ kind: 'invalid', status: 400, reason: 'unsupported_format' });
  });
});
