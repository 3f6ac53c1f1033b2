// Publishes local files all-or-nothing: written beside the target under a dot-name, then renamed
// over it, so a reader or a crash never leaves a partial file under a real name (rename is atomic
// on POSIX file systems).
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

const TEMPORARY_NAME = /^\..+\.tmp-[0-9a-f]{12}$/;

export function isTemporaryName(name: string): boolean {
  return TEMPORARY_NAME.test(name);
}

export function temporaryPathFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.tmp-${randomBytes(6).toString('hex')}`,
  );
}

async function fsyncPath(target: string): Promise<void> {
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems cannot fsync a directory; the rename is still atomic there, only less
    // durable.
    if (
      !['EINVAL', 'EISDIR', 'ENOTSUP', 'EPERM'].includes(
        (error as NodeJS.ErrnoException).code ?? '',
      )
    )
      throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Creates `directory` and, for durability, fsyncs the parents of every directory it had to create.
 */
async function makeDirectory(directory: string, durable: boolean): Promise<void> {
  const firstCreated = await mkdir(directory, { recursive: true });
  if (!durable || firstCreated === undefined) return;
  const stop = path.dirname(firstCreated);
  for (let current = directory; ; current = path.dirname(current)) {
    await fsyncPath(path.dirname(current));
    if (path.dirname(current) === stop || current === path.dirname(current)) break;
  }
}

/**
 * Runs `write` against a temporary path next to `target`, then renames it into place. With
 * `durable`, the data and the directory entry are fsynced first, so after a power loss the target
 * is either the old or the new file. On failure (ENOSPC, a broken source) the temporary file is
 * removed and the target is untouched.
 */
export async function publishFile(
  target: string,
  write: (temporaryPath: string) => Promise<void>,
  options: { durable: boolean },
): Promise<{ bytes: number }> {
  const directory = path.dirname(target);
  await makeDirectory(directory, options.durable);
  const temporary = temporaryPathFor(target);
  try {
    await write(temporary);
    if (options.durable) await fsyncPath(temporary);
    const { size } = await stat(temporary);
    await rename(temporary, target);
    if (options.durable) await fsyncPath(directory);
    return { bytes: size };
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}

/**
 * Removes temporary files older than `olderThanMs` below `root` (left by a process killed
 * mid-write).
 */
export async function sweepTemporaryFiles(root: string, olderThanMs: number): Promise<number> {
  const cutoff = Date.now() - olderThanMs;
  let removed = 0;
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isFile() || !isTemporaryName(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    try {
      if ((await stat(file)).mtimeMs > cutoff) continue;
      await unlink(file);
      removed++;
    } catch (error) {
      // Renamed into place or swept by another process meanwhile.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}
