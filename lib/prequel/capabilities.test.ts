import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

const { capabilitiesOf } = await import('./capabilities');

const none = {
  tables: false,
  providerFilter: false,
  connectionChecks: false,
  extractProgress: false,
  previewFieldErrors: false,
  auditProviderFilter: false,
  cancel: false,
  resync: false,
  healthSummaries: false,
  providerStatus: false,
  supportEvents: false,
};
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

describe('capabilitiesOf', () => {
  it('reads nothing into a body that is not an OpenAPI document', () => {
    for (const body of [
      undefined,
      '<html>not found</html>',
      { status: 'error' },
      { openapi: '3.1.0' },
    ])
      expect(capabilitiesOf(body)).toEqual(none);
  });

  it('follows $ref, so a document that shares its schemas reads like an inline one', () => {
    const doc = {
      openapi: '3.1.0',
      components: {
        parameters: { provider: { name: 'provider_id', in: 'query' } },
        schemas: {
          Extract: {
            type: 'object',
            properties: { id: { type: 'string' }, progress: { type: 'object' } },
          },
          ExtractEnvelope: {
            type: 'object',
            properties: {
              data: {
                type: 'object',
                properties: { extract: { $ref: '#/components/schemas/Extract' } },
              },
            },
          },
        },
      },
      paths: {
        '/import/sources': { get: { parameters: [{ $ref: '#/components/parameters/provider' }] } },
        '/import/datasets': { get: { parameters: [{ name: 'provider_id', in: 'query' }] } },
        '/import/streams': { get: { parameters: [] } },
        '/import/extracts/{id}': {
          get: { responses: { '200': json({ $ref: '#/components/schemas/ExtractEnvelope' }) } },
        },
        '/import/test-source': {
          post: {
            responses: {
              '200': json({
                type: 'object',
                properties: { data: { type: 'object', properties: { code: {} } } },
              }),
            },
          },
        },
      },
    };
    // Streams cannot be filtered by provider, so the filter counts as missing; test-source declares no checks.
    expect(capabilitiesOf(doc)).toEqual({ ...none, extractProgress: true });
  });

  it('reads cancel from its two operations, and re-sync from the request bodies that take full_refresh and redeliver', () => {
    const body = (property: string) => ({
      requestBody: json({ type: 'object', properties: { [property]: { type: 'boolean' } } }),
    });
    const doc = {
      openapi: '3.1.0',
      paths: {
        '/import/extracts/{id}/cancel': { post: {} },
        '/import/loads/{id}/cancel': { post: {} },
        '/import/datasets/{id}/extract': { post: body('full_refresh') },
        '/import/streams/{id}/load': { post: body('redeliver') },
      },
    };
    expect(capabilitiesOf(doc)).toEqual({ ...none, cancel: true, resync: true });
    const withoutRedeliver = {
      ...doc,
      paths: {
        ...doc.paths,
        '/import/streams/{id}/load': { post: body('record_ids') },
        '/import/loads/{id}/cancel': {},
      },
    };
    expect(capabilitiesOf(withoutRedeliver)).toEqual(none);
  });

  it('reads the status summaries from their operation', () => {
    expect(
      capabilitiesOf({ openapi: '3.1.0', paths: { '/import/status/providers': { get: {} } } }),
    ).toEqual({ ...none, healthSummaries: true });
    expect(
      capabilitiesOf({ openapi: '3.1.0', paths: { '/import/status/providers': { post: {} } } }),
    ).toEqual(none);
  });

  it("reads one tenant's status summary from its operation", () => {
    const doc = { openapi: '3.1.0', paths: { '/import/providers/{id}/status': { get: {} } } };
    expect(capabilitiesOf(doc)).toEqual({ ...none, providerStatus: true });
  });
});
