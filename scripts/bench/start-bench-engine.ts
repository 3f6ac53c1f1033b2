// The benchmarks' engine: the real HTTP API on 127.0.0.1 over a migrated database, optionally with
// its job runner, and a small API client that throws on any error answer (a benchmark has no
// expected failures).
import { randomBytes } from 'node:crypto';
import { createEngine } from '../../engine/create-engine';
import type { EngineContext } from '../../engine/engine-context';
import { createLogger } from '../../engine/logger';
import { systemLookup } from '../../engine/net/host-probe';
import { createPool } from '../../engine/store/db';
import { migrate } from '../../engine/store/migrate';
import { postgresSourceBody, sampleTableDatasetBody } from './bench-bodies';

export interface BenchEngine {
  engine: EngineContext;
  baseUrl: string;
  /** The key the API accepts (for a client of its own, such as the app's). */
  apiKey: string;
  /** Calls the API and returns the answer's `data`. */
  call<T = Record<string, unknown>>(method: string, pathname: string, body?: unknown): Promise<T>;
  /** POSTs a resource and returns what was created (the one value under `data`). */
  create(pathname: string, body: unknown): Promise<{ id: string }>;
  /**
   * Datalake → provider → source → dimension dataset over the sample `customers` table of
   * `sourceUrl`.
   */
  createCustomerDataset(sourceUrl: string): Promise<{ id: string; providerId: string }>;
  close(): Promise<void>;
}

export async function startBenchEngine(
  databaseUrl: string,
  options: { dataDir: string; jobs?: boolean },
): Promise<BenchEngine> {
  const db = createPool(databaseUrl);
  await migrate(db);
  const apiKey = randomBytes(16).toString('hex');
  const running = createEngine({
    db,
    logger: createLogger({ level: 'warn' }),
    encryptionKey: randomBytes(32),
    lookup: systemLookup,
    allowPrivateHosts: true,
    dataDir: options.dataDir,
    apiKeys: [apiKey],
    // No rate limit: load polling and back-to-back preview calls are the point here.
    requestsPerSecond: 100_000,
    jobs: options.jobs ? { pollIntervalMs: 100 } : undefined,
  });
  const engine = running.context;
  const baseUrl = await running.start({ hostname: '127.0.0.1', port: 0 });

  const call = async <T>(method: string, pathname: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${pathname}`, {
      method,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as { data: T };
    if (response.status >= 300)
      throw new Error(`${method} ${pathname}: ${response.status} ${JSON.stringify(json)}`);
    return json.data;
  };
  const create = async (pathname: string, body: unknown) =>
    Object.values(await call<Record<string, { id: string }>>('POST', pathname, body))[0]!;

  return {
    engine,
    baseUrl,
    apiKey,
    call,
    create,
    async createCustomerDataset(sourceUrl) {
      const lake = await create('/import/datalakes', {
        datalake: { name: 'bench', storage: 'local' },
      });
      await create('/import/providers', {
        provider: { id: 'bench', name: 'Bench', datalake_id: lake.id, products: ['all'] },
      });
      const source = await create(
        '/import/sources',
        postgresSourceBody('bench', 'bench', sourceUrl),
      );
      const dataset = await create(
        '/import/datasets',
        sampleTableDatasetBody(source.id, 'customers'),
      );
      return { id: dataset.id, providerId: 'bench' };
    },
    async close() {
      await running.stop();
      await db.end();
    },
  };
}
