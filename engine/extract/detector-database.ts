// One DuckDB for every extract an engine runs (each on a connection of its own, whose temporary
// tables are its own): opening one, and asking it which hash it computes, cost more than comparing
// the few rows an hourly run finds changed.
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EngineContext } from '../engine-context';

/** How a cached file's `_prequel_hash` was computed: its canary and the columns it covered. */
export interface FileHashing {
  canary: string | null;
  columns: string | null;
}

/**
 * Files read this many times are enough to remember: beyond it the oldest are forgotten (and read
 * again if needed).
 */
const REMEMBERED_FILES = 50_000;

export interface DetectorDatabase {
  instance: DuckDBInstance;
  /** The canary of this DuckDB's hash() (see change-detector.ts), computed once. */
  canary: string;
  /**
   * What each committed file's metadata said: files are never rewritten once committed, so it is
   * read once per process.
   */
  fileHashing: Map<string, FileHashing>;
}

const DUCKDB_OPTIONS = {
  // Extensions would be downloaded, and nothing may be downloaded here.
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  threads: '2',
  preserve_insertion_order: 'false',
};

// Inputs whose hashes change if DuckDB's hash() does: NULL, '', ASCII and multi-byte text, several
// columns.
const HASH_CANARY_SQL =
  `select concat_ws('-', hash(null::varchar), hash(''), hash('inlet'), ` +
  `hash('𠮷🌸é', 'a', null::varchar))::varchar as canary`;

/** Remembers a file's hashing, forgetting the oldest beyond REMEMBERED_FILES. */
export function rememberFileHashing(
  database: DetectorDatabase,
  file: string,
  hashing: FileHashing,
): void {
  database.fileHashing.set(file, hashing);
  if (database.fileHashing.size > REMEMBERED_FILES)
    database.fileHashing.delete(database.fileHashing.keys().next().value!);
}

export async function openDetectorDatabase(options: {
  tempDirectory: string;
  memoryLimit: string;
}): Promise<DetectorDatabase> {
  const instance = await DuckDBInstance.create(':memory:', {
    ...DUCKDB_OPTIONS,
    memory_limit: options.memoryLimit,
    temp_directory: options.tempDirectory,
  });
  const connection = await instance.connect();
  try {
    const canary = String(
      (await connection.runAndReadAll(HASH_CANARY_SQL)).getRowObjects()[0]!.canary,
    );
    return { instance, canary, fileHashing: new Map() };
  } finally {
    connection.closeSync();
  }
}

const engineDatabases = new WeakMap<EngineContext, Promise<DetectorDatabase>>();

/**
 * The engine's shared detector database, opened on first use. Its memory limit is shared by the
 * extracts that run at once (ENGINE_JOB_CONCURRENCY, 2 by default): 96 MB each.
 */
export function detectorDatabaseFor(engine: EngineContext): Promise<DetectorDatabase> {
  let database = engineDatabases.get(engine);
  if (!database) {
    database = openDetectorDatabase({
      tempDirectory: path.join(engine.dataDir, 'work', 'detector-spill'),
      memoryLimit: '192MB',
    });
    database.catch(() => engineDatabases.delete(engine));
    engineDatabases.set(engine, database);
  }
  return database;
}
