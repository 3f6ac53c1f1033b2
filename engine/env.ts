// The engine's configuration, parsed once at start-up; a bad value stops the process with the
// variable's name.
import { z } from 'zod';
import type { JobRunnerOptions } from './jobs/job-runner';
import { DEFAULT_RETRY_SCHEDULE_MS, parseRetrySchedule } from './loads/retry-schedule';

/** A whole number within bounds, with the bounds in its error message. */
function wholeNumber(unit: string, min: number, max: number, fallback: number) {
  const message = `must be a whole number of ${unit} from ${min} to ${max}`;
  return z.coerce
    .number({ error: message })
    .int(message)
    .min(min, message)
    .max(max, message)
    .default(fallback);
}

const EnvSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  PREQUEL_API_KEY: z.string().min(16, 'must be at least 16 characters'),
  /** Extra accepted keys (comma-separated), for rotation. */
  ENGINE_EXTRA_API_KEYS: z.string().optional(),
  INLET_ENCRYPTION_KEY: z
    .string()
    .min(1, 'is required: 32 random bytes in base64 (openssl rand -base64 32)'),
  ENGINE_HOST: z.string().default('127.0.0.1'),
  ENGINE_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  ENGINE_PUBLIC_URL: z.url().optional(),
  ENGINE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Allow customer hosts on loopback/private networks: `npm start` sets it; production leaves it
   * off.
   */
  INLET_ALLOW_PRIVATE_HOSTS: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  INLET_DATA_DIR: z.string().default('.data'),
  /** Run extracts, loads and the scheduler in this process (false = API only). */
  ENGINE_RUN_JOBS: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((value) => value === 'true' || value === '1'),
  ENGINE_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * Jobs of one provider this process runs at once (default: all slots but one, so another tenant
   * always finds one free).
   */
  ENGINE_JOBS_PER_PROVIDER: z.coerce.number().int().min(1).max(64).optional(),
  /**
   * Seconds a job counts as small; after that, it gives way to other tenants' small jobs before
   * each page (keeping a tenth of the time). 0: jobs never give way.
   */
  ENGINE_SMALL_JOB_SECONDS: z.coerce.number().min(0).max(3600).default(2),
  /** Seconds without a heartbeat after which another engine takes over a worker's jobs. */
  ENGINE_WORKER_STALE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Rows per extract checkpoint (each commits a file and the cursor together). */
  ENGINE_EXTRACT_CHUNK_ROWS: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  /**
   * Seconds behind the source clock the saved cursor stays, so late-committing transactions are
   * re-read.
   */
  ENGINE_EXTRACT_LAG_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** How long a delivery request may take before it counts as timed out (and is retried). */
  ENGINE_DELIVERY_TIMEOUT_SECONDS: wholeNumber('seconds', 1, 600, 30),
  /**
   * Attempts per delivery request within one load; after the last, its records wait for their
   * scheduled retry.
   */
  ENGINE_DELIVERY_MAX_ATTEMPTS: wholeNumber('attempts', 1, 10, 4),
  /**
   * The delays between retries of records a load could not deliver ("5s,1m,5m,30m,2h,5h,10h,10h";
   * the last repeats).
   */
  ENGINE_RETRY_SCHEDULE: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return [...DEFAULT_RETRY_SCHEDULE_MS];
      try {
        return parseRetrySchedule(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /**
   * Hours every delivery to a stream's endpoint may fail (unavailable, all attempts spent) before
   * the stream is disabled.
   */
  ENGINE_DISABLE_AFTER_FAILING_HOURS: wholeNumber('hours', 1, 8760, 120),
  /** API requests per second per key, per engine process (429 beyond, with Retry-After). */
  ENGINE_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(200),
  /**
   * (ext) Of those, requests per second for one provider named by `X-Inlet-Provider` (the app sends
   * it for its customers).
   */
  ENGINE_RATE_LIMIT_PER_PROVIDER_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(50),
  /**
   * Serve only the documented Prequel Import API, as the hosted one does: (ext) routes answer 404,
   * (ext) response fields are left out, (ext) request fields are refused. For testing that a client
   * works against the hosted API.
   */
  ENGINE_STRICT_PREQUEL: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});
export type EngineEnv = z.infer<typeof EnvSchema>;

export function parseEngineEnv(
  source: Record<string, string | undefined> = process.env,
): EngineEnv {
  // An empty variable is an unset one (.env.example leaves the optional ones empty): its default
  // applies.
  const result = EnvSchema.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')),
  );
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(
      `The engine's environment is incomplete:\n${lines.join('\n')}\nSee .env.example.`,
    );
  }
  return result.data;
}

/**
 * How this process runs jobs: concurrency, takeover, extract checkpoints, the delivery deadline and
 * retry schedule.
 */
export function jobRunnerOptionsOf(env: EngineEnv): JobRunnerOptions {
  return {
    concurrency: env.ENGINE_JOB_CONCURRENCY,
    fairShare: {
      slotsPerProvider: env.ENGINE_JOBS_PER_PROVIDER ?? Math.max(1, env.ENGINE_JOB_CONCURRENCY - 1),
      smallForMs: env.ENGINE_SMALL_JOB_SECONDS * 1000,
    },
    staleAfterSeconds: env.ENGINE_WORKER_STALE_SECONDS,
    extract: {
      chunkRows: env.ENGINE_EXTRACT_CHUNK_ROWS,
      lagSeconds: env.ENGINE_EXTRACT_LAG_SECONDS,
    },
    load: {
      timeoutMs: env.ENGINE_DELIVERY_TIMEOUT_SECONDS * 1000,
      maxAttempts: env.ENGINE_DELIVERY_MAX_ATTEMPTS,
      disableAfterFailingMs: env.ENGINE_DISABLE_AFTER_FAILING_HOURS * 3_600_000,
      retryScheduleMs: env.ENGINE_RETRY_SCHEDULE,
    },
  };
}

export function apiKeysOf(env: EngineEnv): string[] {
  return [
    env.PREQUEL_API_KEY,
    ...(env.ENGINE_EXTRA_API_KEYS?.split(',')
      .map((key) => key.trim())
      .filter(Boolean) ?? []),
  ];
}
