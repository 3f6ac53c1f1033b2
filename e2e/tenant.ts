// Test data for browser tests, made through the real APIs: a tenant (provider) of its own, a sample source
// database with a read-only user, and embed sessions minted the way a host's backend mints them.
import { randomBytes } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import pg from 'pg';
import { createSampleDatabase } from '../scripts/sample-db/create-sample-db';
import { e2eStack } from './stack';

const api = (path: string) => `${e2eStack.engineUrl}${path}`;
const headers = { 'X-API-Key': e2eStack.apiKey, 'Content-Type': 'application/json' };

export const SOURCE_DATABASE = 'e2e_sample';
export const SOURCE_USER = 'e2e_reader';
/** A canary: the browser must never see it. */
export const SOURCE_PASSWORD = `canary-${randomBytes(9).toString('hex')}`;

/** Creates (once per run) the sample database and (each run) a read-only user with this run's password. */
export async function ensureSourceDatabase(customers = 300) {
  const admin = new pg.Client(e2eStack.postgresAdminUrl);
  await admin.connect();
  try {
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [SOURCE_DATABASE])).rowCount;
    if (!exists) {
      await admin.query(`create database ${SOURCE_DATABASE}`);
      const source = new pg.Client(e2eStack.postgresAdminUrl.replace(/\/postgres$/, `/${SOURCE_DATABASE}`));
      await source.connect();
      try {
        await createSampleDatabase({ dialect: 'postgres', client: source }, { customers });
      } finally {
        await source.end();
      }
    }
    const role = (await admin.query('select 1 from pg_roles where rolname = $1', [SOURCE_USER])).rowCount;
    await admin.query(`${role ? 'alter' : 'create'} role ${SOURCE_USER} with login password '${SOURCE_PASSWORD}'`);
    const source = new pg.Client(e2eStack.postgresAdminUrl.replace(/\/postgres$/, `/${SOURCE_DATABASE}`));
    await source.connect();
    try {
      await source.query(`grant usage on schema public to ${SOURCE_USER}; grant select on all tables in schema public to ${SOURCE_USER}`);
    } finally {
      await source.end();
    }
  } finally {
    await admin.end();
  }
  return { host: '127.0.0.1', port: 54331, database: SOURCE_DATABASE, username: SOURCE_USER, password: SOURCE_PASSWORD };
}

async function call<T>(request: APIRequestContext, method: 'POST' | 'GET', path: string, body?: unknown): Promise<T> {
  const response = await request.fetch(api(path), { method, headers, data: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok()) throw new Error(`${method} ${path} answered ${response.status()}: ${await response.text()}`);
  return ((await response.json()) as { data: T }).data;
}

/** A provider of its own (and a datalake for it), so tests never see each other's data. */
export async function createTenant(request: APIRequestContext, name = 'E2E Corp') {
  const suffix = randomBytes(4).toString('hex');
  const datalake = await call<{ datalake: { id: string } }>(request, 'POST', '/import/datalakes', { datalake: { name: `e2e-lake-${suffix}`, storage: 'local' } });
  const providerId = `e2e-${suffix}`;
  await call(request, 'POST', '/import/providers', { provider: { name: `${name} ${suffix}`, id: providerId, datalake_id: datalake.datalake.id, products: ['all'] } });
  return { providerId };
}

/** What a host's backend does: POST /api/embed/sessions with its secret; returns the invite URL. */
export async function mintSession(request: APIRequestContext, body: Record<string, unknown>): Promise<string> {
  const response = await request.post(`${e2eStack.appUrl}/api/embed/sessions`, {
    headers: { Authorization: `Bearer ${e2eStack.embedSecret}`, 'Content-Type': 'application/json' },
    data: JSON.stringify(body),
  });
  if (response.status() !== 201) throw new Error(`minting a session answered ${response.status()}: ${await response.text()}`);
  return ((await response.json()) as { data: { url: string } }).data.url;
}
