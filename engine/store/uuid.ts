// UUIDs: the ids the engine mints (time-ordered v7), and the check that an id a caller gives can be
// one.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const UuidSchema = z.uuid();

/**
 * Whether an id from a URL or a query can name a row of a uuid-keyed table (Postgres rejects any
 * other as a uuid).
 */
export function isUuid(value: string): boolean {
  return UuidSchema.safeParse(value).success;
}

/** A time-ordered UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version, variant, random bits. */
export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  const groups = [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ];
  return groups.join('-');
}
