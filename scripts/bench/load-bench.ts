// `npm run bench:load`: loads the sample customers through a webhook_batch (json) and a
// webhook_record destination into the reference receiver, each against a raw keep-alive HTTP loop
// sending the same signed requests to the same receiver, then times test-transform for 50 records.
// Speed is measured here, never asserted in tests.
import os from 'node:os';
import path from 'node:path';
import { DestinationCreateSchema } from '../../lib/prequel/contract/destination';
import { isActive } from '../../lib/prequel/contract/job';
import { type CachedRecord, openCachedRecords } from '../../engine/cache/cached-records';
import {
  bodyBytes,
  createRequestRenderer,
  type RenderOutcome,
} from '../../engine/deliver/render-request';
import { deliveryId, signDelivery } from '../../engine/deliver/sign-delivery';
import { signingKey } from '../../engine/deliver/signing-key';
import { readStreamTransformed } from '../../engine/loads/load-ledger';
import { BATCH_RECORDS, customerBatchDestination, RECORDS_PER_MINUTE } from './bench-bodies';
import { benchLog as log, openBenchDatabases } from './bench-databases';
import { customerMappings, customerRecordSchema } from './customer-mapping';
import { measureTestTransform, RECORDS_PER_CALL, TARGET_P95_MS } from './measure-test-transform';
import {
  cpuSince,
  postmasterPid,
  processCpuMs,
  readCpu,
  treeCpuMs,
  type CpuReading,
} from './process-cpu';
import { type RawDelivery, sendRawDeliveries } from './send-raw-deliveries';
import { spawnReceiver, type ReceiverProcess } from './spawn-receiver';
import { type BenchEngine, startBenchEngine } from './start-bench-engine';

// 20,000 keeps a run under a minute on two cores.
const ROWS = Number(process.env.BENCH_LOAD_ROWS ?? 20_000);
// The raw loop uses the same: the engine sends batches one at a time, and records
// RECORD_CONCURRENCY at a time.
const RECORD_CONCURRENCY = 8;
// Through a second stream of each destination: every record for the batch one (its ledger gives the
// baselines their records), a few for the record one (a load by ids takes at most 1,000).
const WARMUP_RECORDS = 500;
const TRANSFORM_CALLS = 100;
const TARGET = { batch: 0.5, record: 0.3 };

type Job = {
  id: string;
  status: string;
  started_at: string | null;
  ended_at: string | null;
  records_loaded?: number;
  records_errored?: number;
  error: unknown;
};
// Polling answers from the engine's own event loop, so it is kept rare; a load's time is its own
// started_at → ended_at.
const POLL_MS = 100;

const databases = await openBenchDatabases({ customers: ROWS });
let bench: BenchEngine | null = null;
let receiver: ReceiverProcess | null = null;
try {
  const liveIds = await databases.liveIds();
  const api = (bench = await startBenchEngine(databases.engineUrl, {
    dataDir: path.join(databases.scratch, 'engine'),
    jobs: true,
  }));
  const sink = (receiver = await spawnReceiver(api.baseUrl));
  const untilDone = async (pathname: string, key: 'extract' | 'load'): Promise<Job> => {
    for (;;) {
      const job = (await api.call<Record<string, Job>>('GET', pathname))[key]!;
      if (!isActive(job)) return job;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };

  const dataset = await api.createCustomerDataset(databases.sourceUrl);
  log('Extracting (not timed)…');
  const { extract } = await api.call<{ extract: Job }>(
    'POST',
    `/import/datasets/${dataset.id}/extract`,
  );
  const extracted = await untilDone(`/import/extracts/${extract.id}`, 'extract');
  if (extracted.status !== 'succeeded')
    throw new Error(`extract ${extracted.status}: ${JSON.stringify(extracted.error)}`);
  // Every cached record, in the order a load pages through them: what each load must deliver.
  const cached: CachedRecord[] = [];
  const reader = await openCachedRecords(api.engine, dataset.id);
  try {
    for await (const page of reader.changed({
      afterVersion: 0,
      upToVersion: Number.MAX_SAFE_INTEGER,
      pageSize: BATCH_RECORDS,
    }))
      cached.push(...page);
  } finally {
    reader.close();
  }

  const destinationBodies = {
    batch: customerBatchDestination('bench batch', sink.url),
    record: {
      name: 'bench record',
      type: 'webhook_record',
      record_schema: customerRecordSchema,
      max_records_per_minute: RECORDS_PER_MINUTE,
      max_concurrency: RECORD_CONCURRENCY,
      webhook_record: { request_template: { method: 'POST', uri: `${sink.url}/records` } },
    },
  };
  // Created after the extract (which starts the loads of enabled streams), so loads start only when
  // the benchmark says so.
  const streamTo = async (destinationId: string, name: string) =>
    api.create('/import/streams', {
      stream: {
        name,
        dataset_id: dataset.id,
        destination_id: destinationId,
        mappings: customerMappings,
      },
    });
  // A batch load and its raw loop take a second or so each, so one noisy run could decide the
  // ratio: each is run three times, alternately, and the medians compared; each engine run loads a
  // stream of its own, with an empty ledger.
  const RUNS = { batch: 3, record: 1 };
  const streams = {
    batch: { mains: [] as string[], warmup: '' },
    record: { mains: [] as string[], warmup: '' },
  };
  for (const kind of ['batch', 'record'] as const) {
    const destination = await api.create('/import/destinations?skip_validation=true', {
      destination: destinationBodies[kind],
    });
    for (let run = 0; run < RUNS[kind]; run++)
      streams[kind].mains.push((await streamTo(destination.id, `bench ${kind} ${run + 1}`)).id);
    streams[kind].warmup = (await streamTo(destination.id, `bench ${kind} warm-up`)).id;
  }

  // From the moment the engine starts the load to the moment it records the end (the API's
  // started_at and ended_at), as the raw loop is timed from its first request to its last answer:
  // the wait for a job runner to pick the load up, and for the benchmark's next poll to notice the
  // end, belongs to neither.
  const load = async (streamId: string, body: unknown = {}) => {
    const { load: queued } = await api.call<{ load: Job }>(
      'POST',
      `/import/streams/${streamId}/load`,
      body,
    );
    const done = await untilDone(`/import/loads/${queued.id}`, 'load');
    if (done.status !== 'succeeded' || done.records_errored !== 0)
      throw new Error(
        `load ${done.status}, ${done.records_errored} errored: ${JSON.stringify(done.error)}`,
      );
    const seconds = (Date.parse(done.ended_at!) - Date.parse(done.started_at!)) / 1000;
    return { id: done.id, loaded: done.records_loaded!, seconds };
  };
  let verifiedRuns = 0;
  /**
   * The receiver's counts since its last reset must show every record, once, and nothing refused.
   */
  const expectReceived = async (what: string, records: number) => {
    const stats = await sink.stats();
    const refused = stats.deliveries - (stats.byStatus['200'] ?? 0);
    if (stats.records !== records || stats.duplicates || stats.rejections || refused) {
      throw new Error(
        `${what}: the receiver got ${stats.records} of ${records} records (${stats.duplicates} ` +
          `duplicates, ${stats.rejections} rejected, ${refused} refused deliveries)`,
      );
    }
    await sink.reset();
    verifiedRuns++;
    return stats;
  };

  log(
    `Warming up the engine and the receiver: every record in batches, ${WARMUP_RECORDS} one by ` +
      `one…`,
  );
  const batchWarmup = await load(streams.batch.warmup);
  await load(streams.record.warmup, {
    record_ids: cached.slice(0, WARMUP_RECORDS).map((record) => record.recordId),
  });
  await expectReceived('warm-up', cached.length + WARMUP_RECORDS);

  // The baseline sends the requests the engine sends: the records it transformed (as the batch
  // warm-up's ledger holds them; every stream maps them alike), rendered by its renderer, signed
  // with its key; only the signature's timestamp differs. Made once per destination, before its
  // timed runs: the engine runs in this process, and what making them leaves behind would otherwise
  // be collected during the next timed run. (Collecting it by force before each run was tried: a
  // forced full GC slowed the next engine load by 10–20%, as V8 then regrows its heap.)
  const key = await signingKey(api.engine);
  const rawDeliveries = async (kind: 'batch' | 'record'): Promise<RawDelivery[]> => {
    const streamId = streams[kind].mains[0]!;
    const transformed = (await readStreamTransformed(api.engine.db, streams.batch.warmup)) as Map<
      string,
      Record<string, unknown> | null
    >;
    const records = cached.map((record) => ({
      recordId: record.recordId,
      version: record.version,
      isDeleted: record.isDeleted,
      record: transformed.get(record.recordId)!,
    }));
    if (transformed.size !== records.length || records.some((record) => !record.record))
      throw new Error(`The batch warm-up's ledger does not hold every record.`);
    const renderer = createRequestRenderer(
      DestinationCreateSchema.parse(destinationBodies[kind]),
      dataset.providerId,
    );
    const signed = async (rendered: RenderOutcome, id: string): Promise<RawDelivery> => {
      if (!rendered.ok) throw new Error(rendered.message);
      const { method, url, headers, body } = rendered.request;
      const signature = await signDelivery(body, {
        privateKey: key.privateKey,
        providerId: dataset.providerId,
        deliveryId: id,
      });
      return {
        method,
        url,
        headers: { ...headers, ...signature, 'user-agent': 'inlet-bench' },
        body: bodyBytes(body),
      };
    };
    if (kind === 'record')
      return Promise.all(
        records.map((record) =>
          signed(renderer.forRecord(record), deliveryId(streamId, record.recordId, record.version)),
        ),
      );
    const batches: Promise<RawDelivery>[] = [];
    for (let start = 0; start < records.length; start += BATCH_RECORDS) {
      const items = records.slice(start, start + BATCH_RECORDS);
      const id = deliveryId(
        streamId,
        items.map((item) => item.recordId).join(','),
        items.map((item) => item.version).join(','),
      );
      batches.push(signed(renderer.forBatch(items, batchWarmup.id), id));
    }
    return Promise.all(batches);
  };

  // Where the CPU goes while a load runs: this process (the engine, and the benchmark's rare
  // polls), the Postgres server (the engine's database; the source is idle), the receiver. They
  // share the machine's cores.
  const pgPid = postmasterPid(databases.postgresDataDir);
  const cpuSources = {
    engine: () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    },
    postgres: () => (pgPid === null ? null : treeCpuMs(pgPid)),
    receiver: () => processCpuMs(sink.pid),
  };
  const cpu: Record<'batch' | 'record', CpuReading> = { batch: {}, record: {} };
  const measured = {
    batch: { engine: 0, raw: 0, requests: 0 },
    record: { engine: 0, raw: 0, requests: 0 },
  };
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  for (const kind of ['batch', 'record'] as const) {
    const runs = RUNS[kind];
    const of = (run: number) => (runs > 1 ? ` (${run + 1} of ${runs})` : '');
    const engineSeconds: number[] = [];
    const rawSeconds: number[] = [];
    const cpuRuns: CpuReading[] = [];
    log(`Rendering and signing the raw loop's webhook_${kind} requests (not timed)…`);
    const deliveries = await rawDeliveries(kind);
    for (let run = 0; run < runs; run++) {
      log(`Engine load, webhook_${kind}${of(run)}…`);
      const cpuBefore = readCpu(cpuSources);
      const engineLoad = await load(streams[kind].mains[run]!);
      cpuRuns.push(cpuSince(cpuBefore, readCpu(cpuSources)));
      if (engineLoad.loaded !== cached.length)
        throw new Error(
          `The ${kind} load delivered ${engineLoad.loaded} of ${cached.length} records.`,
        );
      measured[kind].requests = (
        await expectReceived(`engine ${kind} load`, cached.length)
      ).deliveries;
      engineSeconds.push(engineLoad.seconds);
      if (measured[kind].requests !== deliveries.length)
        throw new Error(
          `The ${kind} load sent ${measured[kind].requests} requests, the raw loop has ` +
            `${deliveries.length}.`,
        );
      log(`Raw HTTP loop, webhook_${kind}${of(run)}…`);
      rawSeconds.push(
        (await sendRawDeliveries(deliveries, kind === 'batch' ? 1 : RECORD_CONCURRENCY)).seconds,
      );
      await expectReceived(`raw ${kind} loop`, cached.length);
    }
    measured[kind].engine = median(engineSeconds);
    measured[kind].raw = median(rawSeconds);
    // The CPU of an average run.
    cpu[kind] = Object.fromEntries(
      Object.keys(cpuRuns[0]!).map((name) => [
        name,
        cpuRuns.some((run) => run[name] == null)
          ? null
          : cpuRuns.reduce((sum, run) => sum + run[name]!, 0) / runs,
      ]),
    );
  }

  log(`Calling test-transform ${TRANSFORM_CALLS} times with ${RECORDS_PER_CALL} random records…`);
  const transform = await measureTestTransform(
    (pathname, body) => api.call('POST', pathname, body),
    streams.record.mains[0]!,
    liveIds,
    { calls: TRANSFORM_CALLS, warmupCalls: 5 },
  );

  const rate = (seconds: number) =>
    `${Math.round(cached.length / seconds).toLocaleString()} records/s`;
  console.log(
    `\nLoad benchmark: ${cached.length.toLocaleString()} customers, ${customerMappings.length} ` +
      `mappings, into the reference receiver (own process; verifies, de-duplicates, stores)`,
  );
  console.log(
    `Engine loads are timed from the load's started_at to its ended_at (as the API reports ` +
      `them), raw loops from first request to last answer.\n`,
  );
  const rows = [
    [
      `webhook_batch json, engine load`,
      measured.batch.engine,
      `${measured.batch.requests} batches of ≤ ${BATCH_RECORDS}, one at a time, median of ` +
        `${RUNS.batch}`,
    ],
    [
      `webhook_batch json, raw HTTP loop`,
      measured.batch.raw,
      `same bodies, keep-alive, median of ${RUNS.batch}`,
    ],
    [
      `webhook_record, engine load`,
      measured.record.engine,
      `${measured.record.requests.toLocaleString()} requests, ${RECORD_CONCURRENCY} in flight`,
    ],
    [
      `webhook_record, raw HTTP loop`,
      measured.record.raw,
      `same bodies, keep-alive, ${RECORD_CONCURRENCY} in flight`,
    ],
  ] as const;
  for (const [label, seconds, note] of rows)
    console.log(
      `  ${label.padEnd(34)} ${rate(seconds).padStart(18)} ` +
        `${`${seconds.toFixed(2)} s`.padStart(9)}  ${note}`,
    );
  const ratio = {
    batch: measured.batch.raw / measured.batch.engine,
    record: measured.record.raw / measured.record.engine,
  };
  const verdict = (met: boolean) => (met ? 'met' : 'NOT MET');
  const target = (kind: 'batch' | 'record') =>
    `(target ≥ ${TARGET[kind].toFixed(2)}) ${verdict(ratio[kind] >= TARGET[kind])}`;
  const p95Target =
    `(${RECORDS_PER_CALL} records, target p95 < ${TARGET_P95_MS} ms) ` +
    verdict(transform.p95 < TARGET_P95_MS);
  const received =
    `${verifiedRuns - 1} runs × ${cached.length.toLocaleString()} records; ` +
    `${transform.transformed.toLocaleString()} records transformed in previews, ` +
    `${transform.errored} errors`;
  const p50p95 = `${transform.p50.toFixed(1)} / ${transform.p95.toFixed(1)} ms`;
  console.log(`
  batch engine / raw records/s        ${ratio.batch.toFixed(2)}   ${target('batch')}
  record engine / raw records/s       ${ratio.record.toFixed(2)}   ${target('record')}
  test-transform p50 / p95            ${p50p95}  ${p95Target}
  receiver got every record, once     ${received}
`);
  // The floor a machine puts under a load: all the CPU it takes, spread over every core at once.
  const cores = os.availableParallelism();
  for (const kind of ['batch', 'record'] as const) {
    const parts = Object.entries(cpu[kind]);
    if (parts.some(([, ms]) => ms === null)) {
      console.log(`  CPU of the ${kind} load: not measured (no /proc here)`);
      continue;
    }
    const per1000 = (ms: number) => (ms * 1000) / cached.length;
    const total = parts.reduce((sum, [, ms]) => sum + ms!, 0);
    const floorSeconds = total / cores / 1000;
    console.log(
      `  CPU per 1,000 records, ${kind} load   ` +
        `${parts.map(([name, ms]) => `${name} ${per1000(ms!).toFixed(0)} ms`).join(', ')}: ` +
        `${per1000(total).toFixed(0)} ms on ${cores} cores,` +
        ` so at best ${(floorSeconds * 1000).toFixed(0)} ms for the load (ratio ≤ ` +
        `${(measured[kind].raw / floorSeconds).toFixed(2)})`,
    );
  }
  console.log('');
} finally {
  await receiver?.stop().catch(() => {});
  await bench?.close().catch(() => {});
  await databases.close();
}
