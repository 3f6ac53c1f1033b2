// Pure: fits a column value to the JSON type its target field declares, only when nothing is lost
// (integer → string, exact decimal text → number, "true" → boolean, …); otherwise says why not and
// what to do.
import { emptyLiteral } from '../../../lib/prequel/contract/empty-literal';
import type { PrequelType } from '../../../lib/prequel/contract/source-actions';
import { canonicalNumber, exactNumber } from './exact-number';
import type { JsonType } from './schema-targets';

export type Conversion = { ok: true; value: unknown } | { ok: false; message: string; fix: string };

const NUMERIC_COLUMNS: ReadonlySet<PrequelType> = new Set(['integer', 'decimal', 'float']);
const TIME_COLUMNS: ReadonlySet<PrequelType> = new Set(['timestamp', 'date', 'time']);
const NOT_CONVERTIBLE = Symbol('not convertible');

/**
 * `types` are the field's declared non-null JSON types; `ref` is how an expression would name the
 * value (the column name), for the suggested fix.
 */
export function convertFieldValue(
  value: unknown,
  columnType: PrequelType | null,
  types: readonly JsonType[],
  ref: string,
): Conversion {
  if (matchesJsonType(value, types)) return { ok: true, value };
  for (const type of types) {
    const converted = convertTo(type, value, columnType);
    if (converted !== NOT_CONVERTIBLE) return { ok: true, value: converted };
  }
  return { ok: false, ...describeMismatch(value, columnType, types, ref) };
}

export function matchesJsonType(value: unknown, types: readonly JsonType[]): boolean {
  // A loop, not types.some(…): this runs for every mapped field of every record.
  for (const type of types) if (isJsonType(value, type)) return true;
  return false;
}

function isJsonType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

function convertTo(type: JsonType, value: unknown, columnType: PrequelType | null): unknown {
  switch (type) {
    case 'string':
      // A double prints as the shortest text that reads back as itself, so this keeps every digit.
      return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean'
        ? String(value)
        : NOT_CONVERTIBLE;
    case 'number':
    case 'integer': {
      if (typeof value !== 'string') return NOT_CONVERTIBLE;
      // Numeric columns arrive as exact decimal text ("1234.5600"); other text converts only when
      // it is already spelled the way JSON writes that number ("042" is a code, not 42).
      const number = safeNumber(
        columnType !== null && NUMERIC_COLUMNS.has(columnType)
          ? exactNumber(value)
          : canonicalNumber(value),
      );
      return number === undefined || (type === 'integer' && !Number.isInteger(number))
        ? NOT_CONVERTIBLE
        : number;
    }
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : NOT_CONVERTIBLE;
    default:
      return NOT_CONVERTIBLE;
  }
}

/**
 * Whole numbers only up to 2^53 - 1: beyond it a receiver cannot tell neighbouring integers apart.
 */
function safeNumber(number: number | undefined): number | undefined {
  return number !== undefined && (!Number.isInteger(number) || Number.isSafeInteger(number))
    ? number
    : undefined;
}

/** A one-line rendering of a value for messages. */
export function showValue(value: unknown): string {
  const text =
    typeof value === 'string'
      ? JSON.stringify(value)
      : typeof value === 'bigint'
        ? String(value)
        : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function kindOf(value: unknown, columnType: PrequelType | null): string {
  if (value === null || value === undefined) return 'NULL';
  if (columnType === 'timestamp') return 'a timestamp';
  if (columnType === 'date') return 'a date';
  if (columnType === 'time') return 'a time of day';
  if (columnType === 'decimal') return 'a decimal number';
  if (columnType === 'integer') return 'an integer';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}

const typeList = (types: readonly JsonType[]) =>
  types
    .map((type) =>
      type === 'integer'
        ? 'an integer'
        : type === 'array' || type === 'object'
          ? `an ${type}`
          : `a ${type}`,
    )
    .join(' or ');

/** Why a value does not fit the declared types, and the change that would make it fit. */
export function describeMismatch(
  value: unknown,
  columnType: PrequelType | null,
  types: readonly JsonType[],
  ref: string,
): { message: string; fix: string } {
  const wanted: JsonType[] = types.filter((type) => type !== 'null');
  const wants = (type: JsonType) => wanted.includes(type);
  const shown = showValue(value);
  const kind = kindOf(value, columnType);
  if (value === null || value === undefined) {
    return {
      message: `is NULL for this record, but record_schema wants ${typeList(wanted)}`,
      fix:
        `allow null in record_schema ("type": ` +
        `[${[...wanted, 'null'].map((type) => `"${type}"`).join(', ')}]), or map an expression ` +
        `with a default such as ${ref} ?? ${emptyLiteral(wanted[0]) ?? '""'}`,
    };
  }
  if (wants('number') || wants('integer')) {
    // Digits that came from a numeric column, or (from an expression) digits that a double cannot
    // hold.
    const numericText =
      typeof value === 'string' &&
      (columnType !== null
        ? NUMERIC_COLUMNS.has(columnType)
        : /^-?\d+(\.\d+)?$/.test(value) && safeNumber(exactNumber(value)) === undefined);
    if (numericText || typeof value === 'number' || typeof value === 'bigint') {
      const number = Number(value);
      const text = typeof value === 'string' ? value : shown;
      // Cut like showValue, without the quotes: the digits are what the message is about.
      const digits = text.length > 60 ? `${text.slice(0, 57)}…` : text;
      if (!Number.isFinite(number)) {
        return {
          message: `${digits} is not a finite number, and JSON has no way to write it`,
          fix:
            `map an expression that replaces it, such as IF(${ref} == ` +
            `${digits === text ? JSON.stringify(text) : '"…"'}, nil, float(${ref}))`,
        };
      }
      if (Number.isFinite(number) && !Number.isInteger(number) && !wants('number')) {
        return {
          message: `${digits} is not a whole number`,
          fix:
            `make the field a number in record_schema, or round it with an expression such as ` +
            `int(float(${ref}))`,
        };
      }
      return {
        message:
          exactNumber(text) === undefined
            ? `${digits} has more digits than a JSON number can hold exactly (it would arrive as ` +
              `${String(number)})`
            : `${digits} is beyond 2^53, where JSON numbers no longer hold every whole number ` +
              `exactly`,
        fix:
          `map it to a field of type string to keep every digit (the expression ` +
          `string(${ref}) gives the exact digits), or use float(${ref}) if an approximate number ` +
          `will do`,
      };
    }
    if (columnType !== null && TIME_COLUMNS.has(columnType)) {
      return {
        message: `${shown} is ${kind}, not a number`,
        fix:
          `use an expression such as date(${ref}).Unix() for seconds since 1970, or make the ` +
          `field a string`,
      };
    }
    if (typeof value === 'boolean')
      return {
        message: `${shown} is a boolean, not a number`,
        fix: `use an expression such as IF(${ref}, 1, 0)`,
      };
    if (typeof value === 'string') {
      return {
        message:
          `${columnType === null ? 'the value is' : 'the column holds'} text (${shown}), ` +
          `not a number`,
        fix:
          `use an expression like ` +
          `${wants('integer') && !wants('number') ? 'int' : 'float'}(${ref}) to read the text as ` +
          `a number`,
      };
    }
  }
  if (wants('boolean')) {
    if (typeof value === 'string')
      return {
        message: `${shown} is text, not a boolean (only "true" and "false" convert)`,
        fix: `use a comparison such as ${ref} == "yes"`,
      };
    if (typeof value === 'number')
      return {
        message: `${shown} is a number, not a boolean`,
        fix: `use a comparison such as ${ref} != 0`,
      };
  }
  if (wants('string') && typeof value === 'object') {
    return {
      message: `${kind} cannot be a string field as is`,
      fix:
        `use toJSON(${ref}) to send it as JSON text, or make the field an ` +
        `${Array.isArray(value) ? 'array' : 'object'}`,
    };
  }
  if ((wants('object') || wants('array')) && typeof value === 'string') {
    return {
      message: `${shown} is text, not ${typeList(wanted)}`,
      fix: `use fromJSON(${ref}) if the text holds JSON`,
    };
  }
  return {
    message: `${shown} is ${kind}, but record_schema wants ${typeList(wanted)}`,
    fix:
      `change the field's type in record_schema, or map an expression that produces ` +
      `${typeList(wanted)}`,
  };
}
