// Test data for browser tests, made through the real APIs: a tenant (provider) of its own, a sample source
// database with a read-only user, and embed sessions minted the way a host's backend mints them.
import { randomBytes } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import pg from 'pg';
import { createSampleDatabase } from '../scripts/sample-db/create-sample-db';
import { e2eStack } from './stack';

/** Where the helpers send their calls: the e2e stack unless a test names another. */
export type Stack = Record<'appUrl' | 'engineUrl' | 'apiKey' | 'embedSecret', string>;

const api = (path: string, stack: Stack = e2eStack) => `${stack.engineUrl}${path}`;
const headersOf = (stack: Stack) => ({
  'X-API-Key': stack.apiKey,
  'Content-Type': 'application/json',
});
const headers = headersOf(e2eStack);

export const SOURCE_DATABASE = 'e2e_sample';
export const SOURCE_USER = 'e2e_reader';
/** A canary: the browser must never see it. */
export const SOURCE_PASSWORD = `canary-${randomBytes(9).toString('hex')}`;

/** Creates (once per run) the sample database and (each run) a read-only user with this run's password. */
export async function ensureSourceDatabase(customers = 300) {
  const admin = new pg.Client(e2eStack.postgresAdminUrl);
  await admin.connect();
  try {
    const exists = (
      await admin.query('select 1 from pg_database where datname = $1', [SOURCE_DATABASE])
    ).rowCount;
    if (!exists) {
      await admin.query(`create database ${SOURCE_DATABASE}`);
      const source = new pg.Client(
        e2eStack.postgresAdminUrl.replace(/\/postgres$/, `/${SOURCE_DATABASE}`),
      );
      await source.connect();
      try {
        await createSampleDatabase({ dialect: 'postgres', client: source }, { customers });
      } finally {
        await source.end();
      }
    }
    const role = (await admin.query('select 1 from pg_roles where rolname = $1', [SOURCE_USER]))
      .rowCount;
    await admin.query(
      `${role ? 'alter' : 'create'} role ${SOURCE_USER} with login password '${SOURCE_PASSWORD}'`,
    );
    const source = new pg.Client(
      e2eStack.postgresAdminUrl.replace(/\/postgres$/, `/${SOURCE_DATABASE}`),
    );
    await source.connect();
    try {
      await source.query(
        `grant usage on schema public to ${SOURCE_USER}; grant select on all tables in schema public to ${SOURCE_USER}`,
      );
    } finally {
      await source.end();
    }
  } finally {
    await admin.end();
  }
  return {
    host: '127.0.0.1',
    port: 54331,
    database: SOURCE_DATABASE,
    username: SOURCE_USER,
    password: SOURCE_PASSWORD,
  };
}

/** One call to the engine's Import API with the stack's key; its `data`, or a throw. */
export async function call<T>(
  request: APIRequestContext,
  method: 'POST' | 'GET',
  path: string,
  body?: unknown,
  stack: Stack = e2eStack,
): Promise<T> {
  const response = await request.fetch(api(path, stack), {
    method,
    headers: headersOf(stack),
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok())
    throw new Error(`${method} ${path} answered ${response.status()}: ${await response.text()}`);
  return ((await response.json()) as { data: T }).data;
}

/**
 * A provider of its own (and a datalake for it), so tests never see each other's data; with `destinationIds`, a
 * product of its own that offers just those destinations.
 */
export async function createTenant(
  request: APIRequestContext,
  {
    name = 'E2E Corp',
    destinationIds,
    stack = e2eStack,
  }: { name?: string; destinationIds?: string[]; stack?: Stack } = {},
) {
  const suffix = randomBytes(4).toString('hex');
  const datalake = await call<{ datalake: { id: string } }>(
    request,
    'POST',
    '/import/datalakes',
    {
      datalake: { name: `e2e-lake-${suffix}`, storage: 'local' },
    },
    stack,
  );
  let products = ['all'];
  if (destinationIds) {
    const product = await call<{ product: { name: string } }>(
      request,
      'POST',
      '/import/products',
      {
        product: { name: `e2e-${suffix}`, destinations: destinationIds },
      },
      stack,
    );
    products = [product.product.name];
  }
  const providerId = `e2e-${suffix}`;
  await call(
    request,
    'POST',
    '/import/providers',
    {
      provider: {
        name: `${name} ${suffix}`,
        id: providerId,
        datalake_id: datalake.datalake.id,
        products,
      },
    },
    stack,
  );
  return { providerId };
}

/** Deletes a tenant made by `createTenant` (without sources) and its datalake. */
export async function removeTenant(request: APIRequestContext, providerId: string) {
  const { provider } = await call<{ provider: { datalake_id: string } }>(
    request,
    'GET',
    `/import/providers/${providerId}`,
  );
  for (const path of [
    `/import/providers/${providerId}`,
    `/import/datalakes/${provider.datalake_id}`,
  ]) {
    const response = await request.fetch(api(path), { method: 'DELETE', headers });
    if (!response.ok())
      throw new Error(`DELETE ${path} answered ${response.status()}: ${await response.text()}`);
  }
}

/** What a host's backend does: POST /api/embed/sessions with its secret; returns the invite URL. */
export async function mintSession(
  request: APIRequestContext,
  body: Record<string, unknown>,
  stack: Stack = e2eStack,
): Promise<string> {
  const response = await request.post(`${stack.appUrl}/api/embed/sessions`, {
    headers: {
      Authorization: `Bearer ${stack.embedSecret}`,
      'Content-Type': 'application/json',
    },
    data: JSON.stringify(body),
  });
  if (response.status() !== 201)
    throw new Error(`minting a session answered ${response.status()}: ${await response.text()}`);
  return ((await response.json()) as { data: { url: string } }).data.url;
}

/** A customers record schema as a SaaS would define it: two required fields, a few optional ones. */
export const CUSTOMER_RECORD_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['id', 'email'],
  properties: {
    id: { type: 'string', description: 'Your customer id' },
    email: { type: 'string', format: 'email', description: 'Where we reach the customer' },
    full_name: { type: 'string' },
    country: { type: 'string', description: 'Two-letter country code' },
    plan: { type: 'string' },
  },
};

/**
 * A destination that sends to the reference receiver (host-side validation skipped: it is local): each record on
 * its own, or in JSON batches.
 */
export async function createDestination(
  request: APIRequestContext,
  receiverUrl: string,
  name = 'Customers',
  type: 'record' | 'batch' = 'record',
  stack: Stack = e2eStack,
) {
  const suffix = randomBytes(3).toString('hex');
  const delivery =
    type === 'record'
      ? {
          type: 'webhook_record',
          webhook_record: {
            request_template: { method: 'POST', uri: `${receiverUrl}/prequel/records` },
            max_concurrency: 4,
          },
        }
      : {
          type: 'webhook_batch',
          webhook_batch: {
            request_template: { method: 'POST', uri: `${receiverUrl}/prequel/batch` },
            format: 'json',
            max_records_per_batch: 1000,
          },
        };
  const created = await call<{ destination: { id: string } }>(
    request,
    'POST',
    '/import/destinations?skip_validation=true',
    {
      destination: {
        name: `${name} ${suffix}`,
        record_schema: CUSTOMER_RECORD_SCHEMA,
        max_records_per_minute: 100000,
        ...delivery,
      },
    },
    stack,
  );
  return created.destination;
}

/** Another tenant with a whole pipeline made through the API: the target of cross-tenant replay attempts. */
export async function createTenantWithPipeline(
  request: APIRequestContext,
  receiverUrl: string,
  delivery: 'record' | 'batch' = 'record',
) {
  const database = await ensureSourceDatabase();
  const destination = await createDestination(request, receiverUrl, 'Other customers', delivery);
  const { providerId } = await createTenant(request, {
    name: 'Other Corp',
    destinationIds: [destination.id],
  });
  const source = await call<{ source: { id: string } }>(request, 'POST', '/import/sources', {
    source: {
      name: 'other-postgres',
      vendor: 'postgres',
      provider_id: providerId,
      postgres: {
        host: database.host,
        port: database.port,
        database: database.database,
        disable_ssl: true,
        password_auth: { username: database.username, password: database.password },
      },
    },
  });
  const dataset = await call<{ dataset: { id: string } }>(request, 'POST', '/import/datasets', {
    dataset: {
      source_id: source.source.id,
      type: 'dimension',
      table: { source_table_namespace: 'public', source_table_name: 'customers' },
      dimension: { primary_key_column: 'id' },
    },
  });
  const stream = await call<{ stream: { id: string } }>(
    request,
    'POST',
    '/import/streams?skip_validation=true',
    {
      stream: {
        name: 'other stream',
        dataset_id: dataset.dataset.id,
        destination_id: destination.id,
        is_enabled: false,
        mappings: [
          { target_field: 'id', field_type: 'field', column: { name: 'id' } },
          { target_field: 'email', field_type: 'field', column: { name: 'email' } },
        ],
      },
    },
  );
  return {
    providerId,
    sourceId: source.source.id,
    datasetId: dataset.dataset.id,
    destinationId: destination.id,
    streamId: stream.stream.id,
  };
}

/** The provider's objects as the engine holds them, to check that nothing of theirs changed. */
export async function snapshotTenant(request: APIRequestContext, providerId: string) {
  const list = async (kind: string) =>
    (
      await call<Record<string, { id: string; updated_at: string }[]>>(
        request,
        'GET',
        `/import/${kind}?provider_id=${providerId}&page_size=100`,
      )
    )[kind]!.map(({ id, updated_at }) => `${id}@${updated_at}`);
  return {
    sources: await list('sources'),
    datasets: await list('datasets'),
    streams: await list('streams'),
  };
}

type Job = {
  id: string;
  status: string;
  records_loaded?: number;
  records_errored?: number;
  error: { error_code: string } | null;
};

/** Enables the tenant's stream and extracts its dataset; the engine loads after the extract. */
export async function launchPipeline(
  request: APIRequestContext,
  tenant: { datasetId: string; streamId: string },
) {
  const response = await request.fetch(api(`/import/streams/${tenant.streamId}`), {
    method: 'PATCH',
    headers,
    data: JSON.stringify({ stream: { is_enabled: true } }),
  });
  if (!response.ok())
    throw new Error(`enabling the stream answered ${response.status()}: ${await response.text()}`);
  await call(request, 'POST', `/import/datasets/${tenant.datasetId}/extract`);
}

/** Polls the stream's newest load until `done` holds for it. */
export async function waitForLoad(
  request: APIRequestContext,
  streamId: string,
  done: (load: Job) => boolean,
  timeoutMs = 60_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const loads = (
      await call<{ loads: Job[] }>(
        request,
        'GET',
        `/import/loads?stream_id=${streamId}&order=desc&page_size=1`,
      )
    ).loads;
    if (loads[0] && done(loads[0])) return loads[0];
    if (Date.now() > deadline)
      throw new Error(
        `the stream's load did not settle in time: ${JSON.stringify(loads[0] ?? null)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export type AuditEntryView = {
  event_type: string;
  reason: string | null;
  actor_label: string | null;
};

export async function auditOf(
  request: APIRequestContext,
  providerId: string,
): Promise<AuditEntryView[]> {
  return (
    await call<{ logs: AuditEntryView[] }>(
      request,
      'GET',
      `/logs?provider_id=${providerId}&page_size=100`,
    )
  ).logs;
}
