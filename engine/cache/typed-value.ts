// Pure: turns a cached value (the source's text form) into the JSON value a record carries, losing
// nothing.
import type { PrequelType } from '../../lib/prequel/contract/source-actions';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * integer → number when it fits in 2^53, else the exact digits as a string; decimal → string
 * (exact); float → number; boolean → true/false; json → parsed; timestamp → RFC 3339; everything
 * else → text.
 */
export function typedValue(text: string | null, type: PrequelType): unknown {
  return text === null ? null : converterFor(type)(text);
}

type Converter = (text: string) => unknown;

const asText: Converter = (text) => text;

const CONVERTERS: Partial<Record<PrequelType, Converter>> = {
  integer: (text) => {
    if (!/^-?\d+$/.test(text)) return text;
    // Fifteen digits always fit a double exactly, and most integers are that short: no BigInt
    // needed ("-0" is 0).
    if (text.length <= 15) return Number(text) || 0;
    const big = BigInt(text);
    return big <= MAX_SAFE && big >= -MAX_SAFE ? Number(big) : text;
  },
  float: (text) => {
    const number = Number(text);
    return Number.isFinite(number) ? number : text;
  },
  boolean: (text) => BOOLEAN_TEXT[text.toLowerCase()] ?? text,
  json: (text) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  },
  timestamp: (text) => toRfc3339Timestamp(text),
};

/**
 * typedValue for one type, looked up once: a reader converts a column's every value with it (never
 * null).
 */
export function converterFor(type: PrequelType): Converter {
  return CONVERTERS[type] ?? asText;
}

const BOOLEAN_TEXT: Record<string, boolean> = {
  t: true,
  true: true,
  '1': true,
  f: false,
  false: false,
  '0': false,
};

const POSTGRES_UTC = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?\+00$/;

/**
 * `2026-01-01 10:00:00.123456+00` (Postgres, UTC session) or `2026-01-01 10:00:00.123456` (MySQL
 * DATETIME, UTC) → `2026-01-01T10:00:00.123456Z`. Other offsets are kept as `+hh:mm`; anything
 * unrecognised passes through.
 */
export function toRfc3339Timestamp(text: string): string {
  // The usual shape (Postgres in UTC) is rewritten by slicing, without a match to allocate.
  if (POSTGRES_UTC.test(text)) return `${text.slice(0, 10)}T${text.slice(11, -3)}Z`;
  const match =
    /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(?:([+-]\d{2})(?::?(\d{2}))?|Z)?$/.exec(
      text,
    );
  if (!match) return text;
  const [, date, time, fraction = '', offsetHours, offsetMinutes = '00'] = match;
  const zone =
    offsetHours === undefined ||
    (offsetHours === '+00' && offsetMinutes === '00') ||
    offsetHours === '-00'
      ? 'Z'
      : `${offsetHours}:${offsetMinutes}`;
  return `${date}T${time}${fraction}${zone}`;
}
