// `npm run bench:extract`: builds a 1M-row table and measures, in one run, the extract against a
// raw COPY of it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import { createEngine } from '../../engine/create-engine';
import { createLogger } from '../../engine/logger';
import { systemLookup } from '../../engine/net/host-probe';
import { createPool } from '../../engine/store/db';
import { migrate } from '../../engine/store/migrate';
import { triggerExtract } from '../../engine/extract/trigger-extract';
import { benchLog as log, openBenchDatabases } from './bench-databases';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const CHUNK_ROWS = Number(process.env.BENCH_CHUNK_ROWS ?? 50_000);
const databases = await openBenchDatabases({ customers: ROWS });
try {
  const { source, scratch } = databases;
  await source.query('vacuum analyze customers');

  // Baseline: the raw COPY of the same table, drained without parsing. Once to warm the cache, then
  // the median of three, so one noisy measurement does not decide the ratio either way.
  const rawCopy = async () => {
    const started = performance.now();
    let rows = 0;
    const stream = source.query(copyTo('copy customers to stdout with (format csv)'));
    await pipeline(stream, new Writable({ write: (_chunk, _encoding, done) => done() }));
    rows = stream.rowCount ?? 0;
    return { rows, seconds: (performance.now() - started) / 1000 };
  };
  await rawCopy();
  const runs = [await rawCopy(), await rawCopy(), await rawCopy()];
  const raw = [...runs].sort((a, b) => a.seconds - b.seconds)[1]!;

  const engineDb = createPool(databases.engineUrl);
  await migrate(engineDb);
  const key = randomBytes(32);
  const apiKey = randomBytes(16).toString('hex');
  // Called in-process: the extracts themselves run in a child each (run-extract-once.ts), to
  // measure them alone.
  const { app, context: engine } = createEngine({
    db: engineDb,
    logger: createLogger({ level: 'warn' }),
    encryptionKey: key,
    lookup: systemLookup,
    allowPrivateHosts: true,
    dataDir: path.join(scratch, 'engine'),
    apiKeys: [apiKey],
  });
  const call = async (pathname: string, body: unknown) => {
    const response = await app.request(pathname, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { data: Record<string, { id: string }> };
    if (response.status >= 300) throw new Error(`${pathname}: ${JSON.stringify(json)}`);
    return Object.values(json.data)[0]!;
  };
  const admin = new URL(databases.sourceUrl);
  const lake = await call('/import/datalakes', { datalake: { name: 'bench', storage: 'local' } });
  await call('/import/providers', {
    provider: { id: 'bench', name: 'Bench', datalake_id: lake.id, products: ['all'] },
  });
  const src = await call('/import/sources', {
    source: {
      name: 'bench',
      vendor: 'postgres',
      provider_id: 'bench',
      postgres: {
        host: '127.0.0.1',
        port: Number(admin.port),
        database: 'source',
        disable_ssl: true,
        password_auth: { username: admin.username, password: admin.password },
      },
    },
  });
  const dataset = await call('/import/datasets', {
    dataset: {
      source_id: src.id,
      method: 'table',
      table: { source_table_namespace: 'public', source_table_name: 'customers' },
      type: 'dimension',
      dimension: {
        primary_key_column: 'id',
        last_modified_column: 'updated_at',
        is_deleted_column: 'is_deleted',
      },
    },
  });

  const runChild = async () => {
    const { extract } = await triggerExtract(engineDb, dataset.id, 'api');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(import.meta.dirname, 'run-extract-once.ts'),
        databases.engineUrl,
        extract.id,
        engine.dataDir,
        String(CHUNK_ROWS),
      ],
      {
        env: { ...process.env, INLET_ENCRYPTION_KEY: key.toString('base64') },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    await new Promise((resolve) => child.once('exit', resolve));
    const result = JSON.parse(output) as { seconds: number; peakRssMb: number };
    const row = (
      await engineDb.query(
        `select status, records_processed::int as processed, records_new_inserted::int as ` +
          `inserted, records_existing_updated::int as updated, error from extracts where id = $1`,
        [extract.id],
      )
    ).rows[0];
    if (row.status !== 'succeeded')
      throw new Error(`extract ${row.status}: ${JSON.stringify(row.error)}`);
    return {
      ...result,
      processed: row.processed as number,
      inserted: row.inserted as number,
      updated: row.updated as number,
    };
  };

  log('Full extract…');
  const full = await runChild();
  const changed = Math.round(ROWS / 100);
  // Three rounds, each after changing another 1% of rows; the median decides, so one noisy run does
  // not.
  const rounds = [];
  for (let round = 1; round <= 3; round++) {
    await source.query(
      `update customers set plan = plan || '+', updated_at = clock_timestamp() where id in ` +
        `(select id from customers order by random() limit $1)`,
      [changed],
    );
    log(`Incremental extract ${round} of 3 after changing ${changed.toLocaleString()} rows…`);
    rounds.push(await runChild());
  }
  const incremental = [...rounds].sort((a, b) => a.seconds - b.seconds)[1]!;
  await engineDb.end();

  const extractRate = full.processed / full.seconds;
  const rawRate = raw.rows / raw.seconds;
  const rows = [
    [
      'raw COPY … TO STDOUT',
      `${Math.round(rawRate).toLocaleString()} rows/s`,
      `${raw.seconds.toFixed(2)} s`,
      '',
    ],
    [
      'full extract',
      `${Math.round(extractRate).toLocaleString()} rows/s`,
      `${full.seconds.toFixed(2)} s`,
      `${full.inserted.toLocaleString()} new`,
    ],
    [
      'incremental extract (1% changed)',
      `${incremental.processed.toLocaleString()} rows read`,
      `${incremental.seconds.toFixed(2)} s`,
      `${incremental.updated.toLocaleString()} updated (median of ` +
        `${rounds.map((run) => run.seconds.toFixed(2)).join(', ')} s)`,
    ],
  ];
  console.log(
    `\nExtract benchmark: ${ROWS.toLocaleString()} customers (11 columns), checkpoints of ` +
      `${CHUNK_ROWS.toLocaleString()} rows\n`,
  );
  for (const row of rows)
    console.log(
      `  ${row[0]!.padEnd(34)} ${row[1]!.padStart(18)} ${row[2]!.padStart(9)}  ${row[3]}`,
    );
  const ratio = extractRate / rawRate;
  const fraction = incremental.seconds / full.seconds;
  console.log(`
  extract / raw COPY rows/s           ${ratio.toFixed(2)}   (target ≥ 0.40)
    ${ratio >= 0.4 ? 'met' : 'NOT MET'}
  extract peak RSS                    ${full.peakRssMb.toFixed(0)} MB  (target < 400 MB)
    ${full.peakRssMb < 400 ? 'met' : 'NOT MET'}
  incremental / full extract time     ${fraction.toFixed(3)}  (target < 0.05)
    ${fraction < 0.05 ? 'met' : 'NOT MET'}
`);
} finally {
  await databases.close();
}
