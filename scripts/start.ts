// `npm start`: the whole product on embedded defaults: Postgres, the engine, the demo and the app,
// stopped together by Ctrl-C.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { acmeSourceSpec, DEFAULT_CONTROL_PORT, DEFAULT_RECEIVER_PORT } from './demo/demo-defaults';
import { hintsFor } from './demo/source-hints';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from './lib/embedded-postgres';

if (existsSync('.env')) process.loadEnvFile('.env');
// An empty value means "not set", so a line uncommented from .env.example without a value changes
// nothing.
for (const [name, value] of Object.entries(process.env)) if (value === '') delete process.env[name];

const dataDir = path.resolve(process.env.INLET_DATA_DIR ?? '.data');
const host = '127.0.0.1';
const appPort = Number(process.env.APP_PORT ?? 3000);
const enginePort = Number(process.env.ENGINE_PORT ?? 4100);
const receiverPort = Number(process.env.RECEIVER_PORT ?? DEFAULT_RECEIVER_PORT);
const controlPort = Number(process.env.DEMO_CONTROL_PORT ?? DEFAULT_CONTROL_PORT);
// The demo seeds and breaks the local engine; an app pointed at another Import API gets no demo.
const demoEnabled =
  (process.env.INLET_DEMO ?? 'true') === 'true' &&
  process.env.DEMO_SERVICES !== 'false' &&
  !process.env.PREQUEL_API_URL;
const nextBin = path.resolve('node_modules/next/dist/bin/next');
mkdirSync(dataDir, { recursive: true });

/**
 * A value from the environment, or one generated on first start and kept under the data directory.
 */
function persistentSecret(variable: string, file: string, generate: () => string): string {
  const fromEnv = process.env[variable];
  if (fromEnv) return fromEnv;
  const filePath = path.join(dataDir, file);
  if (existsSync(filePath)) return readFileSync(filePath, 'utf8').trim();
  const value = generate();
  writeFileSync(filePath, `${value}\n`, { mode: 0o600 });
  return value;
}

/** Relative to the project when inside it, absolute otherwise. */
function displayPath(target: string): string {
  const relative = path.relative(process.cwd(), target);
  return relative.startsWith('..') ? target : relative;
}

const children: ChildProcess[] = [];
let postgres: EmbeddedPostgresHandle | null = null;
let stopping = false;

async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 8000).unref();
        }),
    ),
  );
  await postgres?.stop().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

/**
 * Starts a child whose output shares the terminal; with `logFile`, its standard output (JSON log
 * lines) goes to the file instead, and only its warnings and errors reach the terminal, so request
 * logs do not bury the banner.
 */
function run(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile?: string,
): ChildProcess {
  const child = spawn(command, args, {
    env,
    stdio: ['ignore', logFile ? 'pipe' : 'inherit', 'inherit'],
  });
  if (logFile && child.stdout) {
    mkdirSync(path.dirname(logFile), { recursive: true });
    const file = createWriteStream(logFile, { flags: 'a' });
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      file.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines)
        if (/^\{"level":"(warn|error)"/.test(line)) process.stdout.write(`${line}\n`);
    });
  }
  children.push(child);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`\n${name} exited (${signal ?? `code ${code}`}); stopping everything.`);
    void stopAll(code || 1);
  });
  return child;
}

async function waitFor(url: string, what: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.error(`${what} did not come up at ${url} within ${timeoutMs / 1000} s.`);
  await stopAll(1);
}

async function newestSourceChange(): Promise<number> {
  let newest = 0;
  for (const dir of ['app', 'components', 'lib', 'public']) {
    if (!existsSync(dir)) continue;
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile())
        newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  for (const file of ['next.config.js', 'package.json', 'postcss.config.mjs'])
    if (existsSync(file)) newest = Math.max(newest, statSync(file).mtimeMs);
  return newest;
}

/** Builds the app when there is no build yet or a source file changed since the last one. */
async function buildAppIfNeeded() {
  if (process.env.INLET_SKIP_BUILD === '1') return;
  const buildId = path.resolve('.next/BUILD_ID');
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= (await newestSourceChange())) return;
  console.log('Building the app (first start or sources changed)…');
  await new Promise<void>((resolve, reject) => {
    const build = spawn(process.execPath, [nextBin, 'build'], {
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    build.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (code ${code})`)),
    );
  });
}

const apiKey = persistentSecret(
  'PREQUEL_API_KEY',
  'api-key',
  () => `inlet_${randomBytes(24).toString('base64url')}`,
);
const encryptionKey = persistentSecret('INLET_ENCRYPTION_KEY', 'encryption-key', () =>
  randomBytes(32).toString('base64'),
);
const sessionSecret = persistentSecret('INLET_SESSION_SECRET', 'session-secret', () =>
  randomBytes(32).toString('base64url'),
);
const embedSecret = persistentSecret(
  'INLET_EMBED_SECRET',
  'embed-secret',
  () => `inlet_embed_${randomBytes(24).toString('base64url')}`,
);
const demoControlToken = persistentSecret('DEMO_CONTROL_TOKEN', 'demo-control-token', () =>
  randomBytes(24).toString('base64url'),
);

let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  postgres = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
  });
  await postgres.createDatabase('inlet');
  databaseUrl = postgres.urlFor('inlet');
}

const buildPromise = buildAppIfNeeded();
// The engine's request logs go to a file; its warnings and errors still reach the terminal.
const engineLog = path.join(dataDir, 'logs', 'engine.log');
const engineUrl = `http://${host}:${enginePort}`;
run(
  'engine',
  process.execPath,
  ['--import', 'tsx', 'engine/main.ts'],
  {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PREQUEL_API_KEY: apiKey,
    INLET_ENCRYPTION_KEY: encryptionKey,
    ENGINE_HOST: host,
    ENGINE_PORT: String(enginePort),
    INLET_DATA_DIR: dataDir,
    // The embedded default imports from databases on this machine.
    INLET_ALLOW_PRIVATE_HOSTS: process.env.INLET_ALLOW_PRIVATE_HOSTS ?? 'true',
  },
  engineLog,
);
try {
  await buildPromise;
} catch (error) {
  console.error((error as Error).message);
  await stopAll(1);
}
await waitFor(`${engineUrl}/healthz`, 'The engine');

// The receiver, the seed (Acme Corp, destinations, other tenants), the change simulator and the
// scenario control.
const receiverUrl = `http://${host}:${receiverPort}`;
const controlUrl = `http://${host}:${controlPort}`;
const demoSource = hintsFor(postgres?.adminUrl ?? databaseUrl, acmeSourceSpec());
if (demoEnabled) {
  run('demo', process.execPath, ['--import', 'tsx', 'scripts/demo/main.ts'], {
    ...process.env,
    PREQUEL_API_URL: engineUrl,
    PREQUEL_API_KEY: apiKey,
    DEMO_PG_ADMIN_URL: postgres?.adminUrl ?? databaseUrl,
    DEMO_CONTROL_TOKEN: demoControlToken,
    RECEIVER_PORT: String(receiverPort),
    DEMO_CONTROL_PORT: String(controlPort),
  });
}
const demoEnv = demoEnabled
  ? {
      DEMO_CONTROL_URL: controlUrl,
      DEMO_CONTROL_TOKEN: demoControlToken,
      DEMO_RECEIVER_URL: receiverUrl,
      DEMO_SOURCE: JSON.stringify(demoSource),
    }
  : {};

const appUrl = `http://${host}:${appPort}`;
run('app', process.execPath, [nextBin, 'start', '-H', host, '-p', String(appPort)], {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  PREQUEL_API_URL: process.env.PREQUEL_API_URL ?? engineUrl,
  PREQUEL_API_KEY: apiKey,
  INLET_SESSION_SECRET: sessionSecret,
  INLET_EMBED_SECRET: embedSecret,
  // Demo pages (the embedding example) mint sessions for any customer: on for the local product,
  // off elsewhere.
  INLET_DEMO: process.env.INLET_DEMO ?? 'true',
  ...demoEnv,
});
await waitFor(appUrl, 'The app');
// Any answer (401 without the token) means the demo is seeded and listening.
if (demoEnabled) await waitFor(`${controlUrl}/demo/status`, 'The demo');

const controlTokenName = process.env.DEMO_CONTROL_TOKEN
  ? 'DEMO_CONTROL_TOKEN'
  : displayPath(path.join(dataDir, 'demo-control-token'));
const demoSourceUrl =
  `postgres://${demoSource.username}:${demoSource.password}` +
  `@${demoSource.host}:${demoSource.port}/${demoSource.database}`;
const demoLines = demoEnabled
  ? `
    Receiver:    ${receiverUrl}/_receiver/records   (what the SaaS received)
    Demo control: ${controlUrl}/demo/status   (Authorization: Bearer <${controlTokenName}>)
    Demo source: ${demoSourceUrl}`
  : '';

console.log(`
  Inlet is running.
    App:         ${appUrl}
    Import API:  ${engineUrl}   (OpenAPI: ${engineUrl}/openapi.json)
    API key:     ${apiKey}
    Embed secret: ${embedSecret}   (POST ${appUrl}/api/embed/sessions)
    Database:    ${
      postgres
        ? `embedded Postgres, data in ` + `${displayPath(path.join(dataDir, 'postgres'))}`
        : 'DATABASE_URL'
    }
    Engine log:  ${displayPath(engineLog)}   (warnings and errors also here)${demoLines}
  Press Ctrl-C to stop.
`);
