// Runs the real engine (real HTTP server, real Postgres) for a test file and gives it a small
// client.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../create-engine';
import type { EngineContext } from '../engine-context';
import type { JobRunnerOptions } from '../jobs/job-runner';
import { createLogger } from '../logger';
import { createTestDatabase, type TestDatabase } from './test-database';
import { offlineLookup } from './offline-lookup';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
}

export interface TestEngine {
  baseUrl: string;
  apiKey: string;
  database: TestDatabase;
  engine: EngineContext;
  /** Every log line the engine wrote. */
  logs: string[];
  /** Every raw response body the client received. */
  responses: string[];
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    init?: { headers?: Record<string, string>; rawBody?: string },
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export interface TestEngineOptions {
  /** Run the job runner (extracts, loads, scheduler) with fast polling. */
  jobs?: boolean | JobRunnerOptions;
  context?: Partial<EngineContext>;
  /** Share a database (and the key that opens its secrets) with another engine process. */
  database?: TestDatabase;
  encryptionKey?: Buffer;
  requestsPerSecond?: number;
  requestsPerProviderPerSecond?: number;
  /** Serve only the documented Prequel Import API (ENGINE_STRICT_PREQUEL). */
  strictPrequel?: boolean;
}

export async function startTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const database = options.database ?? (await createTestDatabase());
  const logs: string[] = [];
  const responses: string[] = [];
  const apiKey = `test_${randomBytes(16).toString('hex')}`;
  const running = createEngine({
    db: database.db,
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    encryptionKey: options.encryptionKey ?? randomBytes(32),
    lookup: offlineLookup,
    allowPrivateHosts: true,
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'inlet-engine-')),
    apiKeys: [apiKey],
    requestsPerSecond: options.requestsPerSecond ?? 100_000,
    requestsPerProviderPerSecond: options.requestsPerProviderPerSecond,
    strictPrequel: options.strictPrequel,
    jobs: options.jobs
      ? {
          pollIntervalMs: 100,
          heartbeatMs: 500,
          schedulerIntervalMs: 500,
          ...(options.jobs === true ? {} : options.jobs),
        }
      : undefined,
    context: options.context,
  });
  const engine = running.context;
  const baseUrl = await running.start({ hostname: '127.0.0.1', port: 0 });

  return {
    baseUrl,
    apiKey,
    database,
    engine,
    logs,
    responses,
    async request(method, path, body, init = {}) {
      const url = path.startsWith('http') ? path : `${baseUrl}${path}`;
      const response = await fetch(url, {
        method,
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json', ...init.headers },
        body: init.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await response.text();
      responses.push(text);
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      return { status: response.status, body: parsed as never, text };
    },
    async close() {
      await running.stop();
      if (!options.database) {
        await database.drop();
        rmSync(engine.dataDir, { recursive: true, force: true });
      }
    },
  };
}
