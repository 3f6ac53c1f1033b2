// The reference receiver in its own process, as a SaaS endpoint would be: what it spends verifying
// and storing is the same for every sender measured, and is not taken from the sender's event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { freePort } from '../lib/free-port';

const ReceiverStatsSchema = z.object({
  deliveries: z.number(),
  stored: z.number(),
  records: z.number(),
  duplicates: z.number(),
  rejections: z.number(),
  byStatus: z.record(z.string(), z.number()),
});

export type ReceiverCounts = z.infer<typeof ReceiverStatsSchema>;

export interface ReceiverProcess {
  url: string;
  /** Its process id (for CPU accounting). */
  pid: number;
  stats(): Promise<ReceiverCounts>;
  /** Forgets everything received, including the delivery ids it de-duplicates by. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function spawnReceiver(engineUrl: string): Promise<ReceiverProcess> {
  const port = await freePort();
  const cli = path.join(import.meta.dirname, '../receiver/cli.ts');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', cli, '--engine-url', engineUrl, '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const listening = /Receiver listening at (http:\/\/\S+?) /.exec(output);
      if (listening) resolve(listening[1]!);
    });
    child.once('exit', (code) =>
      reject(new Error(`The receiver exited (code ${code}) before listening: ${output}`)),
    );
  });
  const api = async (method: string, pathname: string) => {
    const response = await fetch(`${url}/_receiver/${pathname}`, { method });
    if (!response.ok)
      throw new Error(
        `receiver ${method} ${pathname}: ${response.status} ${await response.text()}`,
      );
    return response.json() as Promise<unknown>;
  };
  return {
    url,
    pid: child.pid!,
    stats: async () => ReceiverStatsSchema.parse(await api('GET', 'stats')),
    reset: async () => void (await api('POST', 'reset')),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
