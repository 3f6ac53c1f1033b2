// What only a local datalake does: stay inside the data directory, and survive a writer killed mid-write.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DatalakeCreateSchema } from '../../lib/prequel/contract/datalake';
import { isTemporaryName } from './atomic-file';
import { DatalakeError, DatalakeObjectNotFound } from './datalake-error';
import { openDatalake } from './open-datalake';
import { createLocalDatalake } from './local-datalake';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'inlet-local-lake-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const options = () => ({ dataDir, cacheDir: path.join(dataDir, 'cache') });
const temporaryFiles = (root: string) =>
  (
    readdirSync(root, { recursive: true, withFileTypes: true }) as {
      name: string;
      parentPath: string;
      isFile(): boolean;
    }[]
  )
    .filter((entry) => entry.isFile() && isTemporaryName(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));

describe('a local datalake', () => {
  test.each(['../outside', '/etc', 'a/../../outside', '', '.'])(
    'refuses the path %j, which is not inside the data directory',
    (configured) => {
      expect(() => createLocalDatalake(configured, options())).toThrow(DatalakeError);
      expect(() => createLocalDatalake(configured, options())).toThrow(
        /inside the engine's data directory/,
      );
    },
  );

  test('lives below the data directory, and says where without secrets', () => {
    const store = openDatalake(
      DatalakeCreateSchema.parse({ name: 'lake', storage: 'local', local: { path: 'lakes/one' } }),
      options(),
    );
    expect(store.description).toBe(`local:${path.join(dataDir, 'lakes', 'one')}`);
    expect(
      openDatalake(DatalakeCreateSchema.parse({ name: 'lake', storage: 'local' }), options())
        .description,
    ).toBe(`local:${path.join(dataDir, 'datalake')}`);
    expect(createLocalDatalake('..lake', options()).description).toBe(
      `local:${path.join(dataDir, '..lake')}`,
    );
  });

  test('a failed rewrite leaves the previous object whole and no temporary file behind', async () => {
    const store = createLocalDatalake('lake', options());
    const key = 'lakehouse/acme/d/extracts/e/part-00001.parquet';
    await store.putBytes(key, 'version one');
    await expect(store.putFile(key, path.join(dataDir, 'no-such-source.parquet'))).rejects.toThrow(
      /ENOENT/,
    );
    expect((await store.getBytes(key)).toString()).toBe('version one');
    expect(temporaryFiles(path.join(dataDir, 'lake'))).toEqual([]);
  });

  test('a writer killed mid-write leaves an invisible temporary file, which the sweep removes', async () => {
    const key = 'lakehouse/acme/d/extracts/e/part-00001.parquet';
    // The child copies from a FIFO we feed, so we know it is mid-write when we kill it.
    const fifo = path.join(dataDir, 'source.fifo');
    execFileSync('mkfifo', [fifo]);
    const script = fileURLToPath(new URL('./testing/put-file-child.ts', import.meta.url));
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', script, dataDir, fifo, key],
      { stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const feed = await open(fifo, 'w');
    try {
      await feed.write(randomBytes(1024 * 1024));
      const root = path.join(dataDir, 'lake');
      const deadline = Date.now() + 20_000;
      while (!temporaryFiles(path.join(dataDir)).some((file) => statSync(file).size > 0)) {
        if (Date.now() > deadline) throw new Error('the child never started writing');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill('SIGKILL');
      await exited;

      const store = createLocalDatalake('lake', options());
      expect(temporaryFiles(root)).toHaveLength(1);
      expect(await store.exists(key)).toBe(false);
      expect(await store.list('')).toEqual([]);
      await expect(store.getBytes(key)).rejects.toThrow(DatalakeObjectNotFound);

      expect(await store.sweepTemporaryFiles(60 * 60_000)).toBe(0);
      expect(await store.sweepTemporaryFiles(0)).toBe(1);
      expect(temporaryFiles(root)).toEqual([]);

      writeFileSync(path.join(dataDir, 'retry.parquet'), 'the retry');
      await store.putFile(key, path.join(dataDir, 'retry.parquet'));
      expect((await store.getBytes(key)).toString()).toBe('the retry');
    } finally {
      child.kill('SIGKILL');
      await feed.close().catch(() => {});
    }
  });

  test('check() says what is wrong with the directory and what to do', async () => {
    writeFileSync(path.join(dataDir, 'occupied'), 'a file where the datalake should be');
    const result = await createLocalDatalake('occupied/lake', options()).check();
    expect(result).toEqual({
      ok: false,
      message: expect.stringMatching(/is a file, not a directory/),
      hint: expect.stringMatching(/Remove or rename that file/),
    });
  });

  test('refuses to make download links when it does not know the engine’s public URL', async () => {
    const store = createLocalDatalake('lake', options());
    await expect(store.presignedUrl('artifacts/a/b/c.csv', 60)).rejects.toMatchObject({
      code: 'artifact_url_unavailable',
      hint: expect.stringMatching(/ENGINE_PUBLIC_URL/),
    });
  });
});
