// `npm run engine`: the import engine alone, against DATABASE_URL (the mode for running several
// machines).
import path from 'node:path';
import { createEngine } from './create-engine';
import { apiKeysOf, jobRunnerOptionsOf, parseEngineEnv } from './env';
import { pageThread } from './loads/page-thread-client';
import { createLogger } from './logger';
import { systemLookup } from './net/host-probe';
import { parseEncryptionKey } from './secrets/secret-box';
import { createPool } from './store/db';
import { migrate } from './store/migrate';

let env;
try {
  env = parseEngineEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const logger = createLogger({ level: env.LOG_LEVEL });
const db = createPool(env.DATABASE_URL, { max: env.ENGINE_DB_POOL_SIZE });
const applied = await migrate(db);
if (applied.length) logger.info('migrations applied', { migrations: applied });

const engine = createEngine({
  db,
  logger,
  encryptionKey: parseEncryptionKey(env.INLET_ENCRYPTION_KEY),
  lookup: systemLookup,
  allowPrivateHosts: env.INLET_ALLOW_PRIVATE_HOSTS,
  dataDir: path.resolve(env.INLET_DATA_DIR),
  // Links the engine hands out (next_url, artifact downloads) must work for callers: default to
  // where it listens.
  publicUrl: env.ENGINE_PUBLIC_URL ?? `http://${env.ENGINE_HOST}:${env.ENGINE_PORT}`,
  apiKeys: apiKeysOf(env),
  requestsPerSecond: env.ENGINE_RATE_LIMIT_PER_SECOND,
  requestsPerProviderPerSecond: env.ENGINE_RATE_LIMIT_PER_PROVIDER_PER_SECOND,
  strictPrequel: env.ENGINE_STRICT_PREQUEL,
  jobs: env.ENGINE_RUN_JOBS ? jobRunnerOptionsOf(env) : undefined,
});
// The load thread is the process's, not an engine's: loads read and transform in it. Started now,
// the first load does not wait a second for it; stopped last, after the loads.
if (env.ENGINE_RUN_JOBS) pageThread.warm();
const url = await engine.start({ hostname: env.ENGINE_HOST, port: env.ENGINE_PORT });
logger.info('engine listening', { url });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info('engine stopping', { signal });
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await engine.stop();
  // After the loads: the thread closes DuckDB's work before it goes (exiting under it aborts the
  // process).
  await pageThread.stop();
  await db.end();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
