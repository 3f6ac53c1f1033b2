import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { create, localDatalake, provider } from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { DatalakeNotSupportedError } from './datalake-error';
import { openDatalakeFor, openDatalakeForProvider } from './open-datalake-for';

let api: TestEngine;
beforeAll(async () => {
  api = await startTestEngine();
});
afterAll(() => api.close());

describe('opening a saved datalake', () => {
  test('reuses the opened store until the datalake changes', async () => {
    const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const first = await openDatalakeFor(api.engine, lake.id);
    expect(await openDatalakeFor(api.engine, lake.id)).toBe(first);
    expect(first.description).toMatch(/\/datalake$/);

    const patched = await api.request('PATCH', `/import/datalakes/${lake.id}`, {
      datalake: { local: { path: 'moved' } },
    });
    expect(patched.status, patched.text).toBe(200);
    const second = await openDatalakeFor(api.engine, lake.id);
    expect(second).not.toBe(first);
    expect(second.description).toMatch(/\/moved$/);
  });

  test('finds a provider’s datalake', async () => {
    const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const tenant = await create(api, '/import/providers', provider(lake.id), 'provider');
    const store = await openDatalakeForProvider(api.engine, tenant.id);
    expect(store).toBe(await openDatalakeFor(api.engine, lake.id));
  });

  test('says what is missing when the datalake or the provider does not exist', async () => {
    await expect(
      openDatalakeFor(api.engine, '0194d3c2-8f1e-7a00-b000-00000000dead'),
    ).rejects.toMatchObject({ code: 'datalake_not_found' });
    await expect(openDatalakeFor(api.engine, 'not-a-uuid')).rejects.toMatchObject({
      code: 'datalake_not_found',
    });
    await expect(openDatalakeForProvider(api.engine, 'nobody')).rejects.toMatchObject({
      code: 'provider_not_found',
    });
  });

  test('refuses storage the engine cannot use yet, with a way forward', async () => {
    const lake = await create(
      api,
      '/import/datalakes',
      { datalake: { name: 'gcs-lake', storage: 'gcs', gcs: { bucket_name: 'b' } } },
      'datalake',
    );
    const failure = openDatalakeFor(api.engine, lake.id);
    await expect(failure).rejects.toThrow(DatalakeNotSupportedError);
    await expect(failure).rejects.toMatchObject({
      hint: expect.stringMatching(/s3_compatible.*storage\.googleapis\.com/),
    });
  });
});
