// How plain JS data looks to a Go template: its Go kind, type name, truth, fields and JSON text.
// Field reads see own data properties only, never prototypes or getters: templates come from users.

/**
 * A float64 whose value happens to be integral. JS cannot tell 1.0 from 1, but Go can: the literal
 * `1.0` is a float64 and prints as `1`, while `eq 1 1.0` fails. Data numbers never need this
 * wrapper.
 */
export class GoFloat {
  constructor(readonly value: number) {}
}

/** A Go-style error raised by a function or a value operation; the executor adds the location. */
export class GoError extends Error {}

/** A render bound was hit (output size, steps, nesting): reported as is, never wrapped. */
export class LimitError extends Error {}

export type Kind =
  'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'time' | 'func' | 'unsupported';

export type GoMap = Record<string, unknown>;

const INT64_LIMIT = 2 ** 63;

export function kindOf(value: unknown): Kind {
  if (value === null || value === undefined) return 'nil';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'bigint':
      return 'int';
    case 'number':
      // Integral numbers are Go ints, so IDs and counts print without an exponent; the rest are
      // float64.
      return Number.isInteger(value) && value >= -INT64_LIMIT && value < INT64_LIMIT
        ? 'int'
        : 'float';
    case 'function':
      return 'func';
    case 'object':
      if (value instanceof GoFloat) return 'float';
      if (Array.isArray(value)) return 'slice';
      if (value instanceof Date) return 'time';
      return 'map';
    default:
      return 'unsupported';
  }
}

/** The Go type a value would have after decoding JSON into interface{}, for messages and %T. */
export function typeName(value: unknown): string {
  switch (kindOf(value)) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'time':
      return 'time.Time';
    case 'func':
      return 'func()';
    case 'unsupported':
      return typeof value;
  }
}

export function floatValue(value: unknown): number {
  return value instanceof GoFloat ? value.value : Number(value);
}

export function bigIntValue(value: unknown): bigint {
  return typeof value === 'bigint' ? value : BigInt(value as number);
}

/** Ints stay JS numbers while exact, and become bigints beyond that. */
export function goInt(value: bigint | number): number | bigint {
  if (typeof value === 'number') return value;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

export function ownKeys(map: object): string[] {
  return Object.keys(map).filter((key) => key !== '__proto__');
}

/**
 * An own, enumerable data property, or undefined: prototypes, `__proto__` and getters read as
 * missing.
 */
export function ownField(map: object, key: string): unknown {
  if (key === '__proto__') return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(map, key);
  return descriptor?.enumerable && 'value' in descriptor ? descriptor.value : undefined;
}

export function hasOwnField(map: object, key: string): boolean {
  return key !== '__proto__' && Object.prototype.hasOwnProperty.call(map, key);
}

const utf8 = new TextEncoder();

/** Go strings are bytes: len and index count UTF-8 bytes. */
export function utf8Bytes(s: string): Uint8Array {
  return utf8.encode(s);
}

export function utf8Length(s: string): number {
  let length = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (
      c >= 0xd800 &&
      c < 0xdc00 &&
      i + 1 < s.length &&
      (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

/**
 * Go's truth: zero values, nil and empty collections are false; ok is false when Go has no answer.
 */
export function isTrue(value: unknown): { truth: boolean; ok: boolean } {
  switch (kindOf(value)) {
    case 'nil':
      return { truth: false, ok: true };
    case 'bool':
      return { truth: value === true, ok: true };
    case 'int':
      return { truth: bigIntValue(value) !== 0n, ok: true };
    case 'float':
      return { truth: floatValue(value) !== 0, ok: true };
    case 'string':
      return { truth: (value as string).length > 0, ok: true };
    case 'slice':
      return { truth: (value as unknown[]).length > 0, ok: true };
    case 'map':
      return { truth: ownKeys(value as object).length > 0, ok: true };
    case 'time':
    case 'func':
      return { truth: true, ok: true };
    case 'unsupported':
      return { truth: false, ok: false };
  }
}

export function truth(value: unknown): boolean {
  return isTrue(value).truth;
}

/**
 * Data deeper than this is refused rather than walked, so cyclic or hostile data cannot blow the
 * stack.
 */
export const MAX_DATA_DEPTH = 500;

export function checkDataDepth(depth: number): void {
  if (depth > MAX_DATA_DEPTH)
    throw new GoError(`value is nested more than ${MAX_DATA_DEPTH} levels deep (or is cyclic)`);
}

/** RFC 3339 in UTC, with milliseconds only when there are some. */
export function formatTime(date: Date): string {
  if (Number.isNaN(date.getTime())) return '<invalid time>';
  return date.toISOString().replace('.000Z', 'Z');
}

/**
 * Compact JSON of a record or list, for the `AsJson` field. bigints are written as exact integers.
 */
export function toJsonText(value: unknown): string {
  return jsonText(value, 0) ?? 'null';
}

function jsonText(value: unknown, depth: number): string | undefined {
  checkDataDepth(depth);
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  if (value instanceof GoFloat) return JSON.stringify(value.value);
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'null' : JSON.stringify(value.toISOString());
  if (Array.isArray(value))
    return `[${value.map((item) => jsonText(item, depth + 1) ?? 'null').join(',')}]`;
  const members: string[] = [];
  for (const key of ownKeys(value as object)) {
    const text = jsonText(ownField(value as object, key), depth + 1);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

/**
 * Go compares strings bytewise, which for UTF-8 is code point order (JS `<` compares UTF-16 units).
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** Keys in the order Go visits map[string]… entries when ranging and printing. */
export function sortedKeys(map: object): string[] {
  return ownKeys(map).sort(compareStrings);
}
