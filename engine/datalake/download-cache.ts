// Local copies of remote datalake objects for readers that need a file path (DuckDB). Objects are
// write-once, so a copy never goes stale; the directory is bounded by size and evicts least
// recently handed-out files first.
import { mkdir, readdir, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { isTemporaryName, publishFile, sweepTemporaryFiles } from './atomic-file';

export const DEFAULT_MAX_CACHE_BYTES = 2 * 1024 ** 3;
/** A path handed out this recently is never evicted: its reader may not have opened it yet. */
export const DEFAULT_PROTECT_MS = 60_000;
const ORPHAN_AGE_MS = 60 * 60_000;

export class DownloadCache {
  private readonly downloads = new Map<string, Promise<string>>();
  private readonly handedOut = new Map<string, number>();
  private eviction: Promise<void> | null = null;
  private evictAgain = false;

  constructor(
    readonly directory: string,
    private readonly options: { maxBytes?: number; protectMs?: number } = {},
  ) {}

  /**
   * The cached file for `name` (a file-name-safe digest of the object's identity), downloading it
   * with `download` on a miss. Concurrent calls for one name share one download.
   */
  get(name: string, download: (temporaryPath: string) => Promise<void>): Promise<string> {
    const pending = this.downloads.get(name);
    if (pending) return pending;
    const file = path.join(this.directory, name);
    let downloaded = false;
    // Registered before the first await, so a second caller in the same tick joins this one.
    const work = (async () => {
      if (await this.touch(file)) return this.handOut(name, file);
      await mkdir(this.directory, { recursive: true });
      await publishFile(file, download, { durable: false });
      downloaded = true;
      return this.handOut(name, file);
    })();
    this.downloads.set(name, work);
    void work
      .finally(() => {
        this.downloads.delete(name);
        if (downloaded) void this.evict();
      })
      .catch(() => {});
    return work;
  }

  /**
   * Drops a cached copy (its object was rewritten in place, which only happens before a key is
   * committed).
   */
  async forget(name: string): Promise<void> {
    this.handedOut.delete(name);
    await unlink(path.join(this.directory, name)).catch(() => {});
  }

  /** Evicts down to the budget; resolves when done. Runs one at a time. */
  evict(): Promise<void> {
    if (this.eviction) {
      this.evictAgain = true;
      return this.eviction;
    }
    this.eviction = (async () => {
      do {
        this.evictAgain = false;
        await this.evictOnce();
      } while (this.evictAgain);
    })()
      .catch(() => {
        // Eviction is best effort: the next download tries again.
      })
      .finally(() => {
        this.eviction = null;
      });
    return this.eviction;
  }

  private handOut(name: string, file: string): string {
    this.handedOut.set(name, Date.now());
    return file;
  }

  /**
   * Marks the file recently used (its mtime is the LRU clock shared with other processes); false
   * when absent.
   */
  private async touch(file: string): Promise<boolean> {
    const now = new Date();
    try {
      await utimes(file, now, now);
      return true;
    } catch {
      return false;
    }
  }

  private async evictOnce(): Promise<void> {
    const maxBytes = this.options.maxBytes ?? DEFAULT_MAX_CACHE_BYTES;
    const protectMs = this.options.protectMs ?? DEFAULT_PROTECT_MS;
    await sweepTemporaryFiles(this.directory, ORPHAN_AGE_MS);
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      return;
    }
    const files: { name: string; bytes: number; usedAt: number }[] = [];
    for (const name of names) {
      if (isTemporaryName(name)) continue;
      try {
        const info = await stat(path.join(this.directory, name));
        if (info.isFile()) files.push({ name, bytes: info.size, usedAt: info.mtimeMs });
      } catch {
        // Evicted by another process meanwhile.
      }
    }
    let total = files.reduce((sum, file) => sum + file.bytes, 0);
    if (total <= maxBytes) return;
    const protectedAfter = Date.now() - protectMs;
    for (const file of files.sort((a, b) => a.usedAt - b.usedAt)) {
      if (total <= maxBytes) break;
      const lastHandedOut = this.handedOut.get(file.name) ?? 0;
      if (
        file.usedAt > protectedAfter ||
        lastHandedOut > protectedAfter ||
        this.downloads.has(file.name)
      )
        continue;
      await unlink(path.join(this.directory, file.name)).catch(() => {});
      this.handedOut.delete(file.name);
      total -= file.bytes;
    }
    for (const [name, at] of this.handedOut) if (at <= protectedAfter) this.handedOut.delete(name);
  }
}
