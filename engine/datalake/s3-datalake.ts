// A datalake in an S3 bucket (AWS or any S3-compatible store). An object appears whole or not at
// all: one PutObject, or a multipart upload that is completed only when every part is in and
// aborted otherwise.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { contentTypeOf } from './content-type-of';
import { DatalakeError, DatalakeObjectNotFound } from './datalake-error';
import type { DatalakeObject, DatalakeStore, OpenDatalakeOptions } from './datalake-store';
import type { HostPolicy } from '../net/host-policy';
import { describeS3Failure, type S3Place } from './describe-s3-failure';
import { DownloadCache } from './download-cache';
import { objectUrl, presignS3Url } from './presign-s3-url';
import { checkByRoundTrip, PROBE_DIRECTORY } from './round-trip-probe';
import { vettingAgents } from './s3-endpoint-policy';
import { isValidLakeKey, validateLakeKey, validateLakePrefix } from './validate-lake-key';

export interface S3Settings {
  bucket: string;
  region: string;
  prefix?: string;
  /** Absent for AWS S3 itself. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Absent: the SDK's default credential chain (the identity the engine runs as). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /**
   * For a custom endpoint: every connection resolves its host through this policy
   * (s3-endpoint-policy.ts).
   */
  hostPolicy?: HostPolicy;
}

const MB = 1024 * 1024;
const DEFAULT_MULTIPART_THRESHOLD = 64 * MB;
const DEFAULT_PART_SIZE = 16 * MB;
const MIN_PART_SIZE = 5 * MB;
const PART_CONCURRENCY = 4;
const MAX_PARTS = 10_000;
const UPLOAD_ATTEMPTS = 3;
const DELETE_BATCH = 1000;
const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'TimeoutError',
  'Throttling',
  'ThrottlingException',
]);
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/** `a//b/` → `a/b`: the store's prefix is a folder, written without leading or trailing slashes. */
function normalisePrefix(prefix: string | undefined): string {
  return (prefix ?? '').split('/').filter(Boolean).join('/');
}

interface SdkError {
  name?: string;
  code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (error: unknown) => (error as SdkError)?.$metadata?.httpStatusCode;
const isNotFound = (error: unknown) => {
  const name = (error as SdkError)?.name ?? '';
  return (
    name === 'NoSuchKey' ||
    name === 'NotFound' ||
    (statusOf(error) === 404 && name !== 'NoSuchBucket')
  );
};

function isRetryable(error: unknown): boolean {
  const e = (error ?? {}) as SdkError;
  const status = statusOf(error);
  return (
    Boolean(e.$retryable) ||
    RETRYABLE_NAMES.has(e.name ?? '') ||
    RETRYABLE_CODES.has(e.code ?? '') ||
    status === 429 ||
    (status !== undefined && status >= 500)
  );
}

/**
 * Stream bodies cannot be replayed by the SDK's own retry, so uploads run on a client without
 * retries and are retried here with a fresh stream per attempt.
 */
async function withUploadRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let number = 1; ; number++) {
    try {
      return await attempt();
    } catch (error) {
      if (number >= UPLOAD_ATTEMPTS || !isRetryable(error)) throw error;
      await new Promise((resolve) =>
        setTimeout(resolve, 100 * 2 ** number * (0.5 + Math.random())),
      );
    }
  }
}

export function createS3Datalake(
  settings: S3Settings,
  options: OpenDatalakeOptions,
): DatalakeStore {
  const { bucket } = settings;
  const prefix = normalisePrefix(settings.prefix);
  const base = prefix ? `${prefix}/` : '';
  const where = settings.endpoint
    ? new URL(settings.endpoint).origin
    : `AWS S3 (${settings.region})`;
  const place: S3Place = { bucket, where, usesDefaultCredentials: !settings.credentials };
  const multipartThreshold = options.multipartThresholdBytes ?? DEFAULT_MULTIPART_THRESHOLD;
  const partSize = Math.max(options.partSizeBytes ?? DEFAULT_PART_SIZE, MIN_PART_SIZE);

  const clientConfig: S3ClientConfig = {
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: 120_000,
      ...(settings.endpoint && settings.hostPolicy ? vettingAgents(settings.hostPolicy) : {}),
    },
    // The SDK would print to the console when it declines to retry a stream; our own retry and
    // errors cover it.
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    // Third-party stores often reject the SDK's newer default checksums (aws-chunked trailers):
    // send them only where an operation requires one.
    ...(settings.endpoint
      ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
  };
  const client = new S3Client({ ...clientConfig, maxAttempts: 3 });
  const uploadClient = new S3Client({ ...clientConfig, maxAttempts: 1 });
  const cache = new DownloadCache(options.cacheDir, { maxBytes: options.maxCacheBytes });

  const objectKey = (key: string) => `${base}${validateLakeKey(key)}`;
  const cacheName = (key: string) =>
    createHash('sha256')
      .update(`${where}\n${bucket}\n${objectKey(key)}`)
      .digest('hex');

  const failing = async <T>(action: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw describeS3Failure(error, place, action);
    }
  };

  async function putObject(key: string, localPath: string, size: number, contentType: string) {
    await withUploadRetries(async () => {
      const body = createReadStream(localPath);
      try {
        await uploadClient.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: objectKey(key),
            Body: body,
            ContentLength: size,
            ContentType: contentType,
          }),
        );
      } finally {
        body.destroy();
      }
    });
  }

  async function putMultipart(key: string, localPath: string, size: number, contentType: string) {
    const Key = objectKey(key);
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key, ContentType: contentType }),
    );
    if (!UploadId)
      throw new DatalakeError(
        'datalake_request_failed',
        `${where} started a multipart upload without an upload id.`,
      );
    // S3 allows at most 10,000 parts: very large files get larger parts.
    const partBytes = Math.max(partSize, Math.ceil(size / MAX_PARTS));
    const partCount = Math.ceil(size / partBytes);
    const parts: { ETag?: string; PartNumber: number }[] = [];
    let next = 0;
    let failure: unknown = null;
    const uploadParts = async () => {
      while (next < partCount && failure === null) {
        const index = next++;
        const start = index * partBytes;
        const end = Math.min(size, start + partBytes) - 1;
        try {
          const { ETag } = await withUploadRetries(async () => {
            const body = createReadStream(localPath, { start, end });
            try {
              return await uploadClient.send(
                new UploadPartCommand({
                  Bucket: bucket,
                  Key,
                  UploadId,
                  PartNumber: index + 1,
                  Body: body,
                  ContentLength: end - start + 1,
                }),
              );
            } finally {
              body.destroy();
            }
          });
          parts[index] = { ETag, PartNumber: index + 1 };
        } catch (error) {
          failure ??= error;
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(PART_CONCURRENCY, partCount) }, uploadParts));
      if (failure !== null) throw failure;
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key,
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (error) {
      // Parts of an unfinished upload are invisible to readers but cost storage until aborted.
      await client
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }))
        .catch(() => {});
      throw error;
    }
  }

  const store: DatalakeStore = {
    description:
      `s3://${bucket}${prefix ? `/${prefix}` : ''}` + (settings.endpoint ? ` at ${where}` : ''),

    async putFile(key, localPath, putOptions) {
      objectKey(key);
      const { size } = await stat(localPath);
      const contentType = putOptions?.contentType ?? contentTypeOf(key);
      await failing('write objects', () =>
        size >= multipartThreshold
          ? putMultipart(key, localPath, size, contentType)
          : putObject(key, localPath, size, contentType),
      );
      await cache.forget(cacheName(key));
      return { bytes: size };
    },

    async putBytes(key, body, putOptions) {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const Key = objectKey(key);
      await failing('write objects', () =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key,
            Body: bytes,
            ContentLength: bytes.length,
            ContentType: putOptions?.contentType ?? contentTypeOf(key),
          }),
        ),
      );
      await cache.forget(cacheName(key));
      return { bytes: bytes.length };
    },

    async getBytes(key) {
      const Key = objectKey(key);
      try {
        const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
        if (!output.Body)
          throw new DatalakeError(
            'datalake_request_failed',
            `${where} answered without a body for "${key}".`,
          );
        const bytes = await output.Body.transformToByteArray();
        if (output.ContentLength !== undefined && bytes.byteLength !== output.ContentLength) {
          throw new DatalakeError(
            'datalake_download_incomplete',
            `The download of "${key}" from ${where} stopped after ${bytes.byteLength} of ` +
              `${output.ContentLength} bytes.`,
          );
        }
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch (error) {
        if (isNotFound(error)) throw new DatalakeObjectNotFound(key);
        throw describeS3Failure(error, place, 'read objects');
      }
    },

    async localPath(key) {
      const Key = objectKey(key);
      try {
        return await cache.get(cacheName(key), async (temporaryPath) => {
          const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
          if (!(output.Body instanceof Readable))
            throw new DatalakeError(
              'datalake_request_failed',
              `${where} answered without a body for "${key}".`,
            );
          let received = 0;
          const count = new Transform({
            transform(chunk: Buffer, _encoding, done) {
              received += chunk.length;
              done(null, chunk);
            },
          });
          await pipeline(output.Body, count, createWriteStream(temporaryPath, { flags: 'wx' }));
          if (output.ContentLength !== undefined && received !== output.ContentLength) {
            throw new DatalakeError(
              'datalake_download_incomplete',
              `The download of "${key}" from ${where} stopped after ${received} of ` +
                `${output.ContentLength} bytes.`,
            );
          }
        });
      } catch (error) {
        if (isNotFound(error)) throw new DatalakeObjectNotFound(key);
        throw describeS3Failure(error, place, 'read objects');
      }
    },

    async exists(key) {
      const Key = objectKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw describeS3Failure(error, place, 'read objects');
      }
    },

    async list(listPrefix) {
      const Prefix = `${base}${validateLakePrefix(listPrefix)}`;
      const objects: DatalakeObject[] = [];
      // ListObjects (v1) pages by marker, which every S3 implementation supports; v2's opaque
      // continuation tokens are missing or broken in some (s3rver cannot make them under OpenSSL
      // 3).
      let Marker: string | undefined;
      do {
        const page = await failing('list objects', () =>
          client.send(
            new ListObjectsCommand({
              Bucket: bucket,
              Prefix,
              Marker,
              MaxKeys: options.listPageSize,
            }),
          ),
        );
        const contents = page.Contents ?? [];
        for (const item of contents) {
          const key = item.Key?.slice(base.length);
          // Objects someone else put under the prefix with names we could not address are left out.
          if (!key || !item.Key?.startsWith(base) || !isValidLakeKey(key)) continue;
          objects.push({
            key,
            bytes: item.Size ?? 0,
            modifiedAt: item.LastModified ?? new Date(0),
          });
        }
        Marker = page.IsTruncated ? (page.NextMarker ?? contents.at(-1)?.Key) : undefined;
      } while (Marker);
      return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    async delete(keys) {
      const objectKeys = keys.map(objectKey);
      for (let offset = 0; offset < objectKeys.length; offset += DELETE_BATCH) {
        const batch = objectKeys.slice(offset, offset + DELETE_BATCH);
        await failing('delete objects', async () => {
          try {
            const result = await client.send(
              new DeleteObjectsCommand({
                Bucket: bucket,
                Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
              }),
            );
            const first = result.Errors?.[0];
            if (first) {
              throw new DatalakeError(
                'datalake_delete_failed',
                `${where} refused to delete ${result.Errors!.length} object(s), e.g. ` +
                  `"${first.Key}" (${first.Code ?? 'error'}: ${first.Message ?? ''}).`,
                'Grant s3:DeleteObject on the objects of the bucket to the credentials of the ' +
                  'datalake.',
              );
            }
          } catch (error) {
            // Some S3-compatible stores (Google Cloud Storage's interoperability API) lack
            // multi-object delete.
            if ((error as SdkError).name !== 'NotImplemented' && statusOf(error) !== 501)
              throw error;
            for (const Key of batch)
              await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
          }
        });
      }
      for (const key of keys) await cache.forget(cacheName(key));
    },

    async presignedUrl(key, expiresInSeconds) {
      const Key = objectKey(key);
      return failing('sign download links', async () => {
        const endpoint = await client.config.endpointProvider({
          Bucket: bucket,
          Region: settings.region,
          Endpoint: settings.endpoint,
          ForcePathStyle: settings.forcePathStyle,
          UseFIPS: false,
          UseDualStack: false,
          Accelerate: false,
        });
        const scheme = endpoint.properties?.authSchemes as { signingRegion?: string }[] | undefined;
        const credentials = await client.config.credentials();
        return presignS3Url({
          objectUrl: objectUrl(new URL(endpoint.url.toString()), Key),
          region: scheme?.[0]?.signingRegion ?? settings.region,
          credentials,
          expiresInSeconds,
        });
      });
    },

    check: () =>
      checkByRoundTrip(store, {
        changedBytes: {
          message: `${where} returned different bytes than were written to "${bucket}".`,
          hint: 'Check that the endpoint is an S3 API and not a proxy that rewrites bodies.',
        },
        async removeProbe(key) {
          await store.list(`${PROBE_DIRECTORY}/`);
          await store.delete([key]);
        },
        describeFailure(error) {
          const failure = describeS3Failure(error, place, 'use objects');
          return {
            ok: false,
            message: failure.message,
            hint: failure.hint ?? 'Check the datalake configuration.',
          };
        },
      }),

    // Nothing partial is ever visible in a bucket; an upload cut short by a crash stays an
    // invisible incomplete multipart upload, which the bucket's AbortIncompleteMultipartUpload
    // lifecycle rule removes.
    sweepTemporaryFiles: async () => 0,
  };
  return store;
}
