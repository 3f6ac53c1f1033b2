import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../../scripts/lib/free-port';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

// `npm run engine` as a real process: configuration errors, start-up, shutdown, and what it prints.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

function startEngine(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/main.ts'], {
    env: { PATH: process.env.PATH, ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, exited, output: () => output };
}

describe('the engine process', () => {
  test('refuses to start without its configuration and says which variable is missing', async () => {
    const engine = startEngine({ DATABASE_URL: database.url });
    expect(await engine.exited).toBe(1);
    expect(engine.output()).toContain('PREQUEL_API_KEY');
    expect(engine.output()).toContain('INLET_ENCRYPTION_KEY');
  });

  test('serves the API, never prints a source password, and stops on SIGTERM', async () => {
    const port = await freePort();
    const apiKey = `key_${randomBytes(16).toString('hex')}`;
    const canary = `canary-${randomBytes(12).toString('hex')}`;
    const engine = startEngine({
      DATABASE_URL: database.url,
      PREQUEL_API_KEY: apiKey,
      INLET_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ENGINE_PORT: String(port),
      LOG_LEVEL: 'debug',
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    };
    expect((await call('GET', '/')).status).toBe(200);
    const lake = JSON.parse(
      (await call('POST', '/import/datalakes', { datalake: { name: 'l', storage: 'local' } })).text,
    ).data.datalake;
    await call('POST', '/import/providers', {
      provider: { id: 'p', name: 'P', datalake_id: lake.id, products: ['all'] },
    });
    const source = {
      name: 's',
      vendor: 'postgres',
      provider_id: 'p',
      postgres: {
        host: 'localhost',
        database: 'd',
        password_auth: { username: 'u', password: canary },
      },
    };
    const created = await call('POST', '/import/sources', { source });
    expect(created.status).toBe(200);
    const failures = [
      await call('POST', '/import/sources', { source: { ...source, provider_id: 'ghost' } }),
      await call('POST', '/import/sources', {
        source: { ...source, postgres: { ...source.postgres, port: canary } },
      }),
      await call('POST', '/import/sources', `{"source": "${canary}`),
    ];
    expect(failures.map((f) => f.status)).toEqual([422, 400, 400]);

    engine.child.kill('SIGTERM');
    expect(await engine.exited).toBe(0);
    const output = engine.output();
    expect(output).toContain('engine listening');
    expect(output).toContain('"path":"/import/sources"');
    expect(output).not.toContain(canary);
    for (const response of [created, ...failures]) expect(response.text).not.toContain(canary);
  });
});
