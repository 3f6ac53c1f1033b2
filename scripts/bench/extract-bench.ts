// `npm run bench:extract`: builds a 1M-row table and measures, in one run, the extract against a
// raw COPY of it, and the incremental runs (nothing new, 100 rows, 1%) against the full extract.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import { createEngine } from '../../engine/create-engine';
import { createLogger } from '../../engine/logger';
import { systemLookup } from '../../engine/net/host-probe';
import { createPool } from '../../engine/store/db';
import { migrate } from '../../engine/store/migrate';
import { triggerExtract } from '../../engine/extract/trigger-extract';
import { sampleTableDatasetBody } from './bench-bodies';
import { benchLog as log, openBenchDatabases } from './bench-databases';
import { postmasterPid, treeCpuMs } from './process-cpu';

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
  const createDataset = (table: string) =>
    call('/import/datasets', sampleTableDatasetBody(src.id, table));
  const dataset = await createDataset('customers');
  // A table a tenth the size: the same few changed rows should cost the same there.
  const smallRows = Math.max(1, Math.round(ROWS / 10));
  await source.query(
    `create table customers_small as select * from customers order by id limit ${smallRows}; ` +
      `alter table customers_small add primary key (id); ` +
      `create index on customers_small (updated_at, id)`,
  );
  await source.query('vacuum analyze customers_small');
  const smallDataset = await createDataset('customers_small');

  // Extracts run in a worker process of their own (run-extract-once.ts), so they are measured
  // alone: the full extract in a fresh one (its peak RSS is its own), the incremental runs one
  // after another in one long-lived worker, as the job runner runs them.
  const postgresCpu = () => {
    const pid = postmasterPid(databases.postgresDataDir);
    return pid === null ? null : treeCpuMs(pid);
  };
  const startWorker = () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(import.meta.dirname, 'run-extract-once.ts'),
        databases.engineUrl,
        engine.dataDir,
        String(CHUNK_ROWS),
      ],
      {
        env: { ...process.env, INLET_ENCRYPTION_KEY: key.toString('base64') },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const exited = once(child, 'exit');
    const run = async (datasetId: string) => {
      const { extract } = await triggerExtract(engineDb, datasetId, 'api');
      const postgresBefore = postgresCpu();
      child.stdin.write(`${extract.id}\n`);
      const answer = await answers.next();
      if (answer.done) throw new Error('the extract worker exited');
      const measured = JSON.parse(answer.value) as {
        seconds: number;
        cpuMs: number;
        peakRssMb: number;
      };
      const postgresAfter = postgresCpu();
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
        ...measured,
        postgresCpuMs:
          postgresBefore === null || postgresAfter === null ? null : postgresAfter - postgresBefore,
        processed: row.processed as number,
        inserted: row.inserted as number,
        updated: row.updated as number,
      };
    };
    const stop = async () => {
      child.stdin.end();
      await exited;
    };
    /** Compacts the dataset's files: seconds taken. */
    const compact = async (datasetId: string) => {
      child.stdin.write(`compact:${datasetId}\n`);
      const answer = await answers.next();
      if (answer.done) throw new Error('the extract worker exited');
      return (JSON.parse(answer.value) as { seconds: number }).seconds;
    };
    return { run, stop, compact };
  };
  type Measured = Awaited<ReturnType<ReturnType<typeof startWorker>['run']>>;
  // The median run decides, so one noisy run does not.
  const median = (runs: Measured[]) =>
    [...runs].sort((a, b) => a.seconds - b.seconds)[runs.length >> 1]!;
  const changeRows = (table: string, count: number) =>
    source.query(
      `update ${table} set plan = plan || '+', updated_at = clock_timestamp() where id in ` +
        `(select id from ${table} order by random() limit $1)`,
      [count],
    );

  log('Full extract…');
  const fresh = startWorker();
  const full = await fresh.run(dataset.id);
  // As the job runner does once an extract leaves 8 files or more (the full one leaves a file per
  // checkpoint): the incremental runs below look their keys up in the compacted file.
  log('Compacting its files…');
  const compactSeconds = await fresh.compact(dataset.id);
  await fresh.stop();

  const worker = startWorker();
  log(`Full extract of the ${smallRows.toLocaleString()}-row table…`);
  await worker.run(smallDataset.id);
  // The first run of a worker opens its DuckDB and compiles its code paths: not what a long-lived
  // worker pays per run.
  await worker.run(dataset.id);
  const measureRounds = async (
    rounds: number,
    label: string,
    before: () => Promise<unknown>,
    datasetId: string,
  ) => {
    const runs: Measured[] = [];
    for (let round = 1; round <= rounds; round++) {
      await before();
      log(`${label} ${round} of ${rounds}…`);
      runs.push(await worker.run(datasetId));
    }
    return { runs, median: median(runs) };
  };
  const nothing = await measureRounds(5, 'Extract finding nothing new', async () => {}, dataset.id);
  const FEW = Math.min(100, smallRows);
  const few = await measureRounds(
    3,
    `Extract after changing ${FEW} rows`,
    () => changeRows('customers', FEW),
    dataset.id,
  );
  const fewSmall = await measureRounds(
    3,
    `Extract of the small table after changing ${FEW} rows`,
    () => changeRows('customers_small', FEW),
    smallDataset.id,
  );
  const changed = Math.round(ROWS / 100);
  const onePercent = await measureRounds(
    3,
    `Extract after changing ${changed.toLocaleString()} rows (1%)`,
    () => changeRows('customers', changed),
    dataset.id,
  );
  await worker.stop();
  await engineDb.end();

  const extractRate = full.processed / full.seconds;
  const rawRate = raw.rows / raw.seconds;
  const ms = (run: Measured) => `${(run.seconds * 1000).toFixed(0)} ms`;
  const cpu = (run: Measured) =>
    `CPU: extract ${run.cpuMs.toFixed(0)} ms, Postgres ` +
    `${run.postgresCpuMs === null ? 'n/a' : `${run.postgresCpuMs.toFixed(0)} ms`}`;
  const of = (measured: { runs: Measured[] }) =>
    `median of ${measured.runs.map((run) => (run.seconds * 1000).toFixed(0)).join(', ')} ms`;
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
      `${full.inserted.toLocaleString()} new; ${cpu(full)}`,
    ],
    [
      'compaction after it (a job)',
      '',
      `${compactSeconds.toFixed(2)} s`,
      `${(compactSeconds / full.seconds).toFixed(2)} of the full extract`,
    ],
    [
      'no change',
      `${nothing.median.processed.toLocaleString()} rows read`,
      ms(nothing.median),
      `${of(nothing)}; ${cpu(nothing.median)}`,
    ],
    [
      `${FEW} changed`,
      `${few.median.processed.toLocaleString()} rows read`,
      ms(few.median),
      `${few.median.updated.toLocaleString()} updated (${of(few)}); ${cpu(few.median)}`,
    ],
    [
      `${FEW} changed, ${smallRows.toLocaleString()}-row table`,
      `${fewSmall.median.processed.toLocaleString()} rows read`,
      ms(fewSmall.median),
      `${fewSmall.median.updated.toLocaleString()} updated (${of(fewSmall)}); ` +
        cpu(fewSmall.median),
    ],
    [
      `1% changed`,
      `${onePercent.median.processed.toLocaleString()} rows read`,
      ms(onePercent.median),
      `${onePercent.median.updated.toLocaleString()} updated (${of(onePercent)}); ` +
        cpu(onePercent.median),
    ],
  ];
  console.log(
    `\nExtract benchmark: ${ROWS.toLocaleString()} customers (11 columns), checkpoints of ` +
      `${CHUNK_ROWS.toLocaleString()} rows; incremental runs in one long-lived worker\n`,
  );
  for (const row of rows)
    console.log(
      `  ${row[0]!.padEnd(34)} ${row[1]!.padStart(18)} ${row[2]!.padStart(9)}  ${row[3]}`,
    );
  const verdict = (met: boolean) => (met ? 'met' : 'NOT MET');
  const ratio = extractRate / rawRate;
  const fraction = (run: Measured) => run.seconds / full.seconds;
  const nothingMs = nothing.median.seconds * 1000;
  const summary = [
    ['extract / raw COPY rows/s', ratio.toFixed(2), `(target ≥ 0.40) ${verdict(ratio >= 0.4)}`],
    [
      'extract peak RSS',
      `${full.peakRssMb.toFixed(0)} MB`,
      `(target < 400 MB) ${verdict(full.peakRssMb < 400)}`,
    ],
    ['no change', `${nothingMs.toFixed(0)} ms`, `(target ≤ 100 ms) ${verdict(nothingMs <= 100)}`],
    [`${FEW} changed / full extract time`, fraction(few.median).toFixed(3), ''],
    [
      `${FEW} changed, 10× the table / 1×`,
      (few.median.seconds / fewSmall.median.seconds).toFixed(2),
      '(cost follows the changed rows: ≈ 1)',
    ],
    [
      '1% changed / full extract time',
      fraction(onePercent.median).toFixed(3),
      `(target < 0.05) ${verdict(fraction(onePercent.median) < 0.05)}`,
    ],
  ];
  console.log('');
  for (const [label, value, target] of summary)
    console.log(`  ${label!.padEnd(35)} ${value!.padEnd(7)} ${target}`);
  console.log('');
} finally {
  await databases.close();
}
