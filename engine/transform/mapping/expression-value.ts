// Pure: the two boundaries between records and the expression engine. Columns go in with the types
// expressions compute with; results come out as plain JSON, exact for big integers and
// microseconds.
import type { PrequelType } from '../../../lib/prequel/contract/source-actions';
import { GoDuration } from '../expr/go-duration';
import { formatGoTime } from '../expr/go-time';
import { setEntry } from '../expr/runtime';

const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00';
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Integer columns become expr-lang ints (a bigint beyond 2^53, where the cache keeps exact digits
 * as text); everything else is passed as cached: decimals and timestamps as exact text (`float(x)`,
 * `date(x)` compute).
 */
export function expressionEnv(
  data: Record<string, unknown>,
  integerColumns: ReadonlySet<string>,
): Record<string, unknown> {
  // Most integers fit a double and are already numbers: the record is copied only when one does
  // not.
  let env: Record<string, unknown> | undefined;
  for (const name of integerColumns) {
    const value = data[name];
    if (typeof value === 'string' && /^-?\d+$/.test(value))
      (env ??= { ...data })[name] = BigInt(value);
  }
  return env ?? data;
}

export function integerColumnsOf(
  columns: readonly { name: string; prequel_type: PrequelType }[] | null,
): Set<string> {
  return new Set(
    (columns ?? [])
      .filter((column) => column.prequel_type === 'integer')
      .map((column) => column.name),
  );
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * bigint → number when safe, else its digits; Date → RFC 3339; duration → Go's text ("1h30m0s");
 * NaN and ±Inf are errors.
 */
export function toJsonValue(value: unknown): JsonResult {
  // Most results are text, booleans or nil, which are JSON as they are.
  if (typeof value === 'string' || typeof value === 'boolean' || value === null)
    return { ok: true, value };
  try {
    return { ok: true, value: convert(value) };
  } catch (error) {
    if (error instanceof NotJson) return { ok: false, message: error.message };
    throw error;
  }
}

class NotJson extends Error {}

function convert(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint')
    return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new NotJson(
        `the expression returned ${Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf'}, ` +
          `which JSON cannot carry`,
      );
    return value;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new NotJson('the expression returned an invalid date');
    return formatGoTime(value, RFC3339_NANO);
  }
  if (value instanceof GoDuration) return value.toString();
  if (Array.isArray(value)) return value.map(convert);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value))
      setEntry(out, key, convert((value as Record<string, unknown>)[key]));
    return out;
  }
  return value;
}
