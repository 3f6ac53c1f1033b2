// Child process of the extract benchmark: runs one extract in isolation and reports its time and
// peak RSS.
import { readFileSync } from 'node:fs';
import { createEngineContext } from '../../engine/engine-context';
import { runExtract } from '../../engine/extract/run-extract';
import { createLogger } from '../../engine/logger';
import { systemLookup } from '../../engine/net/host-probe';
import { parseEncryptionKey } from '../../engine/secrets/secret-box';
import { createPool } from '../../engine/store/db';

const [databaseUrl, extractId, dataDir, chunkRows] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const db = createPool(databaseUrl, { max: 4 });
if (process.env.BENCH_LOG === '1')
  process.stderr.write(`baseline rss ${Math.round(process.memoryUsage.rss() / 1048576)} MB\n`);
const started = performance.now();
await runExtract(
  // The context alone: no API and no job runner, so the measurement is the extract's.
  createEngineContext({
    db,
    logger: createLogger({
      level: process.env.BENCH_LOG === '1' ? 'debug' : 'warn',
      write: (line) => process.stderr.write(`${line}\n`),
    }),
    encryptionKey: parseEncryptionKey(process.env.INLET_ENCRYPTION_KEY!),
    lookup: systemLookup,
    allowPrivateHosts: true,
    dataDir,
  }),
  extractId,
  { workerId: 'bench', chunkRows: Number(chunkRows), lagSeconds: 0 },
);
const seconds = (performance.now() - started) / 1000;
await db.end();
// VmHWM is the kernel's record of this process's peak resident set.
const peakKb = Number(
  /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0,
);
const cpu = process.cpuUsage();
if (process.env.BENCH_LOG === '1')
  process.stderr.write(
    `extract process cpu: user ${(cpu.user / 1e6).toFixed(2)} s, system ` +
      `${(cpu.system / 1e6).toFixed(2)} s\n`,
  );
process.stdout.write(JSON.stringify({ seconds, peakRssMb: peakKb / 1024 }));
