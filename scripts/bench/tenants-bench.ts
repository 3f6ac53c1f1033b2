// `npm run bench:tenants`: the support console's overview (first page, and a search), a tenant's
// page, a customer's status poll, one scheduler tick and an extract that finds nothing new, each
// at 50 and at 5,000 tenants (10
// datasets and 10 streams each, with a history of extracts and loads, written straight into the
// engine's tables) in the same run, through the app's own loaders against the engine over HTTP;
// with the number of API calls each makes. Speed is measured here, never asserted in tests.
import { register } from 'node:module';
import path from 'node:path';
import { runExtract } from '../../engine/extract/run-extract';
import {
  DUE_DATASETS_SQL,
  scheduleDueExtracts,
  triggerExtract,
} from '../../engine/extract/trigger-extract';
import { DUE_RETRIES_SQL, triggerDueRetries } from '../../engine/loads/load-retries';
import type { Db } from '../../engine/store/db';
import { countingCalls } from '../../engine/testing/plain-api';
import { postgresSourceBody } from './bench-bodies';
import { benchLog as log, openBenchDatabases } from './bench-databases';
import { percentile } from './measure-test-transform';
import { startBenchEngine } from './start-bench-engine';

const SMALL = 50;
const LARGE = Number(process.env.BENCH_TENANTS ?? 5_000);
const PER_TENANT = 10;
/** Finished jobs kept per dataset and per stream. */
const HISTORY = Number(process.env.BENCH_TENANT_HISTORY ?? 10);
const ROUNDS = Number(process.env.BENCH_TENANT_ROUNDS ?? 60);
/** Rounds run before the measured ones. */
const WARM_UP_ROUNDS = 10;
/** Tenants whose jobs finish between two overview reads, in the "overview after changes" line. */
const CHANGED_BETWEEN_READS = 10;
const TARGET = { overviewP95Ms: 500, statusP95Ms: 100, ratio: 2 };
/** The tenant whose page and status are read: among the first 50, the same at both sizes. */
const TENANT = tenantId(7);
/**
 * Support's usual search, one tenant by its id, matches one tenant at both sizes; a broad one
 * matches one tenant in eight: 6 at 50 tenants, 625 at 5,000 (a full page, and counts over all).
 */
const SEARCH = TENANT;
const BROAD_SEARCH = 'globex';
const NAMES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell'];

function tenantId(n: number) {
  return `tenant-${String(n).padStart(5, '0')}`;
}

// The app's loaders run outside Next here: 'server-only' is an empty module, and the support
// guard, which reads the session's cookie, lets the bench in as a support session.
const supportGuard =
  'export const supportLoader = (load) => (...args) => load({ role: "support" }, ...args);';
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'server-only') return { url: 'data:text/javascript,', shortCircuit: true };
  if (specifier === '@/lib/actions/support-guard')
    return { url: 'data:text/javascript,' + ${JSON.stringify(encodeURIComponent(supportGuard))},
      shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

/** Tenant 0 through the API: the rows every other tenant copies. */
async function createTemplate(
  api: Awaited<ReturnType<typeof startBenchEngine>>,
  sourceUrl: string,
) {
  const lake = await api.create('/import/datalakes', {
    datalake: { name: 'tenants', storage: 'local' },
  });
  await api.create('/import/providers', {
    provider: { id: tenantId(0), name: 'Acme 0', datalake_id: lake.id, products: ['all'] },
  });
  const source = await api.create(
    '/import/sources',
    postgresSourceBody('production', tenantId(0), sourceUrl),
  );
  const destination = await api.create('/import/destinations?skip_validation=true', {
    destination: {
      name: 'Acme webhook',
      type: 'webhook_record',
      record_schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      webhook_record: { request_template: { uri: 'http://127.0.0.1:9/records', method: 'POST' } },
    },
  });
  for (let n = 0; n < PER_TENANT; n++) {
    const dataset = await api.create('/import/datasets', {
      dataset: {
        source_id: source.id,
        name: `table_${n}`,
        method: 'table',
        table: { source_table_namespace: 'public', source_table_name: 'customers' },
        type: 'dimension',
        dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
        frequency_minutes: 60,
      },
    });
    await api.create('/import/streams?skip_validation=true', {
      stream: {
        name: `table_${n} to Acme`,
        dataset_id: dataset.id,
        destination_id: destination.id,
        mappings: [{ target_field: 'id', field_type: 'field', column: { name: 'id' } }],
      },
    });
  }
}

/**
 * Tenants [from, to) as copies of tenant 0, each with its history; one in five is broken in one of
 * the ways the console reports (an extract or load failing, records refused, a stream stopped, a
 * source unreachable).
 */
async function seedTenants(db: Db, from: number, to: number) {
  const client = await db.connect();
  const q = (sql: string) => client.query(sql, [from, to, tenantId(0)]);
  const inRange = `p.id > $3 and substr(p.id, 8)::int >= $1 and substr(p.id, 8)::int < $2`;
  try {
    await client.query('begin');
    await q(
      `insert into providers (id, name, datalake_id, body)
       select 'tenant-' || lpad(i::text, 5, '0'), ($4::text[])[1 + i % 8] || ' ' || i,
         t.datalake_id, t.body || jsonb_build_object('id', 'tenant-' || lpad(i::text, 5, '0'),
           'name', ($4::text[])[1 + i % 8] || ' ' || i)
       from generate_series($1::int, $2::int - 1) i cross join providers t where t.id = $3`.replace(
        /\$4::text\[\]/g,
        `array[${NAMES.map((name) => `'${name}'`).join(', ')}]`,
      ),
    );
    await q(
      `insert into provider_products (provider_id, product_name, position)
       select p.id, t.product_name, t.position from providers p
       cross join provider_products t where t.provider_id = $3 and ${inRange}`,
    );
    await q(
      `insert into sources (id, provider_id, name, vendor, body, is_reachable, is_valid)
       select gen_random_uuid(), p.id, s.name, s.vendor, s.body || jsonb_build_object(
         'provider_id', p.id), substr(p.id, 8)::int % 20 <> 4, true
       from providers p cross join sources s where s.provider_id = $3 and ${inRange}`,
    );
    await q(
      `insert into datasets (id, source_id, provider_id, name, body)
       select gen_random_uuid(), s.id, p.id, d.name, d.body || jsonb_build_object('source_id', s.id)
       from providers p join sources s on s.provider_id = p.id
       cross join datasets d where d.provider_id = $3 and ${inRange}`,
    );
    await q(
      `insert into streams (id, dataset_id, destination_id, provider_id, name, body, is_valid,
         disabled_reason, disabled_at)
       select gen_random_uuid(), d.id, t.destination_id, p.id, t.name,
         t.body || jsonb_build_object('dataset_id', d.id), true,
         case when substr(p.id, 8)::int % 20 = 3 and t.name = 'table_1 to Acme' then
           'The endpoint answered 410 Gone.' end,
         case when substr(p.id, 8)::int % 20 = 3 and t.name = 'table_1 to Acme' then
           now() - interval '2 hours' end
       from providers p join datasets d on d.provider_id = p.id
       join datasets td on td.provider_id = $3 and td.name = d.name
       join streams t on t.dataset_id = td.id
       where ${inRange}`,
    );
    // Due again tomorrow, so that a tick finds the same few due datasets at both sizes; hourly
    // runs, each a minute long, the newest ending a few minutes ago.
    await q(
      `update dataset_state s set next_run_at = now() + interval '1 day'
       from datasets d join providers p on p.id = d.provider_id
       where s.dataset_id = d.id and ${inRange}`,
    );
    await client.query(
      `insert into extracts (id, dataset_id, status, trigger, submitted_at, started_at, ended_at,
         records_processed, error, created_at)
       select gen_random_uuid(), d.id, case when failed then 'failed' else 'succeeded' end,
         'schedule', at - interval '1 minute', at - interval '1 minute', at,
         case when failed then 0 else 1000 end,
         case when failed then jsonb_build_object('error_code', 'source_auth_failed', 'blame',
           'source', 'title', 'Could not connect', 'message',
           'Postgres refused the password for user "user_' || p.id || '".',
           'documentation_url', '/docs/errors',
           'trace', '') end, at - interval '1 minute'
       from providers p join datasets d on d.provider_id = p.id
       cross join generate_series(1, $4::int) k
       cross join lateral (select now() - make_interval(mins => 5 + 60 * ($4::int - k)) as at,
         k = $4::int and substr(p.id, 8)::int % 20 = 0 and d.name = 'table_1' as failed) run
       where ${inRange}`,
      [from, to, tenantId(0), HISTORY],
    );
    await client.query(
      `insert into loads (id, stream_id, status, trigger, submitted_at, started_at, ended_at,
         records_processed, records_loaded, records_errored, error, created_at)
       select gen_random_uuid(), st.id, case when failed then 'failed' else 'succeeded' end,
         'extract', at - interval '1 minute', at - interval '1 minute', at, 1000, 1000 - errored,
         errored,
         case when failed then jsonb_build_object('error_code', 'destination_unavailable',
           'blame', 'destination', 'title', 'The endpoint is unavailable', 'message',
           'The endpoint answered 503.', 'documentation_url', '/docs/errors', 'trace', '') end,
         at - interval '1 minute'
       from providers p join streams st on st.provider_id = p.id
       cross join generate_series(1, $4::int) k
       cross join lateral (select now() - make_interval(mins => 4 + 60 * ($4::int - k)) as at,
         k = $4::int and substr(p.id, 8)::int % 20 = 1 and st.name = 'table_1 to Acme'
           as failed,
         case when k = $4::int and substr(p.id, 8)::int % 20 = 2 and st.name =
           'table_2 to Acme' then 3 else 0 end as errored) run
       where ${inRange}`,
      [from, to, tenantId(0), HISTORY],
    );
    // What the tenant's page lists: the creation of its objects.
    await q(
      `insert into audit_logs (id, created_at, event_type, resource_id, actor, object, provider_id)
       select gen_random_uuid(), now() - interval '30 days', e.event_type, e.resource_id::text,
         '{"type": "api_key"}', e.object, p.id
       from providers p cross join lateral (
         select 'IMPORT_PROVIDER_CREATE' as event_type, p.id as resource_id,
           jsonb_build_object('id', p.id, 'name', p.name) as object
         union all select 'IMPORT_DATASET_CREATE', d.id::text, jsonb_build_object('id', d.id,
           'name', d.name) from datasets d where d.provider_id = p.id
         union all select 'IMPORT_STREAM_CREATE', st.id::text, jsonb_build_object('id', st.id,
           'name', st.name) from streams st where st.provider_id = p.id
       ) e
       where ${inRange}`,
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

type Timing = { p50: number; p95: number; calls: number };

type PlanNode = {
  'Execution Time': number;
  Plan: PlanStep;
};
type PlanStep = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanStep[];
};
/** The table scans of a plan: `Index Scan dataset_state_next_run_idx`, `Seq Scan extracts`. */
function scansOf(step: PlanStep): string[] {
  const own = step['Index Name'] ?? step['Relation Name'];
  return [
    ...(own && step['Node Type'] !== 'Bitmap Heap Scan' ? [`${step['Node Type']} ${own}`] : []),
    ...(step.Plans ?? []).flatMap(scansOf),
  ];
}

async function measure(
  apiUrl: string,
  work: () => Promise<unknown>,
  rounds = ROUNDS,
): Promise<Timing> {
  const { calls } = await countingCalls(apiUrl, work);
  // Warm, as a running console is: the pool's connections have planned the queries before.
  for (let round = 0; round < WARM_UP_ROUNDS; round++) await work();
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), calls: calls.length };
}

const databases = await openBenchDatabases({ customers: 10 });
let bench: Awaited<ReturnType<typeof startBenchEngine>> | null = null;
try {
  const api = (bench = await startBenchEngine(databases.engineUrl, {
    dataDir: path.join(databases.scratch, 'engine'),
  }));
  const db = api.engine.db;
  process.env.PREQUEL_API_URL = api.baseUrl;
  process.env.PREQUEL_API_KEY = api.apiKey;
  const { loadOverview, overviewQuery } = await import('../../lib/support/load-overview');
  const { loadTenant } = await import('../../lib/support/load-tenant');
  const { loadProviderStatus } = await import('../../lib/status/load-status');
  const { customerStatus } = await import('../../lib/status/customer-status');
  const ok = <T>(result: { ok: true; data: T } | { ok: false; error: unknown }): T => {
    if (!result.ok) throw new Error(`The loader failed: ${JSON.stringify(result.error)}`);
    return result.data;
  };

  await createTemplate(api, databases.sourceUrl);
  const extractDatasetId = (
    await db.query(`select id from datasets where provider_id = $1 order by name limit 1`, [
      tenantId(0),
    ])
  ).rows[0].id as string;
  let extractProcessed = -1;
  // Tenant 0 keeps no history; its datasets are due tomorrow, as the copies'.
  await db.query(`update dataset_state set next_run_at = now() + interval '1 day'`);

  const scales: {
    tenants: number;
    results: Record<string, Timing>;
    firstRead: number;
    due: string[];
  }[] = [];
  let seeded = 1;
  for (const tenants of [SMALL, LARGE]) {
    log(`Seeding tenants ${seeded.toLocaleString()}–${(tenants - 1).toLocaleString()}…`);
    const started = performance.now();
    for (let from = seeded; from < tenants; from += 500)
      await seedTenants(db, from, Math.min(tenants, from + 500));
    seeded = tenants;
    // As autovacuum leaves a table after a bulk load: the index entries of rows updated since are
    // gone, the planner's statistics current.
    await db.query('vacuum analyze');
    log(`  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // A few due datasets and retries, the same at both sizes: each tick finds them again.
    await db.query(
      `update dataset_state set next_run_at = now() - interval '1 minute' where dataset_id in
        (select id from datasets where provider_id = any($1) order by id limit 5)`,
      [[tenantId(1), tenantId(2)]],
    );

    // The first read after seeding judges every tenant seeded (the steady state judges only those
    // that changed).
    const firstStarted = performance.now();
    const first = ok(await loadOverview(overviewQuery({})));
    const firstRead = performance.now() - firstStarted;
    log(
      `  first overview read: ${firstRead.toFixed(0)} ms; ` +
        `counts ${JSON.stringify(first.counts)}, ${first.groups.length} error groups`,
    );

    const results: Record<string, Timing> = {};
    log('  measuring…');
    results.overview = await measure(api.baseUrl, async () => {
      ok(await loadOverview(overviewQuery({})));
    });
    results.search = await measure(api.baseUrl, async () => {
      ok(await loadOverview(overviewQuery({ q: SEARCH })));
    });
    results.broadSearch = await measure(api.baseUrl, async () => {
      ok(await loadOverview(overviewQuery({ q: BROAD_SEARCH })));
    });
    let round = 0;
    results.changed = await measure(api.baseUrl, async () => {
      // Jobs of a few tenants finish between two reads: those are judged again.
      round++;
      await db.query(
        `insert into loads (id, stream_id, status, trigger, submitted_at, started_at, ended_at)
         select gen_random_uuid(), st.id, 'succeeded', 'extract', now(), now(), now()
         from (select distinct on (provider_id) id from streams
           where provider_id = any($1) order by provider_id, id) st`,
        [
          Array.from({ length: CHANGED_BETWEEN_READS }, (_, n) =>
            tenantId((round * CHANGED_BETWEEN_READS + n) % tenants),
          ),
        ],
      );
      ok(await loadOverview(overviewQuery({})));
    });
    results.tenant = await measure(api.baseUrl, async () => {
      ok(await loadTenant(TENANT));
    });
    results.status = await measure(api.baseUrl, async () => {
      customerStatus(ok(await loadProviderStatus(TENANT)));
    });
    // Cheap and short: more rounds, for a p95 that is not the noise of one slow round.
    results.tick = await measure(
      api.baseUrl,
      async () => {
        await scheduleDueExtracts(db);
        await triggerDueRetries(db);
      },
      ROUNDS * 5,
    );
    // Tenant 0's first dataset (its secret is its own; the copies' are bound to tenant 0's source),
    // with the other tenants' history around it; the warm-up runs its first, full extract.
    results.extract = await measure(api.baseUrl, async () => {
      const { extract } = await triggerExtract(db, extractDatasetId, 'api');
      await runExtract(api.engine, extract.id, { workerId: 'bench', lagSeconds: 0 });
      const { rows } = await db.query(
        `select status, records_processed from extracts where id = $1`,
        [extract.id],
      );
      if (rows[0].status !== 'succeeded') throw new Error(`The extract ${rows[0].status}.`);
      extractProcessed = Number(rows[0].records_processed);
    });
    if (extractProcessed !== 0)
      throw new Error(`The extract found ${extractProcessed} records, not nothing new.`);
    // How Postgres finds the due datasets and retries, and its time for it.
    const due: string[] = [];
    for (const sql of [DUE_DATASETS_SQL, DUE_RETRIES_SQL]) {
      const plan = (await db.query(`explain (analyze, format json) ${sql}`)).rows[0][
        'QUERY PLAN'
      ][0] as PlanNode;
      due.push(`${plan['Execution Time'].toFixed(3)} ms via ${scansOf(plan.Plan).join(', ')}`);
    }
    scales.push({ tenants, results, firstRead, due });
  }

  const [small, large] = scales as [(typeof scales)[0], (typeof scales)[0]];
  const verdict = (met: boolean) => (met ? 'PASS' : 'FAIL');
  const lines: [string, keyof (typeof small)['results'], number | null][] = [
    ['support overview, first page', 'overview', TARGET.overviewP95Ms],
    [`support overview, search "${SEARCH}"`, 'search', TARGET.overviewP95Ms],
    [`overview, broad search "${BROAD_SEARCH}"`, 'broadSearch', TARGET.overviewP95Ms],
    [`overview, ${CHANGED_BETWEEN_READS} tenants changed`, 'changed', TARGET.overviewP95Ms],
    ['tenant page', 'tenant', null],
    ['customer status poll', 'status', TARGET.statusP95Ms],
    ['scheduler tick (due extracts+retries)', 'tick', null],
    ['extract finding nothing new', 'extract', null],
  ];
  const size = (n: number) => n.toLocaleString();
  console.log(
    `
  ${size(LARGE)} tenants × ${PER_TENANT} datasets and ${PER_TENANT} streams, ${HISTORY} jobs of
  history each (${size(LARGE * PER_TENANT * HISTORY * 2)} extracts and loads); p95 of ${ROUNDS}
  rounds through the app's loaders; calls per load with the capabilities cached (one more call
  per minute reads them)

  ${''.padEnd(40)}${`p50/p95 @${size(SMALL)}`.padStart(16)}` +
      `${`p50/p95 @${size(LARGE)}`.padStart(18)}${'ratio'.padStart(8)}  calls  targets`,
  );
  let allMet = true;
  for (const [label, key, p95Target] of lines) {
    const a = small.results[key]!;
    const b = large.results[key]!;
    const ratio = b.p95 / a.p95;
    const ratioMet = ratio < TARGET.ratio;
    const p95Met = p95Target === null || b.p95 < p95Target;
    allMet &&= ratioMet && p95Met;
    const targets =
      `ratio < ${TARGET.ratio} ${verdict(ratioMet)}` +
      (p95Target === null ? '' : `, p95 < ${p95Target} ms ${verdict(p95Met)}`);
    const times = (timing: Timing) => `${timing.p50.toFixed(1)}/${timing.p95.toFixed(1)} ms`;
    console.log(
      `  ${label.padEnd(40)}${times(a).padStart(16)}${times(b).padStart(18)}` +
        `${ratio.toFixed(2).padStart(8)}${`${a.calls}/${b.calls}`.padStart(7)}  ${targets}`,
    );
  }
  console.log(
    `\n  due datasets @${size(SMALL)}: ${small.due[0]}` +
      `\n  due datasets @${size(LARGE)}: ${large.due[0]}` +
      `\n  due retries @${size(SMALL)}: ${small.due[1]}` +
      `\n  due retries @${size(LARGE)}: ${large.due[1]}` +
      `\n  first overview read after seeding (judges every tenant): ` +
      `${small.firstRead.toFixed(0)} ms @${size(SMALL)}, ${large.firstRead.toFixed(0)} ms ` +
      `@${size(LARGE)} (${size(LARGE - SMALL)} new)\n  overall: ${verdict(allMet)}\n`,
  );
} finally {
  await bench?.close();
  await databases.close();
}
