import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '@/engine/testing/test-engine';
import type { PrequelResult } from '@/lib/prequel/client';
import type { CustomerSession } from './session';

vi.mock('server-only', () => ({}));

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ jobs: false });
  vi.stubEnv('PREQUEL_API_URL', engine.baseUrl);
  vi.stubEnv('PREQUEL_API_KEY', engine.apiKey);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await engine?.close();
});

const unwrap = <T>(result: PrequelResult<T>): T => {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.data;
};
const sessionOf = (providerId: string): CustomerSession => ({
  v: 1,
  kind: 'session',
  sid: randomBytes(18).toString('base64url'),
  role: 'customer',
  providerId,
  scope: 'full',
  actor: null,
  exp: 0,
});

describe('a job is the session’s only through its dataset', () => {
  it('answers another tenant’s extract exactly like a missing one, and the owner’s as it is', async () => {
    const api = {
      ...(await import('@/lib/prequel/providers')),
      ...(await import('@/lib/prequel/sources')),
      ...(await import('@/lib/prequel/datasets')),
    };
    const { ownedExtract } = await import('./ownership');
    const lake = unwrap(
      await api.createDatalake({
        name: `lake-${randomUUID()}`,
        storage: 'local',
        local: { path: 'datalake' },
      }),
    );
    const [owner, other] = await Promise.all(
      ['owner', 'other'].map(async (name) =>
        unwrap(
          await api.createProvider({
            id: `${name}-${randomUUID().slice(0, 8)}`,
            name,
            datalake_id: lake.id,
            products: ['all'],
          }),
        ),
      ),
    );
    const source = unwrap(
      await api.createSource({
        name: 'pg',
        vendor: 'postgres',
        provider_id: owner!.id,
        postgres: {
          host: 'db.acme.example.com',
          port: 5432,
          database: 'production',
          password_auth: { username: 'prequel', password: 'secret-pw' },
        },
      }),
    );
    const dataset = unwrap(
      await api.createDataset({
        source_id: source.id,
        table: { source_table_namespace: 'public', source_table_name: 'users' },
        type: 'dimension',
        dimension: { primary_key_column: 'id' },
      }),
    );
    const extract = unwrap(await api.startExtract(dataset.id));

    expect(unwrap(await ownedExtract(sessionOf(owner!.id), extract.id)).id).toBe(extract.id);
    const foreign = await ownedExtract(sessionOf(other!.id), extract.id);
    const missing = await ownedExtract(sessionOf(other!.id), randomUUID());
    expect(foreign).toMatchObject({ ok: false, error: { code: 'not_found', status: 404 } });
    expect(foreign).toEqual(missing);
  });
});
