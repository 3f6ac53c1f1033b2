// Starts a real `engine/main.ts` process on a test database (for crash tests) and reports how it
// ended.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from '../../scripts/lib/free-port';
import type { TestDatabase } from './test-database';

export async function spawnEngine(options: {
  database: TestDatabase;
  encryptionKey: Buffer;
  dataDir: string;
  env?: Record<string, string>;
}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/main.ts'], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: options.database.url,
      PREQUEL_API_KEY: `key_${randomBytes(12).toString('hex')}`,
      INLET_ENCRYPTION_KEY: options.encryptionKey.toString('base64'),
      INLET_DATA_DIR: options.dataDir,
      INLET_ALLOW_PRIVATE_HOSTS: 'true',
      ENGINE_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      ...options.env,
    } as unknown as NodeJS.ProcessEnv,
    stdio: 'ignore',
  });
  /** The signal that ended the process (SIGKILL when a fault point fired). */
  const exited = new Promise<string | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  return { child, exited };
}
