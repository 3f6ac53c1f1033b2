// A datalake in a directory below the engine's data directory; every write is temp-file + fsync +
// rename.
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, readFile, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { signArtifactUrl } from './artifact-url';
import { isTemporaryName, publishFile, sweepTemporaryFiles } from './atomic-file';
import { DatalakeError, DatalakeObjectNotFound } from './datalake-error';
import type { DatalakeObject, DatalakeStore, OpenDatalakeOptions } from './datalake-store';
import { checkByRoundTrip, PROBE_DIRECTORY } from './round-trip-probe';
import { isValidLakeKey, validateLakeKey, validateLakePrefix } from './validate-lake-key';

const isInside = (parent: string, child: string) => {
  const relative = path.relative(parent, child);
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
};

/** The datalake's directory; throws unless it is strictly inside the data directory. */
export function localDatalakeRoot(dataDir: string, configuredPath: string): string {
  const base = path.resolve(dataDir);
  const root = path.resolve(base, configuredPath);
  if (!isInside(base, root)) {
    throw new DatalakeError(
      'datalake_path_outside_data_dir',
      `The local datalake path "${configuredPath}" does not name a directory inside the engine's ` +
        `data directory.`,
      'Use a relative path such as "datalake": it is created below INLET_DATA_DIR.',
    );
  }
  return root;
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

export function createLocalDatalake(
  configuredPath: string,
  options: OpenDatalakeOptions,
): DatalakeStore {
  const root = localDatalakeRoot(options.dataDir, configuredPath);

  const fileOf = (key: string) => {
    const file = path.resolve(root, validateLakeKey(key));
    // Validation already forbids traversal; this is the backstop that the file system agrees.
    if (!isInside(root, file))
      throw new DatalakeError('invalid_lake_key', `"${key}" resolves outside the datalake.`);
    return file;
  };

  const notFoundAs = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (
        errorCode(error) === 'ENOENT' ||
        errorCode(error) === 'ENOTDIR' ||
        errorCode(error) === 'EISDIR'
      )
        throw new DatalakeObjectNotFound(key);
      throw error;
    }
  };

  const isFile = async (file: string) => {
    try {
      return (await stat(file)).isFile();
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return false;
      throw error;
    }
  };

  const store: DatalakeStore = {
    description: `local:${root}`,

    async putFile(key, localPath) {
      const target = fileOf(key);
      return publishFile(
        target,
        (temporary) =>
          pipeline(createReadStream(localPath), createWriteStream(temporary, { flags: 'wx' })),
        { durable: true },
      );
    },

    async putBytes(key, body) {
      const target = fileOf(key);
      return publishFile(target, (temporary) => writeFile(temporary, body, { flag: 'wx' }), {
        durable: true,
      });
    },

    async getBytes(key) {
      const file = fileOf(key);
      return notFoundAs(key, () => readFile(file));
    },

    async localPath(key) {
      const file = fileOf(key);
      if (!(await isFile(file))) throw new DatalakeObjectNotFound(key);
      return file;
    },

    async exists(key) {
      return isFile(fileOf(key));
    },

    async list(prefix) {
      validateLakePrefix(prefix);
      // Walk only the deepest folder the prefix names completely, then filter by the rest of the
      // prefix.
      const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      const start = path.join(root, folder);
      let entries;
      try {
        entries = await readdir(start, { recursive: true, withFileTypes: true });
      } catch (error) {
        if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return [];
        throw error;
      }
      const objects: DatalakeObject[] = [];
      for (const entry of entries) {
        if (!entry.isFile() || isTemporaryName(entry.name)) continue;
        const file = path.join(entry.parentPath, entry.name);
        const key = path.relative(root, file).split(path.sep).join('/');
        if (!key.startsWith(prefix) || !isValidLakeKey(key)) continue;
        try {
          const info = await stat(file);
          objects.push({ key, bytes: info.size, modifiedAt: info.mtime });
        } catch (error) {
          if (errorCode(error) !== 'ENOENT') throw error;
        }
      }
      return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    async delete(keys) {
      const files = keys.map(fileOf);
      for (const file of files) {
        try {
          await unlink(file);
        } catch (error) {
          if (errorCode(error) !== 'ENOENT') throw error;
        }
      }
    },

    async presignedUrl(key, expiresInSeconds) {
      validateLakeKey(key);
      const { datalakeId, artifactBaseUrl, signingKey } = options;
      if (!datalakeId || !artifactBaseUrl || !signingKey) {
        throw new DatalakeError(
          'artifact_url_unavailable',
          'The engine cannot make download links for a local datalake without knowing its own ' +
            'public URL.',
          'Set ENGINE_PUBLIC_URL to the URL receivers reach the engine at.',
        );
      }
      if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1)
        throw new Error(`A link must live at least one second, not ${expiresInSeconds}.`);
      return signArtifactUrl({
        baseUrl: artifactBaseUrl,
        datalakeId,
        key,
        expiresAt: Math.floor(Date.now() / 1000) + expiresInSeconds,
        secret: signingKey,
      });
    },

    check: () =>
      checkByRoundTrip(store, {
        changedBytes: {
          message: `${root} returned different bytes than were written.`,
          hint: 'Check the disk and the file system for errors.',
        },
        async removeProbe(key) {
          await store.delete([key]);
          // Only if empty: another check may be running.
          await rmdir(path.join(root, PROBE_DIRECTORY)).catch(() => {});
        },
        describeFailure: (error) => describeLocalFailure(root, error),
      }),

    sweepTemporaryFiles: (olderThanMs) => sweepTemporaryFiles(root, olderThanMs),
  };
  return store;
}

function describeLocalFailure(
  root: string,
  error: unknown,
): { ok: false; message: string; hint: string } {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return {
      ok: false,
      message: `The engine may not write to ${root} (${code}).`,
      hint: 'Give the engine user write access to the directory, or choose another path.',
    };
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return {
      ok: false,
      message: `The disk holding ${root} is full (${code}).`,
      hint: 'Free space on that disk or move the data directory (INLET_DATA_DIR).',
    };
  }
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return {
      ok: false,
      message: `Part of ${root} is a file, not a directory (${code}).`,
      hint: 'Remove or rename that file, or choose another path for the datalake.',
    };
  }
  return {
    ok: false,
    message: `Writing to ${root} failed: ${(error as Error).message}`,
    hint: 'Check that the directory exists and is writable by the engine.',
  };
}
