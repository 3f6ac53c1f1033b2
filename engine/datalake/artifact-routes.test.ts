import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { create, localDatalake } from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { ARTIFACT_SIGNING_PURPOSE, signArtifactUrl } from './artifact-url';
import type { DatalakeStore } from './datalake-store';
import { artifactKey } from './lake-keys';
import { openDatalakeFor } from './open-datalake-for';

let api: TestEngine;
let store: DatalakeStore;
let datalakeId: string;
const key = artifactKey('acme', 'load-1', 'batch-00001.csv');

beforeAll(async () => {
  api = await startTestEngine();
  api.engine.publicUrl = api.baseUrl;
  datalakeId = (await create(api, '/import/datalakes', localDatalake(), 'datalake')).id;
  store = await openDatalakeFor(api.engine, datalakeId);
  await store.putBytes(key, 'id,name\n1,Ada\n');
});
afterAll(() => api.close());

const signed = (overrides: { key?: string; expiresAt?: number; datalakeId?: string } = {}) =>
  signArtifactUrl({
    baseUrl: api.baseUrl,
    datalakeId: overrides.datalakeId ?? datalakeId,
    key: overrides.key ?? key,
    expiresAt: overrides.expiresAt ?? Math.floor(Date.now() / 1000) + 300,
    secret: api.engine.secretBox.deriveKey(ARTIFACT_SIGNING_PURPOSE),
  });

async function errorOf(response: Response) {
  return {
    status: response.status,
    body: (await response.json()) as { status: string; error: { code: string }; message: string },
  };
}

describe('GET /public/artifacts/{datalake_id}/{key}', () => {
  test('streams the file to anyone holding a valid link, with no API key', async () => {
    const response = await fetch(await store.presignedUrl(key, 60));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="batch-00001.csv"',
    );
    expect(response.headers.get('content-length')).toBe('14');
    expect(await response.text()).toBe('id,name\n1,Ada\n');
  });

  test('answers 403 invalid_signature to a tampered link', async () => {
    const url = new URL(signed());
    url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    const moved = signed().replace('batch-00001.csv', 'batch-00002.csv');
    for (const tampered of [
      url.toString(),
      moved,
      signed().replace(/signature=.*/, 'signature=' + '0'.repeat(64)),
      signed().split('?')[0]!,
    ]) {
      const { status, body } = await errorOf(await fetch(tampered));
      expect(status).toBe(403);
      expect(body).toMatchObject({ status: 'error', error: { code: 'invalid_signature' } });
    }
  });

  test('answers 404 to an expired link, and to a link whose file or datalake is gone', async () => {
    const expired = await errorOf(
      await fetch(signed({ expiresAt: Math.floor(Date.now() / 1000) - 1 })),
    );
    expect(expired).toMatchObject({
      status: 404,
      body: { status: 'error', error: { code: 'link_expired' } },
    });
    expect(expired.body.message).toMatch(/expired/);

    const absent = await errorOf(
      await fetch(signed({ key: artifactKey('acme', 'load-1', 'never-written.csv') })),
    );
    expect(absent).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });

    const otherLake = await errorOf(
      await fetch(signed({ datalakeId: '0194d3c2-8f1e-7a00-b000-00000000dead' })),
    );
    expect(otherLake).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  test('never serves anything outside the datalake, even when signed', async () => {
    for (const path of [
      '/public/artifacts/x/..%2F..%2Fetc%2Fpasswd',
      `/public/artifacts/${datalakeId}/..%2Fencryption-key?expires=9999999999&signature=${'0'.repeat(64)}`,
    ]) {
      const response = await fetch(`${api.baseUrl}${path}`);
      expect([403, 404]).toContain(response.status);
    }
  });

  test('is documented in the OpenAPI document as a public route', async () => {
    const response = await api.request<{
      paths: Record<string, { get?: { security?: unknown[] } }>;
    }>('GET', '/openapi.json');
    expect(response.body.paths['/public/artifacts/{datalake_id}/{key}']?.get?.security).toEqual([]);
  });
});
