import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { TestSourceResult } from '../../lib/prequel/contract/source-actions';
import { create } from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { startPasswordCatcher } from './testing/fake-servers';
import { createPostgresSourceDb, type PostgresSourceDb } from './testing/source-databases';
import { createProvider, databaseSource, type DatabaseLogin } from './testing/source-fixtures';

// Issue 15 §3: a session holder points a saved source at their own server, leaves the password blank, and the
// engine used to send the saved password there. The catcher is that server: it asks for the password in clear.
let api: TestEngine;
let db: PostgresSourceDb;
let catcher: Awaited<ReturnType<typeof startPasswordCatcher>>;
let reader: DatabaseLogin;
let providerId: string;
let sourceId: string;

type TestBody = { data: TestSourceResult };
type ErrorBody = {
  message: string;
  error: { code: string; details: { path: string; message: string }[] };
};

beforeAll(async () => {
  [api, db, catcher] = await Promise.all([
    startTestEngine(),
    createPostgresSourceDb(),
    startPasswordCatcher(),
  ]);
  providerId = await createProvider(api);
  await db.admin.query('create table users (id bigint primary key)');
  const role = await db.createRole(
    (name) =>
      `grant usage on schema public to ${name}; grant select on all tables in schema public to ${name}`,
  );
  reader = {
    host: '127.0.0.1',
    port: db.port,
    database: db.name,
    username: role.name,
    password: role.password,
  };
});
afterAll(async () => {
  await api?.close();
  await db?.drop();
  await catcher?.close();
});
beforeEach(async () => {
  sourceId = (
    await create(
      api,
      '/import/sources',
      { source: databaseSource('postgres', providerId, reader, { schema: 'public' }) },
      'source',
    )
  ).id;
});

const testSaved = (overrides?: Record<string, unknown>) =>
  api.request<TestBody & ErrorBody>(
    'POST',
    `/import/sources/${sourceId}/test-source`,
    overrides ? { source: { postgres: overrides } } : undefined,
  );
const patch = (postgres: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  api.request<ErrorBody & { data: { source: Record<string, unknown> } }>(
    'PATCH',
    `/import/sources/${sourceId}`,
    { source: { ...extra, postgres } },
  );
const savedPassword = async () => {
  const row = (
    await api.database.db.query<{ secrets: Buffer }>('select secrets from sources where id = $1', [
      sourceId,
    ])
  ).rows[0]!;
  return api.engine.secretBox.open(`source:${sourceId}`, row.secrets)[
    'postgres.password_auth.password'
  ];
};

function expectSecretRequired(
  response: { status: number; text: string; body: ErrorBody },
  changed: RegExp,
) {
  expect(response.status, response.text).toBe(422);
  expect(response.body.error.code).toBe('secret_required');
  expect(response.body.error.details).toEqual([
    { path: 'source.postgres.password_auth.password', message: expect.stringMatching(changed) },
  ]);
  expect(response.body.message).toMatch(/^Enter the password again/);
}

test('the catcher does harvest a password it is given (the fake works)', async () => {
  const before = catcher.passwords.length;
  const direct = await api.request<TestBody>('POST', '/import/test-source', {
    source: databaseSource('postgres', providerId, {
      ...reader,
      port: catcher.port,
      password: 'typed-by-hand',
    }),
  });
  expect(direct.body.data.checks.find((check) => check.name === 'auth')?.status).toBe('failed');
  expect(catcher.passwords.slice(before)).toEqual(['typed-by-hand']);
});

describe('test-source with overrides', () => {
  test.each([
    ['an omitted password', {}],
    ['a blank password', { password_auth: { password: '' } }],
  ])(
    'pointing the saved source at another server with %s is refused before any connection',
    async (_, auth) => {
      const connections = catcher.connections;
      const response = await testSaved({ host: 'localhost', port: catcher.port, ...auth });
      expectSecretRequired(response, /^enter the password again: the host and port changed$/);
      expect(catcher.connections).toBe(connections);
      expect(catcher.passwords).not.toContain(reader.password);
    },
  );

  test.each([
    ['port', { port: 1 }, /the port changed/],
    ['database', { database: 'other' }, /the database changed/],
    ['user', { password_auth: { username: 'someone_else' } }, /the user changed/],
    ['TLS mode', { disable_ssl: false }, /the TLS mode changed/],
    [
      'SSH tunnel',
      {
        use_ssh_tunnel: true,
        ssh_tunnel: { ssh_tunnel_host: 'bastion.example.com', ssh_tunnel_username: 'me' },
      },
      /the SSH tunnel changed/,
    ],
  ])('changing the %s alone needs the password too', async (_, override, changed) => {
    expectSecretRequired(await testSaved(override), changed);
  });

  test('changing what is not the endpoint keeps the saved password', async () => {
    const response = await testSaved({ schema: 'public', connection_timeout_in_seconds: 7 });
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.code).toBe('success');
  });

  test('a new server with a password typed anew gets that password, never the saved one', async () => {
    const before = catcher.passwords.length;
    const response = await testSaved({
      host: 'localhost',
      port: catcher.port,
      password_auth: { password: 'typed-anew' },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.data.code).toBe('failure');
    expect(catcher.passwords.slice(before)).toEqual(['typed-anew']);
    expect(catcher.passwords).not.toContain(reader.password);
  });
});

describe('PATCH', () => {
  test('moving the saved source to another server without the password is refused and changes nothing', async () => {
    const connections = catcher.connections;
    expectSecretRequired(
      await patch({ host: 'localhost', port: catcher.port }),
      /the host and port changed/,
    );
    expectSecretRequired(
      await patch({ host: 'localhost', port: catcher.port, password_auth: { password: '' } }),
      /the host and port changed/,
    );
    const saved = await api.request<{ data: { source: { postgres: Record<string, unknown> } } }>(
      'GET',
      `/import/sources/${sourceId}`,
    );
    expect(saved.body.data.source.postgres).toMatchObject({ host: '127.0.0.1', port: db.port });
    expect((await testSaved()).body.data.code).toBe('success');
    expect(catcher.connections).toBe(connections);
    expect(await savedPassword()).toBe(reader.password);
  });

  test('renaming, a schema or a timeout keep the saved password', async () => {
    const response = await patch(
      { schema: 'public', connection_timeout_in_seconds: 9 },
      { name: 'renamed' },
    );
    expect(response.status, response.text).toBe(200);
    expect(await savedPassword()).toBe(reader.password);
    expect((await testSaved()).body.data.code).toBe('success');
  });

  test('a blank password where nothing else changes keeps the saved one', async () => {
    const response = await patch({ password_auth: { password: '' } });
    expect(response.status, response.text).toBe(200);
    expect(await savedPassword()).toBe(reader.password);
  });

  test('a new endpoint with its password is saved, and only that password goes there', async () => {
    const response = await patch({
      host: 'localhost',
      port: catcher.port,
      password_auth: { password: 'the-new-one' },
    });
    expect(response.status, response.text).toBe(200);
    expect(await savedPassword()).toBe('the-new-one');
    const before = catcher.passwords.length;
    await testSaved();
    expect(catcher.passwords.slice(before)).toEqual(['the-new-one']);
  });
});
