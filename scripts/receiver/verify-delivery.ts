// Guards a receiving endpoint: decides whether a delivery really comes from the engine, unaltered
// and recent, exactly as a SaaS should check it (api-contract §5). Pure, and only node:crypto, so
// docs can quote it whole.
import {
  constants,
  createHash,
  createPublicKey,
  type KeyObject,
  timingSafeEqual,
  verify,
} from 'node:crypto';

export const DELIVERY_HEADERS = {
  timestamp: 'x-prequel-webhook-timestamp',
  signature: 'x-prequel-webhook-signature',
  digest: 'x-prequel-webhook-digest',
  provider: 'x-prequel-import-provider',
  deliveryId: 'x-prequel-delivery-id',
} as const;

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Node's `IncomingHttpHeaders` (lower-case names) or a fetch `Headers`. */
export type DeliveryHeaders = Headers | Readonly<Record<string, string | string[] | undefined>>;

export type VerificationFailure =
  | 'missing_header'
  | 'invalid_header'
  | 'invalid_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'digest_mismatch'
  | 'signature_mismatch';

export type DeliveryVerdict =
  | { ok: true; timestamp: string; provider: string; deliveryId: string }
  | { ok: false; reason: VerificationFailure; message: string };

export interface VerifyDeliveryInput {
  headers: DeliveryHeaders;
  /** The body bytes exactly as received, before any parsing. */
  rawBody: Uint8Array | string;
  /**
   * The engine's RSA public key, as PEM or an already parsed key (parsing once is faster under
   * load).
   */
  publicKey: string | KeyObject;
  /** Milliseconds since the epoch; defaults to the clock. */
  nowMs?: number;
  toleranceSeconds?: number;
}

// RFC 3339 date-time: Date.parse alone would also take "2026-01-01" or "Jan 1 2026".
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
// Delivery ids are echoed into logs and used as keys: printable ASCII of a sane length only.
const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/;

const fail = (reason: VerificationFailure, message: string): DeliveryVerdict => ({
  ok: false,
  reason,
  message,
});

export function verifyDelivery(input: VerifyDeliveryInput): DeliveryVerdict {
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowMs = input.nowMs ?? Date.now();
  const body =
    typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;

  const values: Partial<Record<keyof typeof DELIVERY_HEADERS, string>> = {};
  for (const [name, header] of Object.entries(DELIVERY_HEADERS) as [
    keyof typeof DELIVERY_HEADERS,
    string,
  ][]) {
    const value = headerValue(input.headers, header);
    if (value === undefined || value === '')
      return fail('missing_header', `The ${canonical(header)} header is missing.`);
    if (value === null)
      return fail('invalid_header', `The ${canonical(header)} header was sent more than once.`);
    values[name] = value.trim();
  }
  const { timestamp, signature, digest, provider, deliveryId } = values as Required<typeof values>;

  if (!DELIVERY_ID.test(deliveryId))
    return fail(
      'invalid_header',
      `The ${canonical(DELIVERY_HEADERS.deliveryId)} header must be 1–200 printable ASCII ` +
        `characters.`,
    );

  const sentAt = parseRfc3339(timestamp);
  if (sentAt === null)
    return fail(
      'invalid_timestamp',
      `The ${canonical(DELIVERY_HEADERS.timestamp)} header is not an RFC 3339 date-time: ` +
        `"${timestamp.slice(0, 64)}".`,
    );
  const skewSeconds = (nowMs - sentAt) / 1000;
  if (skewSeconds > tolerance)
    return fail(
      'stale_timestamp',
      `The delivery was signed ${Math.round(skewSeconds)} s ago; at most ${tolerance} s is ` +
        `accepted (a replay, or a clock that is behind).`,
    );
  if (-skewSeconds > tolerance)
    return fail(
      'future_timestamp',
      `The delivery is dated ${Math.round(-skewSeconds)} s in the future; at most ${tolerance} s ` +
        `is accepted (a clock that is ahead).`,
    );

  // The digest is checked first because it names the most common bug, hashing other bytes than
  // those sent; it proves nothing about authenticity (anyone can hash a body), the signature below
  // does.
  if (!HEX.test(digest) || digest.length !== 64)
    return fail(
      'digest_mismatch',
      `The ${canonical(DELIVERY_HEADERS.digest)} header is not a hex SHA-256.`,
    );
  const actualDigest = createHash('sha256').update(body).digest();
  if (!timingSafeEqual(actualDigest, Buffer.from(digest, 'hex'))) {
    return fail(
      'digest_mismatch',
      `The ${canonical(DELIVERY_HEADERS.digest)} header does not match the SHA-256 of the body ` +
        `received (the body was altered, or other bytes were hashed).`,
    );
  }

  if (!HEX.test(signature))
    return fail(
      'signature_mismatch',
      `The ${canonical(DELIVERY_HEADERS.signature)} header is not hex.`,
    );
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), body]);
  const key =
    typeof input.publicKey === 'string' ? createPublicKey(input.publicKey) : input.publicKey;
  const valid = verify(
    'sha256',
    signed,
    { key, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(signature, 'hex'),
  );
  if (!valid)
    return fail(
      'signature_mismatch',
      'The signature does not verify with the engine’s public key over timestamp + "." + body.',
    );

  return { ok: true, timestamp, provider, deliveryId };
}

/**
 * Milliseconds since the epoch, or null unless the text is a real RFC 3339 date-time (no 31
 * February).
 */
export function parseRfc3339(text: string): number | null {
  const match = RFC3339.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const ms = Date.parse(text.toUpperCase());
  if (!Number.isFinite(ms)) return null;
  // Date.parse rolls 2026-02-31 over into March; a calendar round-trip catches it.
  const calendar = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  if (
    calendar.getUTCMonth() !== month! - 1 ||
    calendar.getUTCDate() !== day! ||
    hour! > 23 ||
    minute! > 59 ||
    second! > 59
  )
    return null;
  return ms;
}

/**
 * The header's value; undefined when absent, null when it came as a list (Node keeps only some as
 * arrays).
 */
function headerValue(headers: DeliveryHeaders, name: string): string | null | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const direct = headers[name];
  const value = direct ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  if (Array.isArray(value)) return value.length === 1 ? value[0] : null;
  return value;
}

const canonical = (header: string) =>
  header.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());

/**
 * Parses the engine's key once and insists on RSA, so a wrong file fails at start, not on every
 * delivery.
 */
export function parseEnginePublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'rsa')
    throw new Error(
      `The engine's public key must be RSA (PKCS#1 v1.5 signatures); this one is ` +
        `${key.asymmetricKeyType ?? 'unknown'}.`,
    );
  return key;
}
