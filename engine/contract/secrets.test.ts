import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { create, localDatalake, postgresSource, provider } from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

let api: TestEngine;
beforeAll(async () => {
  api = await startTestEngine();
});
afterAll(() => api.close());

describe('source secrets', () => {
  test('a canary password never appears in a response, the audit log, the logs or the stored rows', async () => {
    const canary = `canary-${randomBytes(12).toString('hex')}`;
    const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const tenant = await create(api, '/import/providers', provider(lake.id), 'provider');
    const source = await create(
      api,
      '/import/sources',
      postgresSource(tenant.id, canary),
      'source',
    );
    expect(JSON.stringify(source)).not.toContain('password"');

    // Every way the source can be read back, changed, or fail.
    await api.request('GET', `/import/sources/${source.id}`);
    await api.request('GET', `/import/sources?provider_id=${tenant.id}`);
    await api.request('PATCH', `/import/sources/${source.id}`, { source: { name: 'renamed' } });
    await api.request('PATCH', `/import/sources/${source.id}`, {
      source: { postgres: { port: 'bad', password_auth: { password: canary } } },
    });
    await api.request('POST', '/import/sources', {
      source: { ...postgresSource(tenant.id, canary).source, provider_id: 'ghost' },
    });
    await api.request('POST', '/import/sources', {
      source: { ...postgresSource(tenant.id, canary).source, vendor: 'oracle' },
    });
    await api.request(
      'POST',
      '/import/sources',
      { raw: 1 },
      { rawBody: `{"source":{"password":"${canary}"` },
    );
    await api.request('GET', '/logs?page_size=100');
    await api.request('GET', `/logs?resource_id=${source.id}`);

    const everything = [...api.responses, ...api.logs].join('\n');
    expect(api.responses.length).toBeGreaterThan(8);
    expect(everything).not.toContain(canary);

    const rows = await api.database.db.query(`select * from sources`);
    const stored = JSON.stringify(rows.rows, (_, value) =>
      value?.type === 'Buffer' ? Buffer.from(value.data).toString('latin1') : value,
    );
    expect(stored).not.toContain(canary);
    const audit = await api.database.db.query('select * from audit_logs');
    expect(JSON.stringify(audit.rows)).not.toContain(canary);
  });

  test('a PATCH without a password keeps it while the endpoint stays; a PATCH with one replaces it', async () => {
    const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const tenant = await create(api, '/import/providers', provider(lake.id), 'provider');
    const source = await create(
      api,
      '/import/sources',
      postgresSource(tenant.id, 'first-password'),
      'source',
    );
    const read = async () => {
      const row = (
        await api.database.db.query<{ secrets: Buffer }>(
          'select secrets from sources where id = $1',
          [source.id],
        )
      ).rows[0]!;
      return api.engine.secretBox.open(`source:${source.id}`, row.secrets);
    };
    expect(
      (
        await api.request('PATCH', `/import/sources/${source.id}`, {
          source: { postgres: { schema: 'sales' } },
        })
      ).status,
    ).toBe(200);
    expect(await read()).toEqual({ 'postgres.password_auth.password': 'first-password' });
    // A new port is a new endpoint: the saved password does not follow it (saved-password-redirect.test.ts has the attack).
    const moved = await api.request<{ error: { code: string } }>(
      'PATCH',
      `/import/sources/${source.id}`,
      { source: { postgres: { port: 6000 } } },
    );
    expect(moved.status).toBe(422);
    expect(moved.body.error.code).toBe('secret_required');
    expect(await read()).toEqual({ 'postgres.password_auth.password': 'first-password' });
    await api.request('PATCH', `/import/sources/${source.id}`, {
      source: { postgres: { port: 6000, password_auth: { password: 'second-password' } } },
    });
    expect(await read()).toEqual({ 'postgres.password_auth.password': 'second-password' });
  });

  test('a ciphertext copied onto another source fails to decrypt', async () => {
    const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
    const tenant = await create(api, '/import/providers', provider(lake.id), 'provider');
    const a = await create(
      api,
      '/import/sources',
      postgresSource(tenant.id, 'password-a'),
      'source',
    );
    const b = await create(
      api,
      '/import/sources',
      postgresSource(tenant.id, 'password-b'),
      'source',
    );
    await api.database.db.query(
      'update sources set secrets = (select secrets from sources where id = $1) where id = $2',
      [a.id, b.id],
    );
    const row = (
      await api.database.db.query<{ secrets: Buffer }>(
        'select secrets from sources where id = $1',
        [b.id],
      )
    ).rows[0]!;
    expect(() => api.engine.secretBox.open(`source:${b.id}`, row.secrets)).toThrow(
      /could not be decrypted/,
    );
    // The API says so instead of using the other tenant's password.
    const patch = await api.request<{ error: { code: string } }>(
      'PATCH',
      `/import/sources/${b.id}`,
      { source: { name: 'x' } },
    );
    expect(patch.status).toBe(500);
    expect(patch.body.error.code).toBe('secret_unreadable');
    expect(patch.text).not.toContain('password-a');
  });

  test('datalake and webhook secrets are write-only too', async () => {
    const lake = await create(
      api,
      '/import/datalakes',
      {
        datalake: {
          name: 'minio',
          storage: 's3_compatible',
          s3_compatible: {
            endpoint: 'http://127.0.0.1:4569',
            bucket_name: 'lake',
            access_id: 'S3RVER',
            secret_key: 'lake-secret-canary',
          },
        },
      },
      'datalake',
    );
    expect(JSON.stringify(lake)).not.toContain('lake-secret-canary');
    expect(lake.s3_compatible).toMatchObject({ access_id: 'S3RVER', force_path_style: true });
    const hook = await create(
      api,
      '/webhooks',
      {
        webhook: {
          vendor: 'generic_post',
          url: 'http://127.0.0.1:9/h',
          api_key: 'hook-secret-canary',
        },
      },
      'webhook',
    );
    expect(hook).toMatchObject({ has_api_key: true });
    expect(JSON.stringify(hook)).not.toContain('hook-secret-canary');
  });

  test('a datalake secret key and a webhook API key follow only their bucket and URL', async () => {
    const lake = await create(
      api,
      '/import/datalakes',
      {
        datalake: {
          name: 'minio',
          storage: 's3_compatible',
          s3_compatible: {
            endpoint: 'http://127.0.0.1:4569',
            bucket_name: 'lake',
            access_id: 'S3RVER',
            secret_key: 'lake-secret',
          },
        },
      },
      'datalake',
    );
    const patchLake = (s3_compatible: Record<string, unknown>) =>
      api.request<{ error: { code: string; details: { path: string; message: string }[] } }>(
        'PATCH',
        `/import/datalakes/${lake.id}`,
        { datalake: { s3_compatible } },
      );
    for (const [change, words] of [
      [{ endpoint: 'http://127.0.0.2:4569' }, 'the endpoint changed'],
      [{ bucket_name: 'another-bucket' }, 'the bucket changed'],
    ] as const) {
      const moved = await patchLake(change);
      expect(moved.status).toBe(422);
      expect(moved.body.error).toEqual({
        code: 'secret_required',
        details: [
          {
            path: 'datalake.s3_compatible.secret_key',
            message: `enter the secret key again: ${words}`,
          },
        ],
      });
    }
    expect((await patchLake({ prefix: 'imports' })).status).toBe(200);
    expect(
      (await patchLake({ bucket_name: 'another-bucket', secret_key: 'its-own-secret' })).status,
    ).toBe(200);

    const aws = await create(
      api,
      '/import/datalakes',
      {
        datalake: {
          name: 'aws',
          storage: 's3',
          s3: {
            bucket_name: 'lake',
            bucket_region: 'eu-west-1',
            auth_method: 'aws_access_keys',
            aws_access_keys: { access_id: 'AKID', secret_key: 'aws-secret' },
          },
        },
      },
      'datalake',
    );
    const region = await api.request<{ error: { details: { path: string }[] } }>(
      'PATCH',
      `/import/datalakes/${aws.id}`,
      { datalake: { s3: { bucket_region: 'us-east-1' } } },
    );
    expect(region.status).toBe(422);
    expect(region.body.error.details[0]!.path).toBe('datalake.s3.aws_access_keys.secret_key');

    const hook = await create(
      api,
      '/webhooks',
      { webhook: { vendor: 'generic_post', url: 'http://127.0.0.1:9/h', api_key: 'hook-secret' } },
      'webhook',
    );
    const redirected = await api.request<{ error: { code: string; details: { path: string }[] } }>(
      'PATCH',
      `/webhooks/${hook.id}`,
      { webhook: { url: 'http://collector.example.com/h' } },
    );
    expect(redirected.status).toBe(422);
    expect(redirected.body.error).toMatchObject({
      code: 'secret_required',
      details: [{ path: 'webhook.api_key' }],
    });
    expect(
      (
        await api.request('PATCH', `/webhooks/${hook.id}`, {
          webhook: { url: 'http://127.0.0.1:9/other-path' },
        })
      ).status,
    ).toBe(200);
  });
});
