// AWS Signature Version 4 query-string signing of a GET ("presigned URL"), as specified in the S3
// API reference (Authenticating Requests: Using Query Parameters). Hand-written with node:crypto
// because
// @aws-sdk/s3-request-presigner has no release matching our @aws-sdk/client-s3 version.
import { createHash, createHmac } from 'node:crypto';

export interface PresignCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** S3 caps SigV4 query signatures at seven days. */
export const MAX_PRESIGN_SECONDS = 604_800;

/** RFC 3986 encoding as SigV4 requires (encodeURIComponent leaves !'()* alone). */
function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');
const hmac = (key: Buffer | string, value: string) =>
  createHmac('sha256', key).update(value, 'utf8').digest();

/** `amzDate` form: 20130524T000000Z. */
function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Signs `GET objectUrl`. `objectUrl` must already carry the bucket (virtual host or path style) and
 * the key, with each path segment RFC 3986-encoded (see objectUrlPath); S3 signs the path exactly
 * as sent.
 */
export function presignS3Url(input: {
  objectUrl: URL;
  region: string;
  credentials: PresignCredentials;
  expiresInSeconds: number;
  now?: Date;
}): string {
  const { objectUrl, region, credentials, expiresInSeconds } = input;
  if (
    !Number.isInteger(expiresInSeconds) ||
    expiresInSeconds < 1 ||
    expiresInSeconds > MAX_PRESIGN_SECONDS
  ) {
    throw new Error(
      `A presigned URL must live between 1 second and 7 days, not ${expiresInSeconds} seconds.`,
    );
  }
  const timestamp = amzDate(input.now ?? new Date());
  const day = timestamp.slice(0, 8);
  const scope = `${day}/${region}/s3/aws4_request`;
  const query: [string, string][] = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', timestamp],
    ['X-Amz-Expires', String(expiresInSeconds)],
    ...(credentials.sessionToken
      ? ([['X-Amz-Security-Token', credentials.sessionToken]] as [string, string][])
      : []),
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const canonicalQuery = query
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    objectUrl.pathname,
    canonicalQuery,
    `host:${objectUrl.host}\n`,
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', timestamp, scope, sha256Hex(canonicalRequest)].join(
    '\n',
  );
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), 's3'),
    'aws4_request',
  );
  const signature = hmac(signingKey, stringToSign).toString('hex');
  return `${objectUrl.origin}${objectUrl.pathname}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

/**
 * The URL path of `key` below a bucket base URL (`https://bucket.s3.region.amazonaws.com/` or
 * `http://host/bucket`).
 */
export function objectUrl(bucketBaseUrl: URL, key: string): URL {
  const base = bucketBaseUrl.pathname.replace(/\/+$/, '');
  const url = new URL(bucketBaseUrl.toString());
  url.pathname = `${base}/${key.split('/').map(encodeRfc3986).join('/')}`;
  url.search = '';
  return url;
}
