// What only an S3 datalake does: multipart uploads, retries of a flaky store, the download cache, and the
// messages of check() when the bucket, the endpoint or the credentials are wrong.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, test, vi } from 'vitest';
import { DatalakeCreateSchema } from '../../lib/prequel/contract/datalake';
import { S3_TEST_CREDENTIALS } from '../testing/s3-server';
import { DatalakeError, DatalakeNotSupportedError } from './datalake-error';
import type { OpenDatalakeOptions } from './datalake-store';
import { openDatalake } from './open-datalake';
import { startS3FaultProxy } from './testing/s3-fault-proxy';

const MB = 1024 * 1024;
const bucket = `inlet-s3-${randomBytes(4).toString('hex')}`;
let scratch: string;
let proxy: Awaited<ReturnType<typeof startS3FaultProxy>>;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'inlet-s3-lake-'));
  const s3 = new S3Client({
    endpoint: inject('s3Endpoint'),
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3_TEST_CREDENTIALS,
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  proxy = await startS3FaultProxy(inject('s3Endpoint'));
});
afterAll(async () => {
  await proxy.close();
  rmSync(scratch, { recursive: true, force: true });
});

function compatible(
  overrides: { endpoint?: string; bucket?: string; prefix?: string; accessId?: string } = {},
  options: Partial<OpenDatalakeOptions> = {},
) {
  const config = DatalakeCreateSchema.parse({
    name: 'lake',
    storage: 's3_compatible',
    s3_compatible: {
      endpoint: overrides.endpoint ?? proxy.endpoint,
      bucket_name: overrides.bucket ?? bucket,
      prefix: overrides.prefix ?? `run-${randomBytes(3).toString('hex')}`,
      access_id: overrides.accessId ?? S3_TEST_CREDENTIALS.accessKeyId,
      secret_key: S3_TEST_CREDENTIALS.secretAccessKey,
    },
  });
  return openDatalake(config, {
    dataDir: scratch,
    cacheDir: path.join(scratch, 'cache', randomBytes(3).toString('hex')),
    ...options,
  });
}

function fileOf(bytes: number): { file: string; content: Buffer } {
  const content = randomBytes(bytes);
  const file = path.join(scratch, `${randomBytes(4).toString('hex')}.bin`);
  writeFileSync(file, content);
  return { file, content };
}

const requestsSince = (start: number) => proxy.requests.slice(start);

describe('an s3_compatible datalake', () => {
  test('uploads large files in parts and publishes them only when every part is in', async () => {
    const store = compatible({}, { multipartThresholdBytes: 5 * MB, partSizeBytes: 5 * MB });
    const { file, content } = fileOf(12 * MB);
    const key = 'lakehouse/acme/d/extracts/e/part-00001.parquet';
    const start = proxy.requests.length;
    expect(await store.putFile(key, file)).toEqual({ bytes: 12 * MB });
    const writes = requestsSince(start).filter(
      (request) => request.method !== 'HEAD' && request.method !== 'GET',
    );
    // Parts are stored under the upload id, invisible to readers; the completion, last, publishes the object.
    expect([writes[0]!.method, writes[0]!.query.has('uploads')]).toEqual(['POST', true]);
    const parts = writes.slice(1, -1);
    expect(
      parts
        .map((request) => [
          request.method,
          request.query.has('uploadId'),
          request.query.get('partNumber'),
          request.contentLength,
        ])
        .sort(),
    ).toEqual([
      ['PUT', true, '1', 5 * MB],
      ['PUT', true, '2', 5 * MB],
      ['PUT', true, '3', 2 * MB],
    ]);
    expect([writes.at(-1)!.method, writes.at(-1)!.query.has('uploadId')]).toEqual(['POST', true]);
    expect((await store.getBytes(key)).equals(content)).toBe(true);
  });

  test('retries an upload the store answers with 503 SlowDown, sending the whole file again', async () => {
    const store = compatible();
    const { file, content } = fileOf(MB);
    const key = 'artifacts/acme/load/retried.parquet';
    let refusals = 0;
    proxy.setFault((request) =>
      request.method === 'PUT' && request.path.endsWith(key) && refusals++ < 2
        ? { status: 503, code: 'SlowDown' }
        : null,
    );
    try {
      await store.putFile(key, file);
    } finally {
      proxy.setFault(() => null);
    }
    expect(refusals).toBe(3);
    expect((await store.getBytes(key)).equals(content)).toBe(true);
  });

  test('a multipart upload that keeps failing is aborted and leaves nothing visible', async () => {
    const store = compatible({}, { multipartThresholdBytes: 5 * MB, partSizeBytes: 5 * MB });
    const { file } = fileOf(11 * MB);
    const key = 'lakehouse/acme/d/extracts/e/part-00002.parquet';
    const start = proxy.requests.length;
    proxy.setFault((request) =>
      request.method === 'PUT' && request.query.get('partNumber') === '2'
        ? { status: 500, code: 'InternalError' }
        : null,
    );
    let failure: unknown;
    try {
      await store.putFile(key, file);
    } catch (error) {
      failure = error;
    } finally {
      proxy.setFault(() => null);
    }
    expect(failure).toBeInstanceOf(DatalakeError);
    expect(failure).toMatchObject({
      code: 'datalake_unavailable',
      message: expect.stringMatching(/InternalError/),
    });
    const sent = requestsSince(start);
    expect(sent.filter((request) => request.query.get('partNumber') === '2')).toHaveLength(3);
    expect(
      sent.some((request) => request.method === 'DELETE' && request.query.has('uploadId')),
    ).toBe(true);
    expect(sent.some((request) => request.method === 'POST' && request.query.has('uploadId'))).toBe(
      false,
    );
    expect(await store.exists(key)).toBe(false);
    expect(await store.list('lakehouse/')).toEqual([]);
  });

  test('downloads an object once for concurrent readers, into the cache directory', async () => {
    const cacheDir = path.join(scratch, 'cache-once');
    const store = compatible({}, { cacheDir });
    const key = 'lakehouse/acme/d/extracts/e/part-00003.parquet';
    await store.putBytes(key, randomBytes(2 * MB));
    const start = proxy.requests.length;
    const paths = await Promise.all(Array.from({ length: 6 }, () => store.localPath(key)));
    expect(new Set(paths).size).toBe(1);
    expect(await store.localPath(key)).toBe(paths[0]);
    expect(path.dirname(paths[0]!)).toBe(cacheDir);
    expect(path.basename(paths[0]!)).toMatch(/^[0-9a-f]{64}$/);
    const downloads = requestsSince(start).filter(
      (request) => request.method === 'GET' && request.path.endsWith(key),
    );
    expect(downloads).toHaveLength(1);
    expect(readFileSync(paths[0]!).equals(await store.getBytes(key))).toBe(true);
    expect(readdirSync(cacheDir)).toEqual([path.basename(paths[0]!)]);

    // Rewriting a key through the store drops the cached copy (an uncommitted part retried after a crash).
    await store.putBytes(key, 'rewritten');
    expect(readFileSync(await store.localPath(key), 'utf8')).toBe('rewritten');
  });

  test('lists every page of a large folder', async () => {
    const store = compatible({}, { listPageSize: 40 });
    const keys = Array.from(
      { length: 100 },
      (_, index) => `artifacts/acme/load/f-${String(index).padStart(4, '0')}.csv`,
    );
    await Promise.all(keys.map((key) => store.putBytes(key, 'x')));
    const start = proxy.requests.length;
    const listed = await store.list('artifacts/acme/');
    expect(listed.map((object) => object.key)).toEqual(keys);
    expect(requestsSince(start).filter((request) => request.method === 'GET')).toHaveLength(3);
    await store.delete(keys);
    expect(await store.list('artifacts/')).toEqual([]);
  });

  test('falls back to one delete per object where multi-object delete is not implemented', async () => {
    const store = compatible();
    await store.putBytes('artifacts/a/l/1.csv', 'x');
    await store.putBytes('artifacts/a/l/2.csv', 'x');
    proxy.setFault((request) =>
      request.method === 'POST' && request.query.has('delete')
        ? { status: 501, code: 'NotImplemented' }
        : null,
    );
    try {
      await store.delete(['artifacts/a/l/1.csv', 'artifacts/a/l/2.csv']);
    } finally {
      proxy.setFault(() => null);
    }
    expect(await store.list('')).toEqual([]);
  });

  test('check() tells apart a missing bucket, an unreachable endpoint and an unknown access key', async () => {
    expect(await compatible({ bucket: 'no-such-bucket-here' }).check()).toEqual({
      ok: false,
      message: `The bucket "no-such-bucket-here" does not exist at ${proxy.endpoint}.`,
      hint: expect.stringMatching(/Create the bucket/),
    });
    expect(await compatible({ endpoint: 'http://127.0.0.1:1' }).check()).toEqual({
      ok: false,
      message: 'The engine could not reach http://127.0.0.1:1 (ECONNREFUSED).',
      hint: expect.stringMatching(/endpoint URL/),
    });
    expect(await compatible({ accessId: 'NOT-A-KEY' }).check()).toEqual({
      ok: false,
      message: expect.stringMatching(/does not know the access key id/),
      hint: expect.stringMatching(/access_id/),
    });
  });

  test('a presigned URL stops working when it expires', async () => {
    const store = compatible({ endpoint: inject('s3Endpoint') });
    const key = 'artifacts/acme/load/expiring.csv';
    await store.putBytes(key, 'id\n1\n');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 60 * 60_000);
    let url: string;
    try {
      url = await store.presignedUrl(key, 60);
    } finally {
      vi.useRealTimers();
    }
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/expired/);
  });

  test('describes itself without secrets', () => {
    const store = compatible({ prefix: '/tenants//acme/' });
    expect(store.description).toBe(`s3://${bucket}/tenants/acme at ${proxy.endpoint}`);
  });
});

describe('an s3 datalake with auth_method aws_iam_role', () => {
  test('uses the engine’s own AWS identity, and says so when there is none', async () => {
    // No identity anywhere, and nothing may leave the machine: any request goes to a closed local port.
    const saved = { ...process.env };
    for (const name of Object.keys(process.env))
      if (name.startsWith('AWS_')) delete process.env[name];
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'none'),
      AWS_CONFIG_FILE: path.join(scratch, 'none'),
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1',
    });
    try {
      const config = DatalakeCreateSchema.parse({
        name: 'lake',
        storage: 's3',
        s3: {
          bucket_name: 'your-bucket',
          bucket_region: 'us-east-1',
          prefix: 'prequel-import',
          auth_method: 'aws_iam_role',
          aws_iam_role: { aws_iam_role_arn: 'arn:aws:iam::123456789012:role/prequel' },
        },
      });
      const store = openDatalake(config, {
        dataDir: scratch,
        cacheDir: path.join(scratch, 'cache'),
      });
      expect(store.description).toBe('s3://your-bucket/prequel-import');
      expect(await store.check()).toEqual({
        ok: false,
        message: expect.stringMatching(/no AWS identity/),
        hint: expect.stringMatching(/aws_access_keys/),
      });
    } finally {
      for (const name of Object.keys(process.env))
        if (name.startsWith('AWS_')) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});

describe('other storage', () => {
  test.each(['gcs', 'abs'])('storage %j is refused with a way forward', (storage) => {
    const config = DatalakeCreateSchema.parse({
      name: 'lake',
      storage,
      [storage]: { bucket_name: 'b' },
    });
    expect(() => openDatalake(config, { dataDir: scratch, cacheDir: scratch })).toThrow(
      DatalakeNotSupportedError,
    );
    expect(() => openDatalake(config, { dataDir: scratch, cacheDir: scratch })).toThrow(
      /cannot use a "/,
    );
  });
});
