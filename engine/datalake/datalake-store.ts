// The one way the engine reads and writes a datalake (local directory, S3 or an S3-compatible
// store); openDatalake (open-datalake.ts) makes one.
import type { HostPolicy } from '../net/host-policy';

export interface DatalakeObject {
  key: string;
  bytes: number;
  modifiedAt: Date;
}

export type DatalakeCheck = { ok: true } | { ok: false; message: string; hint: string };

/**
 * Keys are relative (`lakehouse/<provider>/<dataset>/...`, `artifacts/...`, see lake-keys.ts); the
 * store adds the configured prefix or directory. A bad key throws InvalidLakeKeyError before any
 * I/O.
 */
export interface DatalakeStore {
  /** Where the data lives, without secrets: `s3://bucket/prefix`, `local:/abs/path`. */
  readonly description: string;
  /** Atomically publishes a local file under key: readers see the whole object or nothing. */
  putFile(
    key: string,
    localPath: string,
    options?: { contentType?: string },
  ): Promise<{ bytes: number }>;
  putBytes(
    key: string,
    body: Buffer | string,
    options?: { contentType?: string },
  ): Promise<{ bytes: number }>;
  /** Throws DatalakeObjectNotFound when there is no such object. */
  getBytes(key: string): Promise<Buffer>;
  /**
   * A local file holding the object, for readers such as DuckDB. Remote objects are downloaded once
   * into the cache directory: keys are treated as write-once, and a path stays valid for at least a
   * minute after it is handed out.
   */
  localPath(key: string): Promise<string>;
  exists(key: string): Promise<boolean>;
  /** Every object whose key starts with `prefix`, across all pages, sorted by key. */
  list(prefix: string): Promise<DatalakeObject[]>;
  /** Deletes the objects; keys that do not exist are ignored. */
  delete(keys: string[]): Promise<void>;
  /**
   * A time-limited URL anyone can download the object with (artifacts for webhook_batch receivers).
   */
  presignedUrl(key: string, expiresInSeconds: number): Promise<string>;
  /** Proves credentials and access: writes, reads back, lists and deletes a small probe object. */
  check(): Promise<DatalakeCheck>;
  /**
   * Removes what a crashed writer left behind (local temporary files), older than `olderThanMs`;
   * returns the count.
   */
  sweepTemporaryFiles(olderThanMs: number): Promise<number>;
}

export interface OpenDatalakeOptions {
  /**
   * The engine's data directory: a local datalake's path is relative to it and may not leave it.
   */
  dataDir: string;
  /** Where remote objects are cached for localPath. */
  cacheDir: string;
  /** Cache budget for remote objects (default 2 GB). */
  maxCacheBytes?: number;
  /** For local datalakes, whose presigned URLs the engine serves itself (artifact-routes.ts). */
  datalakeId?: string;
  artifactBaseUrl?: string;
  signingKey?: Buffer;
  /** Files at least this large are uploaded in parts (default 64 MB). */
  multipartThresholdBytes?: number;
  /** Part size of multipart uploads (default 16 MB; S3 needs at least 5 MB). */
  partSizeBytes?: number;
  /** Objects per listing request (S3's maximum and default is 1000). */
  listPageSize?: number;
  /**
   * The host policy an S3-compatible endpoint's connections go through (always set by
   * openDatalakeFor).
   */
  hostPolicy?: HostPolicy;
}
