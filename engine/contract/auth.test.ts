import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

let api: TestEngine;
beforeAll(async () => {
  api = await startTestEngine();
});
afterAll(() => api.close());

describe('authentication', () => {
  test('GET / answers 200 with a valid key, whatever the header case', async () => {
    const response = await fetch(`${api.baseUrl}/`, { headers: { 'X-API-KEY': api.apiKey } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'success',
      data: { service: 'inlet-engine' },
    });
  });

  test('every API route answers 401 without a key or with a wrong one', async () => {
    for (const path of [
      '/',
      '/import/datalakes',
      '/import/sources',
      '/import/streams/x',
      '/logs',
      '/webhooks',
    ]) {
      for (const headers of [
        {},
        { 'x-api-key': 'wrong-key' },
        { 'x-api-key': `${api.apiKey}x` },
      ] as Record<string, string>[]) {
        const response = await fetch(`${api.baseUrl}${path}`, { headers });
        expect(response.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(await response.json()).toMatchObject({
          status: 'error',
          error: { code: 'unauthorized' },
        });
      }
    }
    const post = await fetch(`${api.baseUrl}/import/datalakes`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(401);
  });

  test('health and the OpenAPI document are public', async () => {
    expect((await fetch(`${api.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${api.baseUrl}/openapi.json`)).status).toBe(200);
  });
});

describe('the OpenAPI document', () => {
  test('describes every management endpoint with the schemas that validate requests', async () => {
    const doc = (await (await fetch(`${api.baseUrl}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: { 'application/json': { schema: { properties: Record<string, unknown> } } };
            };
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const plural of [
      'datalakes',
      'providers',
      'products',
      'sources',
      'datasets',
      'destinations',
      'streams',
    ]) {
      expect(Object.keys(doc.paths[`/import/${plural}`]!).sort()).toEqual(['get', 'post']);
      expect(Object.keys(doc.paths[`/import/${plural}/{id}`]!).sort()).toEqual([
        'delete',
        'get',
        'patch',
      ]);
    }
    expect(doc.paths['/logs']).toBeDefined();
    expect(doc.paths['/webhooks/{id}']).toBeDefined();
    const sourceBody =
      doc.paths['/import/sources']!.post!.requestBody!.content['application/json'].schema;
    const sourceSchema = sourceBody.properties.source as { oneOf?: unknown[]; anyOf?: unknown[] };
    expect((sourceSchema.oneOf ?? sourceSchema.anyOf)!.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(sourceSchema)).toContain('password_auth');
    expect(doc.paths['/import/streams']!.post!.responses).toHaveProperty('403');
    expect(doc.paths['/import/datalakes/{id}']!.delete!.responses).toHaveProperty('409');
  });

  test('describes what every extract and load endpoint answers', async () => {
    type Operation = {
      responses: Record<string, { content?: { 'application/json': { schema: unknown } } }>;
    };
    const doc = (await (await fetch(`${api.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const jobRoutes = [
      ['/import/datasets/{id}/extract', 'post', '201'],
      ['/import/extracts', 'get', '200'],
      ['/import/extracts/{id}', 'get', '200'],
      ['/import/extracts/{id}/cancel', 'post', '200'],
      ['/import/streams/{id}/load', 'post', '200'],
      ['/import/loads', 'get', '200'],
      ['/import/loads/{id}', 'get', '200'],
      ['/import/loads/{id}/cancel', 'post', '200'],
    ] as const;
    for (const [path, method, status] of jobRoutes) {
      const schema =
        doc.paths[path]![method]!.responses[status]!.content?.['application/json'].schema;
      expect(JSON.stringify(schema), `${method} ${path}`).toContain('records_errored');
    }
  });
});

describe('rate limiting', () => {
  test('answers 429 with Retry-After once a key exceeds its rate, in the error shape', async () => {
    const limited = await startTestEngine({ requestsPerSecond: 5 });
    try {
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 15; i++) {
        last = await fetch(`${limited.baseUrl}/import/datalakes`, {
          headers: { 'x-api-key': limited.apiKey },
        });
        statuses.push(last.status);
        if (last.status === 429) break;
      }
      expect(statuses).toContain(429);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(5);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await last!.json()).toMatchObject({
        status: 'error',
        error: { code: 'rate_limited' },
      });
      // The public health check is not limited.
      expect((await fetch(`${limited.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  test('keeps a bucket per provider (X-Inlet-Provider), so one busy tenant leaves the key usable for the others', async () => {
    const limited = await startTestEngine({
      requestsPerSecond: 1000,
      requestsPerProviderPerSecond: 3,
    });
    try {
      const as = (provider?: string) =>
        fetch(`${limited.baseUrl}/import/datalakes`, {
          headers: {
            'x-api-key': limited.apiKey,
            ...(provider ? { 'x-inlet-provider': encodeURIComponent(provider) } : {}),
          },
        });
      const busy: number[] = [];
      for (let i = 0; i < 10; i++) busy.push((await as('busy tenant')).status);
      expect(busy.filter((status) => status === 200).length).toBeGreaterThanOrEqual(6);
      expect(busy).toContain(429);
      const refused = await as('busy tenant');
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({
        error: { code: 'rate_limited' },
        message: expect.stringContaining('busy tenant'),
      });
      // Another tenant, and calls made for no tenant (the support console), still get through.
      expect((await as('quiet-tenant')).status).toBe(200);
      expect((await as()).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
