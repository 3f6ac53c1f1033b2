import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DownloadCache } from './download-cache';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'inlet-cache-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const writer = (bytes: number) => async (temporaryPath: string) =>
  writeFileSync(temporaryPath, Buffer.alloc(bytes, 1));
const age = (name: string, seconds: number) => {
  const at = new Date(Date.now() - seconds * 1000);
  utimesSync(path.join(directory, name), at, at);
};
const cached = () => readdirSync(directory).sort();

describe('the download cache', () => {
  test('downloads once for concurrent callers and hands out the same path', async () => {
    const cache = new DownloadCache(directory);
    let downloads = 0;
    const download = async (temporaryPath: string) => {
      downloads++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      writeFileSync(temporaryPath, 'content');
    };
    const paths = await Promise.all([
      cache.get('a', download),
      cache.get('a', download),
      cache.get('a', download),
    ]);
    expect(new Set(paths)).toEqual(new Set([path.join(directory, 'a')]));
    expect(await cache.get('a', download)).toBe(paths[0]);
    expect(downloads).toBe(1);
  });

  test('a failed download leaves nothing behind and is tried again next time', async () => {
    const cache = new DownloadCache(directory);
    await expect(
      cache.get('a', async (temporaryPath) => {
        writeFileSync(temporaryPath, 'half');
        throw new Error('connection reset');
      }),
    ).rejects.toThrow('connection reset');
    expect(cached()).toEqual([]);
    expect(await cache.get('a', writer(10))).toBe(path.join(directory, 'a'));
  });

  test('stays within its size budget by evicting the least recently used files', async () => {
    const cache = new DownloadCache(directory, { maxBytes: 3000, protectMs: 0 });
    for (const name of ['a', 'b', 'c']) await cache.get(name, writer(1000));
    age('a', 300);
    age('b', 200);
    age('c', 100);
    await cache.get('a', writer(1000)); // a hit makes "a" the most recently used
    await cache.get('d', writer(1000));
    await cache.evict();
    expect(cached()).toEqual(['a', 'c', 'd']);
  });

  test('never evicts a file handed out in the last minute, by this process or (per its mtime) another', async () => {
    const first = new DownloadCache(directory, { maxBytes: 1500 });
    await first.get('a', writer(1000));
    await first.get('b', writer(1000));
    await first.evict();
    expect(cached()).toEqual(['a', 'b']);

    // Another process sharing the directory: its LRU clock is the files' mtime.
    age('a', 120);
    age('b', 90);
    const second = new DownloadCache(directory, { maxBytes: 1500 });
    await second.get('c', writer(1000));
    await second.evict();
    expect(cached()).toEqual(['c']);
  });
});
