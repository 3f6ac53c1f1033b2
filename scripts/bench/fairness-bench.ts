// `npm run bench:fairness`: one big tenant does not hold up the others. Measures, in one run, a
// small tenant's sync of 10 changed rows (from the change to its receiver holding the records) on
// an idle engine and while a big tenant loads BENCH_BIG_RECORDS records, and the big load's
// records/s alone and with the small syncs running beside it.
import path from 'node:path';
import { isActive } from '../../lib/prequel/contract/job';
import {
  customerBatchDestination,
  postgresSourceBody,
  sampleTableDatasetBody,
} from './bench-bodies';
import { benchLog as log, openBenchDatabases } from './bench-databases';
import { customerMappings } from './customer-mapping';
import { spawnReceiver, type ReceiverProcess } from './spawn-receiver';
import { type BenchEngine, startBenchEngine } from './start-bench-engine';

const BIG_RECORDS = Number(process.env.BENCH_BIG_RECORDS ?? 1_000_000);
const SMALL_ROWS = 1000;
const CHANGED_ROWS = 10;
const SYNCS = 3;
// The small tenant's syncs start this far into the big load, once it runs at full speed, and this
// far apart.
const BUSY_AFTER_MS = 3000;
const SYNC_GAP_MS = 1000;
const TARGET = { smallFactor: 2, smallExtraSeconds: 0.5, bigSlowdown: 0.1 };

type Job = {
  id: string;
  status: string;
  submitted_at: string;
  started_at: string | null;
  ended_at: string | null;
  records_loaded?: number;
  records_errored?: number;
  error: unknown;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const databases = await openBenchDatabases({ customers: BIG_RECORDS });
let bench: BenchEngine | null = null;
const receivers: ReceiverProcess[] = [];
try {
  const { source } = databases;
  // The small tenant's table: a copy of the first customers, with the same keys and indexes.
  await source.query(
    'create table small_customers (like customers including all); ' +
      `insert into small_customers select * from customers order by id limit ${SMALL_ROWS}`,
  );
  await source.query('vacuum analyze small_customers');
  const api = (bench = await startBenchEngine(databases.engineUrl, {
    dataDir: path.join(databases.scratch, 'engine'),
    jobs: true,
  }));
  const bigSink = await spawnReceiver(api.baseUrl);
  receivers.push(bigSink);
  const smallSink = await spawnReceiver(api.baseUrl);
  receivers.push(smallSink);

  const jobOf = async (kind: 'extract' | 'load', id: string) =>
    (await api.call<Record<string, Job>>('GET', `/import/${kind}s/${id}`))[kind]!;
  const untilDone = async (kind: 'extract' | 'load', id: string): Promise<Job> => {
    for (;;) {
      const job = await jobOf(kind, id);
      if (!isActive(job)) {
        if (job.status !== 'succeeded')
          throw new Error(`${kind} ${job.status}: ${JSON.stringify(job.error)}`);
        return job;
      }
      await sleep(100);
    }
  };

  /** A tenant: its datalake, provider, source and dataset over `table`. */
  const tenant = async (providerId: string, table: string) => {
    const lake = await api.create('/import/datalakes', {
      datalake: { name: providerId, storage: 'local' },
    });
    await api.create('/import/providers', {
      provider: { id: providerId, name: providerId, datalake_id: lake.id, products: ['all'] },
    });
    const sourceRow = await api.create(
      '/import/sources',
      postgresSourceBody(providerId, providerId, databases.sourceUrl),
    );
    const dataset = await api.create(
      '/import/datasets',
      sampleTableDatasetBody(sourceRow.id, table),
    );
    // A stream of its own per run, each with its own destination (and so its own budget).
    const stream = async (name: string, receiverUrl: string) => {
      const destination = await api.create('/import/destinations?skip_validation=true', {
        destination: customerBatchDestination(name, receiverUrl),
      });
      return api.create('/import/streams', {
        stream: {
          name,
          dataset_id: dataset.id,
          destination_id: destination.id,
          mappings: customerMappings,
        },
      });
    };
    const extract = async () => {
      const { extract: queued } = await api.call<{ extract: Job }>(
        'POST',
        `/import/datasets/${dataset.id}/extract`,
      );
      return queued;
    };
    return { datasetId: dataset.id, stream, extract };
  };

  const big = await tenant('big', 'customers');
  const small = await tenant('small', 'small_customers');
  log(`Extracting the big tenant's ${BIG_RECORDS.toLocaleString()} customers (not timed)…`);
  await untilDone('extract', (await big.extract()).id);
  log(`Extracting the small tenant's ${SMALL_ROWS} customers (not timed)…`);
  await untilDone('extract', (await small.extract()).id);
  // Created after the first extracts: from here on, each small extract starts the small load.
  const bigStreams = [await big.stream('big alone', bigSink.url)];
  bigStreams.push(await big.stream('big with small syncs', bigSink.url));
  bigStreams.push(await big.stream('big alone again', bigSink.url));
  const smallStream = await small.stream('small', smallSink.url);
  const smallLoad = await api.call<{ load: Job }>(
    'POST',
    `/import/streams/${smallStream.id}/load`,
    {},
  );
  await untilDone('load', smallLoad.load.id);

  let changedSoFar = 0;
  /**
   * One small sync: change 10 rows and extract them; its time runs until the receiver holds the 10
   * records. Also where it went: waiting for the extract, extracting, waiting for the load,
   * loading.
   */
  const smallSync = async () => {
    const before = (await smallSink.stats()).records;
    const started = Date.now();
    await source.query(
      `update small_customers set full_name = full_name || ' (changed)', updated_at = now() ` +
        `where id in (select id from small_customers order by id offset $1 limit $2)`,
      [changedSoFar, CHANGED_ROWS],
    );
    changedSoFar += CHANGED_ROWS;
    const extract = await small.extract();
    while ((await smallSink.stats()).records < before + CHANGED_ROWS) {
      if (Date.now() - started > 120_000) throw new Error('A small sync took over 2 minutes.');
      await sleep(10);
    }
    const seconds = (Date.now() - started) / 1000;
    const extracted = await untilDone('extract', extract.id);
    const latestLoad = async () =>
      (
        await api.engine.db.query<{ started_at: Date | null; ended_at: Date | null }>(
          'select started_at, ended_at from loads where stream_id = $1 order by id desc limit 1',
          [smallStream.id],
        )
      ).rows[0];
    let loaded = await latestLoad();
    while (!loaded?.ended_at) {
      await sleep(20);
      loaded = await latestLoad();
    }
    const at = (time: string | Date | null | undefined) =>
      time ? new Date(time).getTime() - started : NaN;
    const phases = {
      extractWait: at(extracted.started_at) - at(extracted.submitted_at),
      extract: at(extracted.ended_at) - at(extracted.started_at),
      loadWait: at(loaded?.started_at) - at(extracted.ended_at),
      load: at(loaded?.ended_at) - at(loaded?.started_at),
    };
    return { seconds, phases, endedAt: Date.now() };
  };
  const describe = (phases: Record<string, number>) =>
    Object.entries(phases)
      .map(([name, ms]) => `${name} ${Number.isNaN(ms) ? '?' : Math.round(ms)} ms`)
      .join(', ');

  log('Small syncs on an idle engine (one warm-up, then 3)…');
  await smallSync();
  const idle = [];
  for (let run = 0; run < SYNCS; run++) idle.push(await smallSync());

  const bigLoad = async (streamId: string) => {
    const { load } = await api.call<{ load: Job }>('POST', `/import/streams/${streamId}/load`, {});
    return load.id;
  };
  const rateOf = (job: Job) => {
    const seconds = (Date.parse(job.ended_at!) - Date.parse(job.started_at!)) / 1000;
    const loaded = job.records_loaded!;
    return { seconds, rate: loaded / seconds, loaded, errored: job.records_errored ?? 0 };
  };
  const alone = [];
  log(`Big load alone (${BIG_RECORDS.toLocaleString()} records)…`);
  alone.push(rateOf(await untilDone('load', await bigLoad(bigStreams[0]!.id))));
  await bigSink.reset();

  log(`Big load with ${SYNCS} small syncs beside it…`);
  const busyId = await bigLoad(bigStreams[1]!.id);
  for (;;) {
    const job = await jobOf('load', busyId);
    if (job.started_at) break;
    await sleep(20);
  }
  await sleep(BUSY_AFTER_MS);
  const busy = [];
  for (let run = 0; run < SYNCS; run++) {
    busy.push(await smallSync());
    await sleep(SYNC_GAP_MS);
  }
  const busyLoad = await untilDone('load', busyId);
  const withSyncs = rateOf(busyLoad);
  const bigEnded = Date.parse(busyLoad.ended_at!);
  const during = busy.filter((sync) => sync.endedAt <= bigEnded).length;
  await bigSink.reset();
  // Once more alone after it, so a machine that got slower or faster meanwhile shows in both.
  log(`Big load alone again…`);
  alone.push(rateOf(await untilDone('load', await bigLoad(bigStreams[2]!.id))));
  for (const run of [...alone, withSyncs])
    if (run.loaded !== BIG_RECORDS)
      log(
        `A big load delivered ${run.loaded} of ${BIG_RECORDS} records (${run.errored} not ` +
          `delivered).`,
      );
  const aloneRate = alone.reduce((sum, run) => sum + run.rate, 0) / alone.length;

  const idleSeconds = median(idle.map((sync) => sync.seconds));
  const busySeconds = median(busy.map((sync) => sync.seconds));
  const smallLimit = TARGET.smallFactor * idleSeconds + TARGET.smallExtraSeconds;
  const slowdown = 1 - withSyncs.rate / aloneRate;
  const verdict = (met: boolean) => (met ? 'PASS' : 'FAIL');
  const seconds = (value: number) => `${value.toFixed(2)} s`;
  console.log(
    `\nFairness benchmark: a small tenant's sync of ${CHANGED_ROWS} changed rows (extract of a ` +
      `${SMALL_ROWS}-row table, load to its receiver) beside a big tenant's load of ` +
      `${BIG_RECORDS.toLocaleString()} records (webhook_batch json, another receiver)\n`,
  );
  for (const [label, syncs] of [
    ['idle engine', idle],
    ['during the big load', busy],
  ] as const)
    for (const [index, sync] of syncs.entries())
      console.log(
        `  small sync, ${label} ${index + 1}: ${seconds(sync.seconds).padStart(7)}  ` +
          `(${describe(sync.phases)})`,
      );
  const rate = (value: number) => `${Math.round(value).toLocaleString()} records/s`;
  const rows: [string, string][] = [
    [`small sync, idle (median of ${SYNCS})`, seconds(idleSeconds)],
    [
      'small sync, during the big load (median)',
      `${seconds(busySeconds)}  (${(busySeconds / idleSeconds).toFixed(2)}× idle; ${during} of ` +
        `${SYNCS} ended before the big load)`,
    ],
    [
      `big load alone (mean of ${alone.length})`,
      `${rate(aloneRate)}  (${alone.map((run) => seconds(run.seconds)).join(', ')})`,
    ],
    ['big load with the small syncs', `${rate(withSyncs.rate)}  (${seconds(withSyncs.seconds)})`],
    [
      `small: busy ≤ ${TARGET.smallFactor} × idle + ${TARGET.smallExtraSeconds} s = ` +
        seconds(smallLimit),
      `${seconds(busySeconds)}  ${verdict(busySeconds <= smallLimit && during === SYNCS)}`,
    ],
    [
      `big: ≤ ${(TARGET.bigSlowdown * 100).toFixed(0)}% slower with the small syncs`,
      `${(slowdown * 100).toFixed(1)}% slower  ${verdict(slowdown <= TARGET.bigSlowdown)}`,
    ],
  ];
  console.log('');
  for (const [label, value] of rows) console.log(`  ${label.padEnd(46)} ${value}`);
  console.log('');
} finally {
  for (const receiver of receivers) await receiver.stop().catch(() => {});
  await bench?.close().catch(() => {});
  await databases.close();
}
