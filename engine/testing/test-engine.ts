// Runs the real engine (real HTTP server, real Postgres) for a test file and gives it a small client.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { EngineContext } from '../engine-context';
import { createApp } from '../http/create-app';
import { type JobRunnerOptions, startJobRunner } from '../jobs/job-runner';
import { createLogger } from '../logger';
import { createHostProbe } from '../net/host-probe';
import { createSecretBox } from '../secrets/secret-box';
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
  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, init?: { headers?: Record<string, string>; rawBody?: string }): Promise<ApiResponse<T>>;
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
}

export async function startTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const database = options.database ?? (await createTestDatabase());
  const logs: string[] = [];
  const responses: string[] = [];
  const apiKey = `test_${randomBytes(16).toString('hex')}`;
  const engine: EngineContext = {
    db: database.db,
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    secretBox: createSecretBox(options.encryptionKey ?? randomBytes(32)),
    probeHost: createHostProbe(offlineLookup),
    lookup: offlineLookup,
    allowPrivateHosts: true,
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'inlet-engine-')),
    ...options.context,
  };
  const { app } = createApp(engine, { apiKeys: [apiKey], requestsPerSecond: options.requestsPerSecond ?? 100_000, requestsPerProviderPerSecond: options.requestsPerProviderPerSecond });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const jobs = options.jobs
    ? await startJobRunner(engine, { pollIntervalMs: 100, heartbeatMs: 500, schedulerIntervalMs: 500, ...(options.jobs === true ? {} : options.jobs) })
    : null;

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
      await jobs?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.database) {
        await database.drop();
        rmSync(engine.dataDir, { recursive: true, force: true });
      }
    },
  };
}
