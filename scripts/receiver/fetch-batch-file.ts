// Guards the receiver's only outbound request: a batch file is fetched only from loopback or the
// engine's host, without following redirects, within a time and size budget, then read into
// records.
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BatchFileFormat } from './classify-delivery';
import type { JsonValue } from './json-value';
import { CsvError, csvRecords, parseCsv } from './parse-csv';
import type { ParquetReader } from './read-parquet-rows';

const isRedirect = (status: number) => status >= 300 && status < 400;
export type BatchFileFailure =
  'download_host_not_allowed' | 'download_failed' | 'download_too_large' | 'unreadable_file';

/**
 * Permanent problems answer 4xx (the sender must not retry); a failed download answers 502 so the
 * sender retries.
 */
const STATUS_OF: Record<BatchFileFailure, number> = {
  download_host_not_allowed: 400,
  download_failed: 502,
  download_too_large: 413,
  unreadable_file: 422,
};

export class BatchFileError extends Error {
  readonly status: number;
  constructor(
    readonly reason: BatchFileFailure,
    message: string,
  ) {
    super(message);
    this.name = 'BatchFileError';
    this.status = STATUS_OF[reason];
  }
}

export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export interface FetchBatchFileOptions {
  /** Host names (as URL.hostname spells them) a presigned URL may point at. */
  allowedHosts: ReadonlySet<string>;
  timeoutMs: number;
  maxBytes: number;
  parquet: ParquetReader;
}

export interface BatchFile {
  records: JsonValue[];
  bytes: number;
}

export async function fetchBatchFile(
  presignedUrl: string,
  format: BatchFileFormat,
  options: FetchBatchFileOptions,
): Promise<BatchFile> {
  let url: URL;
  try {
    url = new URL(presignedUrl);
  } catch {
    throw new BatchFileError('download_host_not_allowed', 'The presigned_url is not a URL.');
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    !options.allowedHosts.has(url.hostname.toLowerCase())
  ) {
    // A receiver that fetched any URL it is sent would be an SSRF gadget for whoever can sign.
    throw new BatchFileError(
      'download_host_not_allowed',
      `The presigned_url points at ${url.protocol}//${url.hostname}, which is not the engine's ` +
        `host or loopback.`,
    );
  }
  const body = await download(url, options);
  return { records: await readRecords(body, format, options.parquet), bytes: body.length };
}

async function download(url: URL, options: FetchBatchFileOptions): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new BatchFileError(
      'download_failed',
      `Downloading the batch file failed: ${describe(error)}.`,
    );
  }
  if (response.status !== 200 || !response.body) {
    await response.body?.cancel();
    throw new BatchFileError(
      'download_failed',
      `Downloading the batch file answered ` +
        `${response.status}${isRedirect(response.status) ? ' (redirects are not followed)' : ''}.`,
    );
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) {
    await response.body.cancel();
    throw new BatchFileError(
      'download_too_large',
      `The batch file is ${declared} bytes; this receiver reads at most ${options.maxBytes}.`,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > options.maxBytes) {
        await response.body.cancel().catch(() => {});
        throw new BatchFileError(
          'download_too_large',
          `The batch file is over ${options.maxBytes} bytes, the most this receiver reads.`,
        );
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof BatchFileError) throw error;
    throw new BatchFileError(
      'download_failed',
      `Downloading the batch file failed midway: ${describe(error)}.`,
    );
  }
  return Buffer.concat(chunks, size);
}

async function readRecords(
  body: Buffer,
  format: BatchFileFormat,
  parquet: ParquetReader,
): Promise<JsonValue[]> {
  if (format === 'csv') {
    try {
      return csvRecords(parseCsv(body.toString('utf8')));
    } catch (error) {
      if (error instanceof CsvError)
        throw new BatchFileError(
          'unreadable_file',
          `The CSV batch file is malformed: ${error.message}.`,
        );
      throw error;
    }
  }
  // DuckDB reads Parquet from a file; the name is random so concurrent batches never share one.
  const file = path.join(
    os.tmpdir(),
    `inlet-receiver-${process.pid}-${randomBytes(8).toString('hex')}.parquet`,
  );
  try {
    await writeFile(file, body);
    return await parquet.readRows(file);
  } catch (error) {
    throw new BatchFileError(
      'unreadable_file',
      `The Parquet batch file cannot be read: ${describe(error)}.`,
    );
  } finally {
    await rm(file, { force: true });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'it timed out';
  const cause =
    error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}
