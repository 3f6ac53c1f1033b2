// `npm run bench:transform`: extracts a few thousand sample customers, then measures test-transform over
// HTTP for 50 random records per call against the p95 < 150 ms target. Speed is measured here, never asserted in tests.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { runExtract } from '../../engine/extract/run-extract';
import { triggerExtract } from '../../engine/extract/trigger-extract';
import { createApp } from '../../engine/http/create-app';
import { createLogger } from '../../engine/logger';
import { createHostProbe, systemLookup } from '../../engine/net/host-probe';
import { createSecretBox } from '../../engine/secrets/secret-box';
import { createPool } from '../../engine/store/db';
import { migrate } from '../../engine/store/migrate';
import { startEmbeddedPostgres } from '../lib/embedded-postgres';
import { createSampleDatabase } from '../sample-db/create-sample-db';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 5000);
const CALLS = Number(process.env.BENCH_CALLS ?? 100);
const WARMUP_CALLS = 5;
const RECORDS_PER_CALL = 50;
const TARGET_P95_MS = 150;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'inlet-bench-'));
// The embedded Postgres runs as its own OS user, who must be able to enter this directory.
chmodSync(scratch, 0o755);
const log = (message: string) => process.stderr.write(`${message}\n`);

// A mapping like a real one: conversions, expressions, a format check and a nested target.
const recordSchema = {
  type: 'object',
  required: ['id', 'email', 'name'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    country: { type: ['string', 'null'] },
    segment: { type: 'string' },
    external_ref: { type: 'string' },
    signed_up_at: { type: ['string', 'null'], format: 'date-time' },
    lifetime_value: { type: 'number' },
    attributes: { type: ['object', 'null'] },
    preferences: { type: 'object', properties: { plan: { type: 'object', properties: { name: { type: 'string' } } } } },
  },
};
const mappings = [
  { target_field: 'id', field_type: 'field', column: { name: 'id' } },
  { target_field: 'email', field_type: 'expression', expression: { expr: 'lower(email)' } },
  { target_field: 'name', field_type: 'expression', expression: { expr: 'CONCATENATE(PROPER(full_name), " (", plan, ")")' } },
  { target_field: 'country', field_type: 'field', column: { name: 'country' } },
  { target_field: 'segment', field_type: 'expression', expression: { expr: 'IF(float(lifetime_value ?? "0") > 1000, "vip", "regular")' } },
  { target_field: 'external_ref', field_type: 'field', column: { name: 'external_ref' } },
  { target_field: 'signed_up_at', field_type: 'field', column: { name: 'signup_at' } },
  { target_field: 'lifetime_value', field_type: 'expression', expression: { expr: 'float(lifetime_value ?? "0")' } },
  { target_field: 'attributes', field_type: 'field', column: { name: 'attributes' } },
  { target_field: 'preferences.plan.name', field_type: 'field', column: { name: 'plan' } },
];

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

const server = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'pg'), ephemeral: true });
let closeHttp = async () => {};
try {
  await server.createDatabase('source');
  await server.createDatabase('engine');
  const source = new pg.Client(server.urlFor('source'));
  await source.connect();
  log(`Building ${CUSTOMERS.toLocaleString()} customers…`);
  await createSampleDatabase({ dialect: 'postgres', client: source }, { customers: CUSTOMERS, accountsPerCustomer: 0, ordersPerCustomer: 0, eventsPerCustomer: 0 });
  const liveIds = (await source.query<{ id: string }>('select id::text from customers where not is_deleted')).rows.map((row) => row.id);
  await source.end();

  const engineDb = createPool(server.urlFor('engine'));
  await migrate(engineDb);
  const apiKey = randomBytes(16).toString('hex');
  const engine = {
    db: engineDb,
    logger: createLogger({ level: 'warn' }),
    secretBox: createSecretBox(randomBytes(32)),
    probeHost: createHostProbe(systemLookup),
    lookup: systemLookup,
    allowPrivateHosts: true,
    dataDir: path.join(scratch, 'engine'),
  };
  const { app } = createApp(engine, { apiKeys: [apiKey] });
  const http = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  closeHttp = () => new Promise<void>((resolve) => http.close(() => resolve()));
  const baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const post = async (pathname: string, body: unknown) => {
    const response = await fetch(`${baseUrl}${pathname}`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await response.json()) as { data: Record<string, unknown> };
    if (response.status >= 300) throw new Error(`${pathname}: ${JSON.stringify(json)}`);
    return json.data;
  };
  const created = async (pathname: string, body: unknown) => Object.values(await post(pathname, body))[0] as { id: string };

  const admin = new URL(server.urlFor('source'));
  const lake = await created('/import/datalakes', { datalake: { name: 'bench', storage: 'local' } });
  await created('/import/providers', { provider: { id: 'bench', name: 'Bench', datalake_id: lake.id, products: ['all'] } });
  const src = await created('/import/sources', {
    source: { name: 'bench', vendor: 'postgres', provider_id: 'bench', postgres: { host: '127.0.0.1', port: Number(admin.port), database: 'source', disable_ssl: true, password_auth: { username: admin.username, password: admin.password } } },
  });
  const dataset = await created('/import/datasets', {
    dataset: { source_id: src.id, method: 'table', table: { source_table_namespace: 'public', source_table_name: 'customers' }, type: 'dimension', dimension: { primary_key_column: 'id', last_modified_column: 'updated_at', is_deleted_column: 'is_deleted' } },
  });
  log('Extracting…');
  const { extract } = await triggerExtract(engineDb, dataset.id, 'api');
  await runExtract(engine, extract.id, { workerId: 'bench', lagSeconds: 0 });
  const destination = await created('/import/destinations?skip_validation=true', {
    destination: { name: 'bench', type: 'webhook_record', record_schema: recordSchema, webhook_record: { request_template: { uri: 'http://127.0.0.1:9/records', method: 'POST' } } },
  });
  const stream = await created('/import/streams', { stream: { name: 'bench', dataset_id: dataset.id, destination_id: destination.id, mappings } });

  const pick = () => Array.from({ length: RECORDS_PER_CALL }, () => liveIds[Math.floor(Math.random() * liveIds.length)]!);
  const timings: number[] = [];
  let transformed = 0;
  let errored = 0;
  log(`Calling test-transform ${CALLS} times with ${RECORDS_PER_CALL} random records…`);
  for (let call = 0; call < WARMUP_CALLS + CALLS; call++) {
    const started = performance.now();
    const data = (await post(`/import/streams/${stream.id}/test-transform`, { record_ids: pick() })) as { records: unknown[]; errors: unknown[] };
    const elapsed = performance.now() - started;
    if (call < WARMUP_CALLS) continue;
    timings.push(elapsed);
    transformed += data.records.length;
    errored += data.errors.length;
  }
  await engineDb.end();

  const sorted = [...timings].sort((a, b) => a - b);
  const p95 = percentile(sorted, 0.95);
  console.log(`\nTransform benchmark: ${CUSTOMERS.toLocaleString()} cached customers, ${mappings.length} mappings, ${CALLS} calls of ${RECORDS_PER_CALL} random records over HTTP\n`);
  console.log(`  test-transform p50   ${percentile(sorted, 0.5).toFixed(1).padStart(7)} ms`);
  console.log(`  test-transform p95   ${p95.toFixed(1).padStart(7)} ms   (target < ${TARGET_P95_MS} ms) ${p95 < TARGET_P95_MS ? 'met' : 'NOT MET'}`);
  console.log(`  test-transform max   ${sorted[sorted.length - 1]!.toFixed(1).padStart(7)} ms`);
  console.log(`  records transformed  ${transformed.toLocaleString()}, record errors ${errored.toLocaleString()}\n`);
} finally {
  await closeHttp();
  await server.stop().catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
}
