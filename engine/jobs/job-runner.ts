// Runs the engine's background jobs on graphile-worker (a Postgres queue shared by every engine
// process), keeps a heartbeat per worker, releases the jobs of workers that stopped beating, and
// starts due extracts and due delivery retries.
import { EventEmitter } from 'node:events';
import {
  type LogFunctionFactory,
  Logger,
  run,
  type Runner,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import { z } from 'zod';
import { openDatalakeFor } from '../datalake/open-datalake-for';
import type { EngineContext } from '../engine-context';
import { COMPACT_TASK, compactDatasetFiles, purgeSupersededFiles } from '../extract/compact-files';
import { runExtract } from '../extract/run-extract';
import { EXTRACT_TASK, scheduleDueExtracts } from '../extract/trigger-extract';
import { triggerDueRetries } from '../loads/load-retries';
import { runLoad } from '../loads/run-load';
import { LOAD_TASK } from '../loads/trigger-load';
import {
  DEFAULT_BIG_SHARE,
  DEFAULT_SMALL_FOR_MS,
  FairShare,
  type FairShareSettings,
  providerOfFlags,
} from './fair-share';

export interface JobRunnerOptions {
  concurrency?: number;
  /**
   * How tenants share the slots (by default one provider may take all but one) and the cores (see
   * fair-share.ts).
   */
  fairShare?: Partial<FairShareSettings>;
  pollIntervalMs?: number;
  heartbeatMs?: number;
  /** A worker silent for this long is presumed dead and its jobs go back to the queue. */
  staleAfterSeconds?: number;
  schedulerIntervalMs?: number;
  /** Rows per extract checkpoint, and how far behind the source clock the saved cursor stays. */
  extract?: { chunkRows?: number; lagSeconds?: number };
  load?: {
    timeoutMs?: number;
    maxAttempts?: number;
    maxWaitMs?: number;
    disableAfterFailingMs?: number;
    retryScheduleMs?: readonly number[];
  };
}

const ExtractPayloadSchema = z.object({ extract_id: z.uuid() });
const LoadPayloadSchema = z.object({ load_id: z.uuid() });
const CompactPayloadSchema = z.object({ dataset_id: z.uuid() });
const MAINTENANCE_LOCK = 7_214_903_882;
const SWEEP_EVERY_MS = 15 * 60_000;

/** Removes what crashed writers left in local datalakes (temporary files older than an hour). */
async function sweepDatalakes(engine: EngineContext) {
  const lakes = await engine.db.query<{ id: string }>(
    `select id from datalakes where body->>'storage' = 'local'`,
  );
  for (const { id } of lakes.rows) {
    const store = await openDatalakeFor(engine, id).catch(() => null);
    const removed = await store?.sweepTemporaryFiles(60 * 60_000).catch(() => 0);
    if (removed)
      engine.logger.info('removed temporary datalake files', { datalake_id: id, removed });
  }
}

export interface JobRunner {
  stop(): Promise<void>;
}

export async function startJobRunner(
  engine: EngineContext,
  options: JobRunnerOptions = {},
): Promise<JobRunner> {
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const staleAfterSeconds = options.staleAfterSeconds ?? 60;
  const workerIds = new Set<string>();
  let lastSweep = 0;
  const concurrency = options.concurrency ?? 2;
  const share = new FairShare({
    slotsPerProvider: Math.max(1, concurrency - 1),
    smallForMs: DEFAULT_SMALL_FOR_MS,
    bigShare: DEFAULT_BIG_SHARE,
    ...options.fairShare,
  });

  const taskList: TaskList = {
    [EXTRACT_TASK]: async (payload, helpers) => {
      const { extract_id } = ExtractPayloadSchema.parse(payload);
      const shared = share.start(providerOfFlags(helpers.job.flags));
      try {
        await runExtract(engine, extract_id, {
          workerId: helpers.job.locked_by ?? 'unknown',
          ...options.extract,
        });
      } finally {
        shared.end();
      }
    },
    [COMPACT_TASK]: async (payload, helpers) => {
      const { dataset_id } = CompactPayloadSchema.parse(payload);
      const shared = share.start(providerOfFlags(helpers.job.flags));
      try {
        await compactDatasetFiles(engine, dataset_id);
      } finally {
        shared.end();
      }
    },
    [LOAD_TASK]: async (payload, helpers) => {
      const { load_id } = LoadPayloadSchema.parse(payload);
      const shared = share.start(providerOfFlags(helpers.job.flags));
      try {
        await runLoad(engine, load_id, {
          workerId: helpers.job.locked_by ?? 'unknown',
          share: shared,
          ...options.load,
        });
      } finally {
        shared.end();
      }
    },
  };
  const logFactory: LogFunctionFactory = () => (level, message) => {
    if (level === 'error') engine.logger.error('job runner', { message });
    else if (level === 'warning') engine.logger.warn('job runner', { message });
  };
  // Listening before run(): the pool announces itself while run() starts. Jobs are locked under the
  // pool's id.
  const events: WorkerEvents = new EventEmitter();
  events.on('pool:create', ({ workerPool }) => {
    workerIds.add(workerPool.id);
    void beat();
  });
  const runner: Runner = await run({
    pgPool: engine.db,
    taskList,
    concurrency,
    // A provider running as many jobs as it may here leaves the next free slot to the others.
    forbiddenFlags: () => share.forbiddenFlags(),
    pollInterval: options.pollIntervalMs ?? 2000,
    noHandleSignals: true,
    logger: new Logger(logFactory),
    events,
  });

  async function beat() {
    if (!workerIds.size) return;
    await engine.db
      .query(
        `insert into engine_workers (worker_id) select unnest($1::text[])
         on conflict (worker_id) do update set heartbeat_at = clock_timestamp()`,
        [[...workerIds]],
      )
      .catch((error: Error) =>
        engine.logger.warn('worker heartbeat failed', { message: error.message }),
      );
  }

  async function maintain() {
    const client = await engine.db.connect();
    try {
      // One engine at a time does the housekeeping.
      const locked = (
        await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [
          MAINTENANCE_LOCK,
        ])
      ).rows[0]!.ok;
      if (!locked) return;
      try {
        const stale = await client.query<{ worker_id: string }>(
          `delete from engine_workers where heartbeat_at < clock_timestamp() - ` +
            `make_interval(secs => $1) returning worker_id`,
          [staleAfterSeconds],
        );
        const ids = stale.rows.map((row) => row.worker_id);
        if (ids.length) {
          await client.query('select graphile_worker.force_unlock_workers($1::text[])', [ids]);
          engine.logger.warn('released the jobs of stopped workers', { workers: ids });
        }
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MAINTENANCE_LOCK]);
      }
      await scheduleDueExtracts(engine.db);
      await triggerDueRetries(engine.db);
      if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = Date.now();
        await sweepDatalakes(engine);
        const purged = await purgeSupersededFiles(engine);
        if (purged) engine.logger.info('purged superseded dataset files', { purged });
      }
    } catch (error) {
      engine.logger.error('job maintenance failed', { message: (error as Error).message });
    } finally {
      client.release();
    }
  }

  const timers = [
    setInterval(() => void beat(), heartbeatMs),
    setInterval(() => void maintain(), options.schedulerIntervalMs ?? 5000),
  ];
  void maintain();

  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await runner.stop();
      if (workerIds.size)
        await engine.db
          .query('delete from engine_workers where worker_id = any($1::text[])', [[...workerIds]])
          .catch(() => {});
    },
  };
}
