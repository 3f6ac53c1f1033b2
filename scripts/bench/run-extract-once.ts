// Child process of the extract benchmark: runs the extracts whose ids arrive on stdin, one line
// each and one at a time, in one engine (as a long-lived worker does), and reports each one's time,
// CPU and the process's peak RSS as a JSON line. A line `compact:<dataset id>` compacts the
// dataset's files instead, as the job runner does after an extract that leaves many.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createEngineContext } from '../../engine/engine-context';
import { compactDatasetFiles } from '../../engine/extract/compact-files';
import { runExtract } from '../../engine/extract/run-extract';
import { createLogger } from '../../engine/logger';
import { systemLookup } from '../../engine/net/host-probe';
import { parseEncryptionKey } from '../../engine/secrets/secret-box';
import { createPool } from '../../engine/store/db';

const [databaseUrl, dataDir, chunkRows] = process.argv.slice(2) as [string, string, string];
const db = createPool(databaseUrl, { max: 4 });
if (process.env.BENCH_LOG === '1')
  process.stderr.write(`baseline rss ${Math.round(process.memoryUsage.rss() / 1048576)} MB\n`);
// The context alone: no API and no job runner, so the measurement is the extracts'.
const engine = createEngineContext({
  db,
  logger: createLogger({
    level: process.env.BENCH_LOG === '1' ? 'debug' : 'warn',
    write: (line) => process.stderr.write(`${line}\n`),
  }),
  encryptionKey: parseEncryptionKey(process.env.INLET_ENCRYPTION_KEY!),
  lookup: systemLookup,
  allowPrivateHosts: true,
  dataDir,
});

for await (const line of createInterface({ input: process.stdin })) {
  const extractId = line.trim();
  if (!extractId) continue;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  if (extractId.startsWith('compact:'))
    await compactDatasetFiles(engine, extractId.slice('compact:'.length));
  else
    await runExtract(engine, extractId, {
      workerId: 'bench',
      chunkRows: Number(chunkRows),
      lagSeconds: 0,
    });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // VmHWM is the kernel's record of this process's peak resident set.
  const peakKb = Number(
    /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0,
  );
  if (process.env.BENCH_LOG === '1')
    process.stderr.write(
      `extract cpu: user ${(cpu.user / 1e6).toFixed(2)} s, system ` +
        `${(cpu.system / 1e6).toFixed(2)} s\n`,
    );
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(`${JSON.stringify({ seconds, cpuMs, peakRssMb: peakKb / 1024 })}\n`);
}
await db.end();
