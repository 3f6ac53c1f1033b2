import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConnectionCheck, TestSourceResult } from '../../lib/prequel/contract/source-actions';
import type { Lookup } from '../net/host-probe';
import { freePort } from '../../scripts/lib/free-port';
import { create } from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import {
  opensslAvailable,
  selfSignedCertificate,
  startPostgresTlsFront,
  startSilentServer,
} from './testing/fake-servers';
import { createPostgresSourceDb, type PostgresSourceDb } from './testing/source-databases';
import { createProvider, databaseSource, type DatabaseLogin } from './testing/source-fixtures';

let api: TestEngine;
let db: PostgresSourceDb;
let providerId: string;
let reader: DatabaseLogin;

beforeAll(async () => {
  api = await startTestEngine();
  db = await createPostgresSourceDb();
  providerId = await createProvider(api);
  await db.admin.query(
    `create table users (id bigint primary key, email text); create table orders (id bigint primary key)`,
  );
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
});

type Body = { status: string; data: TestSourceResult; message: string };

async function testSource(source: Record<string, unknown>, engine = api) {
  const response = await engine.request<Body>('POST', '/import/test-source', { source });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** Scoped to public: other tests add schemas this role may not use. */
const pgSource = (login: DatabaseLogin, extra: Record<string, unknown> = {}, tenant = providerId) =>
  databaseSource('postgres', tenant, login, { schema: 'public', ...extra });

const check = (body: Body, name: ConnectionCheck['name']) =>
  body.data.checks.find((c) => c.name === name)!;
const statuses = (body: Body) => body.data.checks.map((c) => `${c.name}:${c.status}`);

describe('a working source', () => {
  test('passes every check, TLS skipped when disabled, with what each step found', async () => {
    const body = await testSource(pgSource(reader));
    expect(body).toMatchObject({ status: 'success', data: { code: 'success' } });
    expect(statuses(body)).toEqual([
      'dns:passed',
      'tcp:passed',
      'tls:skipped',
      'auth:passed',
      'privileges:passed',
    ]);
    expect(check(body, 'dns').message).toBe(
      '127.0.0.1 is the IP address 127.0.0.1; no lookup needed.',
    );
    expect(check(body, 'tls').hint).toMatch(/unencrypted/);
    expect(check(body, 'auth').message).toMatch(
      new RegExp(`Signed in to database "${db.name}" as "${reader.username}" \\(Postgres \\d+`),
    );
    expect(check(body, 'privileges')).toMatchObject({
      message: 'Can read all 2 tables in public.',
    });
    expect(check(body, 'privileges').hint).toBeUndefined();
    for (const c of body.data.checks) expect(c.duration_ms).toBeGreaterThanOrEqual(0);
  });

  test('localhost is resolved through the injected lookup', async () => {
    const body = await testSource(pgSource({ ...reader, host: 'localhost' }));
    expect(body.data.code).toBe('success');
    expect(check(body, 'dns').message).toBe('localhost resolves to 127.0.0.1.');
  });
});

describe('failures say what happened, what to do, and which field', () => {
  test('a name that does not resolve (the injected lookup, never DNS)', async () => {
    const body = await testSource(pgSource({ ...reader, host: 'db.acme.example.com' }));
    expect(body.data).toMatchObject({
      code: 'failure',
      message: expect.stringContaining('db.acme.example.com'),
    });
    expect(check(body, 'dns')).toMatchObject({
      status: 'failed',
      field: 'postgres.host',
      hint: expect.stringContaining('spelling'),
    });
    expect(statuses(body)).toEqual([
      'dns:failed',
      'tcp:skipped',
      'tls:skipped',
      'auth:skipped',
      'privileges:skipped',
    ]);
    expect(check(body, 'tcp').message).toBe('Not run: the dns check failed.');
  });

  test('a bracketed name is not a host', async () => {
    const body = await testSource(pgSource({ ...reader, host: '[example.com]' }));
    expect(check(body, 'dns')).toMatchObject({
      status: 'failed',
      field: 'postgres.host',
      message: expect.stringContaining('is not a valid host'),
    });
  });

  test('a closed port: connection refused', async () => {
    const body = await testSource(pgSource({ ...reader, port: await freePort() }));
    expect(check(body, 'tcp')).toMatchObject({
      status: 'failed',
      field: 'postgres.port',
      message: expect.stringContaining('connection was refused'),
    });
    expect(check(body, 'tcp').hint).toContain('5432');
  });

  test('a server that accepts and never answers: TLS check times out', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const body = await testSource(
        pgSource(
          { ...reader, port: silent.port },
          { disable_ssl: false, connection_timeout_in_seconds: 1 },
        ),
      );
      expect(check(body, 'tcp').status).toBe('passed');
      expect(check(body, 'tls')).toMatchObject({
        status: 'failed',
        field: 'postgres.port',
        message: expect.stringContaining('no Postgres server answered within 1 s'),
      });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await silent.close();
    }
  });

  test('a server that accepts and never answers, without TLS: sign-in times out', async () => {
    const silent = await startSilentServer();
    try {
      const body = await testSource(
        pgSource({ ...reader, port: silent.port }, { connection_timeout_in_seconds: 1 }),
      );
      expect(statuses(body)).toEqual([
        'dns:passed',
        'tcp:passed',
        'tls:skipped',
        'auth:failed',
        'privileges:skipped',
      ]);
      expect(check(body, 'auth')).toMatchObject({
        field: 'postgres.port',
        message: expect.stringContaining('no Postgres server answered within 1 s'),
      });
    } finally {
      await silent.close();
    }
  });

  test('TLS required but the server has none (client side of disable_ssl)', async () => {
    const body = await testSource(pgSource(reader, { disable_ssl: false }));
    expect(check(body, 'tls')).toMatchObject({
      status: 'failed',
      field: 'postgres.disable_ssl',
      message: expect.stringContaining('does not accept TLS'),
      hint: expect.stringContaining('Set disable_ssl only on a private network'),
    });
    expect(check(body, 'auth').status).toBe('skipped');
  });

  test('a wrong password: the canary never appears in the response or the logs', async () => {
    const canary = `canary-${randomBytes(12).toString('hex')}`;
    const body = await testSource(pgSource({ ...reader, password: canary }));
    expect(check(body, 'auth')).toMatchObject({
      status: 'failed',
      field: 'postgres.password_auth.password',
      message: `Postgres refused the password for user "${reader.username}".`,
    });
    expect(check(body, 'privileges').status).toBe('skipped');
    expect([...api.responses, ...api.logs].join('\n')).not.toContain(canary);
  });

  test('an unknown user: Postgres answers as for a wrong password, and the hint says so', async () => {
    const body = await testSource(pgSource({ ...reader, username: 'nobody_here' }));
    expect(check(body, 'auth')).toMatchObject({
      status: 'failed',
      hint: expect.stringContaining('"nobody_here" does not exist'),
    });
  });

  test('a missing database', async () => {
    const body = await testSource(pgSource({ ...reader, database: 'no_such_db' }));
    expect(check(body, 'auth')).toMatchObject({
      status: 'failed',
      field: 'postgres.database',
      message: 'The database "no_such_db" does not exist on this server.',
    });
  });

  test('a role that may not log in', async () => {
    const role = await db.createRole((name) => `alter role ${name} nologin`);
    const body = await testSource(
      pgSource({ ...reader, username: role.name, password: role.password }),
    );
    expect(check(body, 'auth')).toMatchObject({
      status: 'failed',
      field: 'postgres.password_auth.username',
      hint: expect.stringContaining('LOGIN'),
    });
  });

  test('a configured schema that does not exist', async () => {
    const body = await testSource(pgSource(reader, { schema: 'nope' }));
    expect(check(body, 'privileges')).toMatchObject({
      status: 'failed',
      field: 'postgres.schema',
      message: expect.stringContaining('"nope" does not exist'),
    });
  });
});

describe('privileges', () => {
  test('no USAGE on the schema', async () => {
    await db.admin.query('create schema sales; create table sales.deals (id int primary key)');
    const role = await db.createRole();
    const body = await testSource(
      pgSource({ ...reader, username: role.name, password: role.password }, { schema: 'sales' }),
    );
    expect(check(body, 'privileges')).toMatchObject({
      status: 'failed',
      message: `"${role.name}" may not use schema sales (1 tables).`,
      hint: expect.stringContaining(`GRANT USAGE ON SCHEMA sales TO ${role.name};`),
      field: 'postgres.password_auth.username',
    });
  });

  test('SELECT on some tables only: names the ones it cannot read and the GRANT that fixes it', async () => {
    await db.admin.query(
      `create schema shop; ${Array.from({ length: 12 }, (_, i) => `create table shop.t${String(i).padStart(2, '0')} (id int primary key);`).join(' ')}`,
    );
    const role = await db.createRole(
      (name) =>
        `grant usage on schema shop to ${name}; grant select on all tables in schema shop to ${name}; revoke select on shop.t03, shop.t07, shop.t11 from ${name}`,
    );
    const body = await testSource(
      pgSource({ ...reader, username: role.name, password: role.password }, { schema: 'shop' }),
    );
    expect(check(body, 'privileges')).toMatchObject({
      status: 'failed',
      message: `"${role.name}" cannot read 3 of 12 tables in shop: t03, t07, t11.`,
      hint: expect.stringContaining(`GRANT SELECT ON ALL TABLES IN SCHEMA shop TO ${role.name};`),
    });
    expect(body.data.message).toBe(check(body, 'privileges').message);
  });

  test('a superuser passes with a warning to use a read-only role', async () => {
    const body = await testSource(
      pgSource(
        { ...reader, username: db.adminUser, password: db.adminPassword },
        { schema: 'public' },
      ),
    );
    expect(body.data.code).toBe('success');
    expect(check(body, 'privileges')).toMatchObject({
      status: 'passed',
      hint: expect.stringContaining('is a superuser'),
    });
    expect(check(body, 'privileges').hint).toContain(
      'GRANT SELECT ON ALL TABLES IN SCHEMA public TO inlet_reader',
    );
  });

  test('without a schema, every schema with tables counts', async () => {
    const body = await testSource(pgSource(reader, { schema: undefined }));
    expect(check(body, 'privileges')).toMatchObject({
      status: 'failed',
      message: expect.stringContaining(`"${reader.username}" may not use schema sales (1 tables).`),
    });
    expect(check(body, 'privileges').hint).toContain(
      'or set schema to the one schema to import from',
    );
  });

  test('a member of pg_read_server_files passes with a warning', async () => {
    const role = await db.createRole(
      (name) =>
        `grant usage on schema public to ${name}; grant select on all tables in schema public to ${name}; grant pg_read_server_files to ${name}`,
    );
    const body = await testSource(
      pgSource({ ...reader, username: role.name, password: role.password }, { schema: 'public' }),
    );
    expect(check(body, 'privileges')).toMatchObject({
      status: 'passed',
      hint: expect.stringContaining('member of pg_read_server_files'),
    });
  });
});

describe('host policy', () => {
  test('with private hosts not allowed, loopback in any spelling is refused with the policy message', async () => {
    const strict = await startTestEngine({ context: { allowPrivateHosts: false } });
    try {
      const tenant = await createProvider(strict);
      for (const host of [
        '127.0.0.1',
        'localhost',
        '0177.0.0.1',
        '2130706433',
        '[::1]',
        '::ffff:127.0.0.1',
      ]) {
        const body = await testSource(pgSource({ ...reader, host }, {}, tenant), strict);
        expect(check(body, 'dns'), host).toMatchObject({
          status: 'failed',
          field: 'postgres.host',
          message: expect.stringContaining('only connects to public addresses'),
        });
        expect(check(body, 'tcp').status).toBe('skipped');
      }
      const metadata = await testSource(
        pgSource({ ...reader, host: '169.254.169.254' }, {}, tenant),
        strict,
      );
      expect(check(metadata, 'dns').message).toContain('metadata');
    } finally {
      await strict.close();
    }
  });

  test('the metadata address is refused even with private hosts allowed', async () => {
    const body = await testSource(pgSource({ ...reader, host: '169.254.169.254' }));
    expect(check(body, 'dns')).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('never connects to it'),
    });
  });

  test('every connection goes to the address vetted once: a rebinding resolver gets no second answer', async () => {
    let calls = 0;
    // First answer: where Postgres listens. Any later answer: a loopback address where nothing listens.
    const rebinding: Lookup = async () => (calls++ === 0 ? ['127.0.0.1'] : ['127.0.0.3']);
    const pinned = await startTestEngine({ context: { lookup: rebinding } });
    try {
      const tenant = await createProvider(pinned);
      const body = await testSource(
        pgSource({ ...reader, host: 'db.rebind.example' }, {}, tenant),
        pinned,
      );
      expect(body.data.code).toBe('success');
      expect(calls).toBe(1);
    } finally {
      await pinned.close();
    }
  });
});

describe.runIf(opensslAvailable())('over TLS', () => {
  test('the handshake uses the vetted address and the host name as SNI, and the sign-in runs over TLS', async () => {
    const front = await startPostgresTlsFront(
      { host: '127.0.0.1', port: db.port },
      selfSignedCertificate('db.tls.example'),
    );
    const lookup: Lookup = async (name) => (name === 'db.tls.example' ? ['127.0.0.1'] : []);
    const tlsEngine = await startTestEngine({ context: { lookup } });
    try {
      const tenant = await createProvider(tlsEngine);
      const body = await testSource(
        pgSource(
          { ...reader, host: 'db.tls.example', port: front.port },
          { disable_ssl: false },
          tenant,
        ),
        tlsEngine,
      );
      expect(statuses(body)).toEqual([
        'dns:passed',
        'tcp:passed',
        'tls:passed',
        'auth:passed',
        'privileges:passed',
      ]);
      expect(check(body, 'tls').message).toMatch(
        /^The connection is encrypted \(TLSv1\.[23]\); the server certificate is not verified\.$/,
      );
      // One handshake for the tls check, one for the sign-in; both name the host, never the IP.
      expect(front.serverNames).toEqual(['db.tls.example', 'db.tls.example']);
    } finally {
      await tlsEngine.close();
      await front.close();
    }
  });
});

describe('a server that requires TLS from this role (pg_hba)', () => {
  // Edits the run's own pg_hba.conf for one role only; skipped when the server is not local to the test.
  const hbaFile = async () =>
    (await db.admin.query<{ hba_file: string }>('show hba_file')).rows[0]!.hba_file;

  test('with disable_ssl, the failure points at disable_ssl', async (context) => {
    const file = await hbaFile();
    if (!existsSync(file)) return context.skip();
    const role = await db.createRole((name) => `grant usage on schema public to ${name}`);
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `hostnossl all ${role.name} 0.0.0.0/0 reject\n${original}`);
    await db.admin.query('select pg_reload_conf()');
    try {
      const body = await testSource(
        pgSource({ ...reader, username: role.name, password: role.password }),
      );
      expect(check(body, 'auth')).toMatchObject({
        status: 'failed',
        field: 'postgres.disable_ssl',
        message: expect.stringContaining('only accepts encrypted connections'),
        hint: 'Unset disable_ssl so the connection uses TLS.',
      });
    } finally {
      writeFileSync(file, original);
      await db.admin.query('select pg_reload_conf()');
    }
  });
});

describe('saved sources', () => {
  test('the outcome is recorded on the source; a test with overrides is not', async () => {
    const source = await create(api, '/import/sources', { source: pgSource(reader) }, 'source');
    expect(source).toMatchObject({
      is_reachable: null,
      postgres: expect.objectContaining({ is_valid: null }),
    });

    const ok = await api.request<Body>('POST', `/import/sources/${source.id}/test-source`);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.data.code, ok.text).toBe('success');
    const afterSuccess = await api.request<{ data: { source: Record<string, unknown> } }>(
      'GET',
      `/import/sources/${source.id}`,
    );
    expect(afterSuccess.body.data.source).toMatchObject({
      is_reachable: true,
      postgres: expect.objectContaining({ is_valid: true }),
    });

    const wrong = await api.request<Body>('POST', `/import/sources/${source.id}/test-source`, {
      source: { postgres: { password_auth: { password: 'a-new-try' } } },
    });
    expect(wrong.body.data.code).toBe('failure');
    expect(check(wrong.body, 'auth').field).toBe('postgres.password_auth.password');
    const unchanged = await api.request<{ data: { source: Record<string, unknown> } }>(
      'GET',
      `/import/sources/${source.id}`,
    );
    expect(unchanged.body.data.source).toMatchObject({
      is_reachable: true,
      postgres: expect.objectContaining({ is_valid: true }),
    });

    await api.request('PATCH', `/import/sources/${source.id}`, {
      source: { postgres: { password_auth: { password: 'now-wrong' } } },
    });
    const failed = await api.request<Body>('POST', `/import/sources/${source.id}/test-source`, {});
    expect(failed.body.data.code).toBe('failure');
    const recorded = await api.request<{ data: { source: Record<string, unknown> } }>(
      'GET',
      `/import/sources/${source.id}`,
    );
    expect(recorded.body.data.source).toMatchObject({
      is_reachable: true,
      postgres: expect.objectContaining({ is_valid: false }),
    });
  });

  test('an unknown source is a 404; an override of the wrong shape a 400', async () => {
    expect(
      (
        await api.request(
          'POST',
          '/import/sources/0190a8b4-0000-7000-8000-000000000000/test-source',
        )
      ).status,
    ).toBe(404);
    const source = await create(api, '/import/sources', { source: pgSource(reader) }, 'source');
    const bad = await api.request<{ error: { code: string } }>(
      'POST',
      `/import/sources/${source.id}/test-source`,
      { source: { postgres: { port: 'x' } } },
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('source.postgres.port');
  });
});

describe('vendors', () => {
  test('vendors other than postgres and mysql are refused with vendor_not_supported', async () => {
    const response = await api.request<{ error: { code: string; details: { path: string }[] } }>(
      'POST',
      '/import/test-source',
      {
        source: {
          name: 'wh',
          vendor: 'snowflake',
          provider_id: providerId,
          snowflake: { account: 'x' },
        },
      },
    );
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({
      code: 'vendor_not_supported',
      details: [{ path: 'source.vendor' }],
    });
  });

  test('an SSH tunnel is refused up front', async () => {
    const response = await api.request<{ error: { code: string } }>('POST', '/import/test-source', {
      source: pgSource(reader, {
        use_ssh_tunnel: true,
        ssh_tunnel: { ssh_tunnel_host: 'bastion.example.com', ssh_tunnel_username: 'u' },
      }),
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('ssh_tunnel_not_supported');
  });
});
