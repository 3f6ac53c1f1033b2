// The same behaviour from every kind of datalake: a local directory, and an S3-compatible bucket (s3rver).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { create } from '../testing/fixtures';
import { S3_TEST_CREDENTIALS } from '../testing/s3-server';
import { startTestEngine, type TestEngine } from '../testing/test-engine';
import { DatalakeObjectNotFound, InvalidLakeKeyError } from './datalake-error';
import type { DatalakeStore } from './datalake-store';
import { artifactKey, extractPartKey } from './lake-keys';
import { openDatalakeFor } from './open-datalake-for';
import { startS3FaultProxy } from './testing/s3-fault-proxy';

let api: TestEngine;
let scratch: string;
let proxy: Awaited<ReturnType<typeof startS3FaultProxy>>;
const bucket = `inlet-store-${randomBytes(4).toString('hex')}`;
// s3rver checks the access key id but not SigV4 signatures, so any secret works: a canary shows where it leaks.
const secretKey = `canary-${randomBytes(8).toString('hex')}`;

beforeAll(async () => {
  api = await startTestEngine();
  // Local datalakes' download links point at the engine itself.
  api.engine.publicUrl = api.baseUrl;
  scratch = mkdtempSync(path.join(os.tmpdir(), 'inlet-datalake-test-'));
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
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

const variants = {
  local: (namespace: string, _endpoint?: string) => ({
    storage: 'local',
    local: { path: `lakes/${namespace}` },
  }),
  s3_compatible: (namespace: string, endpoint?: string) => ({
    storage: 's3_compatible',
    s3_compatible: {
      endpoint: endpoint ?? inject('s3Endpoint'),
      bucket_name: bucket,
      region: 'us-east-1',
      prefix: `lakes/${namespace}`,
      access_id: S3_TEST_CREDENTIALS.accessKeyId,
      secret_key: secretKey,
      force_path_style: true,
    },
  }),
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function scratchFile(name: string, content: Buffer): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}

describe.each(Object.keys(variants) as (keyof typeof variants)[])('a %s datalake', (kind) => {
  /** A datalake saved through the API, opened the way the extract and load engines open it. */
  async function openSaved(namespace: string, endpoint?: string): Promise<DatalakeStore> {
    const datalake = await create(
      api,
      '/import/datalakes',
      { datalake: { name: `${kind}-${namespace}`, ...variants[kind](namespace, endpoint) } },
      'datalake',
    );
    return openDatalakeFor(api.engine, datalake.id);
  }

  let store: DatalakeStore;
  beforeAll(async () => {
    store = await openSaved(`main-${kind}`);
  });

  test('stores bytes and files, reads them back, lists and deletes them', async () => {
    const key = extractPartKey('acme.co_eu-1', 'dataset-1', 'extract-1', 1);
    const content = randomBytes(100_000);
    expect(await store.putFile(key, scratchFile(`${kind}-part.bin`, content))).toEqual({
      bytes: 100_000,
    });
    expect(await store.putBytes('artifacts/acme/load-1/batch.csv', 'id,name\n1,Ada\n')).toEqual({
      bytes: 14,
    });
    expect(await store.putBytes('artifacts/acme/load-2/batch.csv', Buffer.from('x'))).toEqual({
      bytes: 1,
    });

    expect((await store.getBytes(key)).equals(content)).toBe(true);
    expect((await store.getBytes('artifacts/acme/load-1/batch.csv')).toString()).toBe(
      'id,name\n1,Ada\n',
    );
    expect(await store.exists(key)).toBe(true);
    expect(await store.exists('artifacts/acme/load-3/batch.csv')).toBe(false);

    const listed = await store.list('artifacts/');
    expect(listed.map((object) => [object.key, object.bytes])).toEqual([
      ['artifacts/acme/load-1/batch.csv', 14],
      ['artifacts/acme/load-2/batch.csv', 1],
    ]);
    expect(listed[0]!.modifiedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await store.list('artifacts/acme/load-1')).map((object) => object.key)).toEqual([
      'artifacts/acme/load-1/batch.csv',
    ]);
    expect(
      (await store.list('lakehouse/acme.co_eu-1/dataset-1/')).map((object) => object.key),
    ).toEqual([key]);
    expect(await store.list('lakehouse/nobody/')).toEqual([]);

    await store.delete(['artifacts/acme/load-1/batch.csv', 'artifacts/acme/never-written.csv']);
    expect(await store.exists('artifacts/acme/load-1/batch.csv')).toBe(false);
    expect((await store.list('artifacts/')).map((object) => object.key)).toEqual([
      'artifacts/acme/load-2/batch.csv',
    ]);
  });

  test('a missing object is a DatalakeObjectNotFound error', async () => {
    await expect(store.getBytes('artifacts/acme/missing.csv')).rejects.toThrow(
      DatalakeObjectNotFound,
    );
    await expect(store.localPath('artifacts/acme/missing.csv')).rejects.toThrow(
      DatalakeObjectNotFound,
    );
  });

  test('a rewritten object is read back with its new content', async () => {
    const key = 'lakehouse/acme/dataset-2/extracts/e/part-00001.parquet';
    await store.putBytes(key, 'first');
    expect((await store.getBytes(key)).toString()).toBe('first');
    await store.putFile(key, scratchFile(`${kind}-second.bin`, Buffer.from('second')));
    expect((await store.getBytes(key)).toString()).toBe('second');
  });

  test('hands out a local file path holding the object, for DuckDB', async () => {
    const key = 'lakehouse/acme/dataset-3/extracts/e/part-00001.parquet';
    const content = randomBytes(50_000);
    await store.putBytes(key, content);
    const file = await store.localPath(key);
    expect(path.isAbsolute(file)).toBe(true);
    expect(readFileSync(file).equals(content)).toBe(true);
    expect(await store.localPath(key)).toBe(file);
  });

  test('two datalakes on one bucket or directory never see each other’s objects', async () => {
    // "tenant" is a string prefix of "tenant-2": isolation must be by folder, not by string.
    const first = await openSaved(`tenant-${kind}`);
    const second = await openSaved(`tenant-${kind}-2`);
    await first.putBytes('artifacts/shared/load/file.csv', 'first');
    await second.putBytes('artifacts/shared/load/file.csv', 'second');
    await second.putBytes('artifacts/shared/load/only-second.csv', 'x');

    expect((await first.getBytes('artifacts/shared/load/file.csv')).toString()).toBe('first');
    expect((await second.getBytes('artifacts/shared/load/file.csv')).toString()).toBe('second');
    expect((await first.list('')).map((object) => object.key)).toEqual([
      'artifacts/shared/load/file.csv',
    ]);
    expect(await first.exists('artifacts/shared/load/only-second.csv')).toBe(false);

    await first.delete(['artifacts/shared/load/file.csv']);
    expect((await second.getBytes('artifacts/shared/load/file.csv')).toString()).toBe('second');
    expect(first.description).not.toBe(second.description);
    expect(first.description).not.toContain(secretKey);
  });

  test('a 20 MB write is published whole or not at all', async () => {
    const key = 'lakehouse/acme/dataset-4/extracts/e/part-00001.parquet';
    const content = randomBytes(20 * 1024 * 1024);
    const expected = sha256(content);
    const file = scratchFile(`${kind}-big.bin`, content);
    if (kind === 'local') {
      // A reader polling while the file is copied in sees nothing, then the whole file.
      let writing = true;
      const seen = { absent: 0, whole: 0 };
      const reader = (async () => {
        while (writing) {
          if (await store.exists(key)) {
            const bytes = await store.getBytes(key);
            expect(bytes.length).toBe(content.length);
            expect(sha256(bytes)).toBe(expected);
            seen.whole++;
          } else {
            seen.absent++;
          }
        }
      })();
      try {
        await store.putFile(key, file);
      } finally {
        writing = false;
      }
      await reader;
      expect(seen.absent).toBeGreaterThan(0);
      expect(sha256(await store.getBytes(key))).toBe(expected);
    } else {
      // S3 makes an object visible only when one PutObject (or a multipart completion) has all of it; s3rver itself
      // is not atomic (it writes metadata before the data is flushed), so prove it at the protocol: the object is
      // written by exactly one request declaring the whole length.
      const proxied = await openSaved(`atomic-${kind}`, proxy.endpoint);
      const start = proxy.requests.length;
      await proxied.putFile(key, file);
      const writes = proxy.requests
        .slice(start)
        .filter((request) => request.method !== 'GET' && request.method !== 'HEAD');
      expect(
        writes.map((request) => [
          request.method,
          request.path.endsWith(key),
          request.contentLength,
        ]),
      ).toEqual([['PUT', true, content.length]]);
      expect(sha256(await proxied.getBytes(key))).toBe(expected);
    }
  });

  test.each([
    '../x',
    '/abs',
    'a//b',
    'a/./b',
    'a/../b',
    'a/b/',
    '',
    '.hidden/x',
    'a/.tmp',
    'with space',
    'a\\b',
    'ü',
  ])('refuses the key %j before any I/O', async (key) => {
    await expect(store.putBytes(key, 'x')).rejects.toThrow(InvalidLakeKeyError);
    await expect(store.putFile(key, scratchFile('refused.bin', Buffer.from('x')))).rejects.toThrow(
      InvalidLakeKeyError,
    );
    await expect(store.getBytes(key)).rejects.toThrow(InvalidLakeKeyError);
    await expect(store.exists(key)).rejects.toThrow(InvalidLakeKeyError);
    await expect(store.localPath(key)).rejects.toThrow(InvalidLakeKeyError);
    await expect(store.delete(['artifacts/fine.csv', key])).rejects.toThrow(InvalidLakeKeyError);
    await expect(store.presignedUrl(key, 60)).rejects.toThrow(InvalidLakeKeyError);
  });

  test('refuses listing prefixes that climb out', async () => {
    await expect(store.list('../')).rejects.toThrow(InvalidLakeKeyError);
    await expect(store.list('/artifacts/')).rejects.toThrow(InvalidLakeKeyError);
    await expect(store.list('artifacts//')).rejects.toThrow(InvalidLakeKeyError);
  });

  test('check() proves that it can write, read, list and delete, and leaves nothing behind', async () => {
    const fresh = await openSaved(`check-${kind}`);
    expect(await fresh.check()).toEqual({ ok: true });
    expect(await fresh.list('')).toEqual([]);
  });

  test('a presigned URL downloads the artifact with a plain fetch, without an API key', async () => {
    const key = artifactKey('acme', 'load-9', 'batch-00001.csv');
    await store.putBytes(key, 'id\n1\n2\n');
    const url = await store.presignedUrl(key, 300);
    expect(url).not.toContain(secretKey);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('id\n1\n2\n');
  });
});
