import { describe, expect, test } from 'vitest';
import { SourceCreateSchema } from '../../lib/prequel/contract/source';
import { ApiError } from '../http/api-error';
import { sourceSecretBindings } from '../resources/sources';
import { opaqueBlockBindings, patchKeepingSecretsBound } from './secret-binding';
import { mergeSecrets, splitSecrets } from './split-secrets';

const saved = {
  name: 'pg',
  vendor: 'postgres',
  provider_id: 'acme',
  postgres: {
    host: 'db.acme.example.com',
    port: 5432,
    database: 'production',
    auth_method: 'password_auth',
    password_auth: { username: 'inlet', password: 'saved-secret' },
  },
};
const patchSource = (postgres: Record<string, unknown>) =>
  patchKeepingSecretsBound({
    key: 'source',
    schema: SourceCreateSchema,
    saved,
    patch: { postgres },
    bind: sourceSecretBindings,
  });

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('a saved password follows only its endpoint', () => {
  test('a new host without the password is secret_required on the password field', () => {
    const error = refusal(() => patchSource({ host: 'attacker.example.com' }));
    expect(error).toMatchObject({
      status: 422,
      code: 'secret_required',
      details: [
        {
          path: 'source.postgres.password_auth.password',
          message: 'enter the password again: the host changed',
        },
      ],
    });
    expect(error.message).toBe(
      'Enter the password again: the host changed, and a saved secret is only ever sent to the endpoint it was entered for.',
    );
    expect(JSON.stringify(error.toBody())).not.toContain('saved-secret');
  });

  test('several changes are named together; a blank password counts as none', () => {
    const error = refusal(() =>
      patchSource({ host: 'attacker.example.com', port: 6432, password_auth: { password: '' } }),
    );
    expect(error.details[0]!.message).toBe('enter the password again: the host and port changed');
  });

  test('the same endpoint keeps the saved password, a blank one too', () => {
    expect(patchSource({ schema: 'public' })).toMatchObject({
      postgres: { schema: 'public', password_auth: { password: 'saved-secret' } },
    });
    expect(patchSource({ password_auth: { password: '' } })).toMatchObject({
      postgres: { password_auth: { password: 'saved-secret' } },
    });
    // disable_ssl absent and false are the same TLS mode.
    expect(patchSource({ disable_ssl: false })).toMatchObject({
      postgres: { password_auth: { password: 'saved-secret' } },
    });
  });

  test('a new endpoint with its password is accepted', () => {
    expect(
      patchSource({ host: 'db2.acme.example.com', password_auth: { password: 'new' } }),
    ).toMatchObject({
      postgres: {
        host: 'db2.acme.example.com',
        password_auth: { username: 'inlet', password: 'new' },
      },
    });
  });

  test('a shape error stays a 400 on its field', () => {
    expect(refusal(() => patchSource({ port: 'high' }))).toMatchObject({
      status: 400,
      details: [{ path: 'source.postgres.port' }],
    });
  });
});

test('secrets of blocks the engine does not read are bound to the whole block', () => {
  const config = { snowflake: { account: 'acme', warehouse: 'wh', password: 'p' } };
  expect(opaqueBlockBindings(config, 'snowflake')).toEqual([
    {
      path: ['snowflake', 'password'],
      label: 'password',
      endpoint: { 'snowflake settings': { account: 'acme', warehouse: 'wh' } },
    },
  ]);
});

test('secrets at explicit paths split and merge back, header names with dots included', () => {
  const config = {
    webhook_record: {
      request_template: {
        uri: 'https://x.example',
        headers: { Authorization: 'Bearer t', 'X.Odd-Key': 'k', Accept: 'json' },
      },
    },
  };
  const headers = ['webhook_record', 'request_template', 'headers'];
  const { publicPart, secrets } = splitSecrets(config, [
    [...headers, 'Authorization'],
    [...headers, 'X.Odd-Key'],
  ]);
  expect(publicPart).toEqual({
    webhook_record: { request_template: { uri: 'https://x.example', headers: { Accept: 'json' } } },
  });
  expect(secrets).toEqual({
    'webhook_record.request_template.headers.Authorization': 'Bearer t',
    '["webhook_record","request_template","headers","X.Odd-Key"]': 'k',
  });
  expect(mergeSecrets(publicPart, secrets)).toEqual(config);
});
