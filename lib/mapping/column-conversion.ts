// Pure: how a column's values become a target field's type: as they are, or through an expression
// of our expr-lang interpreter (int, float, string, toJSON, TIMESTAMPVALUE…), judged by the column
// type and its samples.
import { EXPR_LITERAL_WORDS, EXPR_OPERATOR_WORDS } from '@/lib/prequel/contract/expr-words';
import type { PrequelType } from '@/lib/prequel/contract/source-actions';
import type { TargetField } from './target-fields';
import { presentSamples } from './sample-kinds';

/**
 * What a conversion needs to know about a column; `samples` are JSON values from cached records.
 */
export type ColumnValues = { name: string; prequel_type: PrequelType; samples: readonly unknown[] };

/**
 * How sure we are that every value converts: by type alone, losing nothing, or only judging by the
 * samples.
 */
export type Fit = 'native' | 'lossless' | 'by-samples' | 'uncertain';

export type Conversion = {
  /** The expression to map, or null to map the column as it is. */
  expr: string | null;
  fit: Fit;
  /** Part of a suggestion's reason, in plain words: "both text", "decimal read as a number". */
  phrase: string;
  /** A sentence for a suggested fix: what the expression does to the value. */
  explanation: string;
  /**
   * A score adjustment from the allowed values: up when the samples are all allowed, down when some
   * are not.
   */
  bonus: number;
};

const FIT_RANK: Record<Fit, number> = { native: 0, lossless: 1, 'by-samples': 2, uncertain: 3 };

function fitRank(fit: Fit): number {
  return FIT_RANK[fit];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Words the expression language reads as operators or literals, so a column named so must be
// spelled $env["…"].
const RESERVED = new Set([...EXPR_OPERATOR_WORDS, ...EXPR_LITERAL_WORDS]);

/**
 * How an expression names a column: bare when it is an identifier, otherwise `$env["First Name"]`.
 */
export function columnRef(name: string): string {
  return IDENTIFIER.test(name) && !RESERVED.has(name) ? name : `$env[${JSON.stringify(name)}]`;
}

/**
 * A NULL goes through as NULL instead of failing the conversion (int(nil) is an error, IF is lazy).
 */
export function keepNull(ref: string, inner: string, nullable = true): string {
  return nullable ? `IF(${ref} == nil, nil, ${inner})` : inner;
}

/** Without samples we cannot tell, so we assume NULLs can occur. */
export function mayBeNull(samples: readonly unknown[]): boolean {
  return samples.length === 0 || samples.some((sample) => sample === null || sample === undefined);
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const WHOLE_DECIMAL_TEXT = /^[+-]?\d+(?:\.0*)?$/;
// What float() accepts (strconv.ParseFloat), without inf and nan, which JSON cannot carry.
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// RFC 3339 as JSON Schema's date-time format wants it.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
// What TIMESTAMPVALUE() reads: ISO dates and timestamps with `T` or a space, optional seconds,
// fraction and offset.
const TIMESTAMP_TEXT =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const TRUE_WORDS = ['t', 'true', 'yes', 'y', '1'];
const BOOLEAN_WORDS = new Set([...TRUE_WORDS, 'f', 'false', 'no', 'n', '0']);

/** True for t, true, yes, y and 1 in any case; `text` is an expression that gives text. */
export function trueWordsTest(text: string): string {
  return `lower(${text}) in [${TRUE_WORDS.map((word) => JSON.stringify(word)).join(', ')}]`;
}
export const TRUE_WORDS_EXPLANATION =
  'Reads t, true, yes, y and 1 as true, anything else as false.';

const TEXT_COLUMNS: ReadonlySet<PrequelType> = new Set(['string', 'uuid']);

function allSamples(column: ColumnValues, test: (sample: unknown) => boolean): boolean {
  const present = presentSamples(column.samples);
  return present.length > 0 && present.every(test);
}

const isText = (test: (text: string) => boolean) => (sample: unknown) =>
  typeof sample === 'string' && test(sample);

function conversion(
  expr: string | null,
  fit: Fit,
  phrase: string,
  explanation: string,
  bonus = 0,
): Conversion {
  return { expr, fit, phrase, explanation, bonus };
}

function toDateTime(column: ColumnValues, ref: string): Conversion | null {
  const toTimestamp = `TIMESTAMPVALUE(${ref})`;
  const explanation = 'Rewrites the value as an ISO 8601 timestamp in UTC (2024-01-02T10:20:30Z).';
  switch (column.prequel_type) {
    case 'timestamp':
      return conversion(null, 'native', 'both timestamps', explanation);
    case 'date':
      return conversion(
        toTimestamp,
        'lossless',
        'dates sent as timestamps at midnight UTC',
        explanation,
      );
    case 'string':
      if (
        allSamples(
          column,
          isText((text) => RFC3339.test(text)),
        )
      )
        return conversion(null, 'by-samples', 'the text holds ISO 8601 timestamps', explanation);
      if (
        allSamples(
          column,
          isText((text) => TIMESTAMP_TEXT.test(text.trim())),
        )
      )
        return conversion(
          toTimestamp,
          'by-samples',
          'text timestamps rewritten as ISO 8601',
          explanation,
        );
      return null;
    default:
      return null;
  }
}

function toDate(column: ColumnValues, ref: string): Conversion | null {
  const datePart = `LEFT(TIMESTAMPVALUE(${ref}), 10)`;
  const explanation = 'Keeps the date part of the timestamp, in UTC (2024-01-02).';
  switch (column.prequel_type) {
    case 'date':
      return conversion(null, 'native', 'both dates', explanation);
    case 'timestamp':
      return conversion(datePart, 'lossless', 'the date part of the timestamp', explanation);
    case 'string':
      if (
        allSamples(
          column,
          isText((text) => DATE_TEXT.test(text)),
        )
      )
        return conversion(null, 'by-samples', 'the text holds dates', explanation);
      if (
        allSamples(
          column,
          isText((text) => TIMESTAMP_TEXT.test(text.trim())),
        )
      )
        return conversion(
          datePart,
          'by-samples',
          'the date part of the text timestamps',
          explanation,
        );
      return null;
    default:
      return null;
  }
}

const ENUM_MATCH_BONUS = 0.05;
const ENUM_MISMATCH_PENALTY = -0.3;

export function allowedStrings(field: TargetField): string[] | null {
  const allowed = field.enum;
  return allowed && allowed.length > 0 && allowed.every((value) => typeof value === 'string')
    ? (allowed as string[])
    : null;
}

/**
 * Whether the samples, as the text a conversion makes of them, are all allowed: a bonus, or a
 * penalty and a caveat.
 */
function judgedByEnum(converted: Conversion, field: TargetField, column: ColumnValues): Conversion {
  const allowed = allowedStrings(field);
  const present = presentSamples(column.samples);
  if (!allowed || present.length === 0) return converted;
  const texts = present.map((sample) =>
    typeof sample === 'string' ? sample : JSON.stringify(sample),
  );
  return texts.every((text) => allowed.includes(text))
    ? { ...converted, bonus: ENUM_MATCH_BONUS }
    : {
        ...converted,
        phrase: `${converted.phrase}, but some values are not in the allowed list`,
        bonus: ENUM_MISMATCH_PENALTY,
      };
}

export function shownAllowed(allowed: readonly string[]): string {
  return allowed.slice(0, 4).join(', ') + (allowed.length > 4 ? ', …' : '');
}

/**
 * The change of case (after trimming, if need be) that makes every text one of the allowed values,
 * as an expression on `ref`; null when no such change does.
 */
export function caseFixFor(
  texts: readonly string[],
  allowed: readonly string[],
  ref: string,
  nullable: boolean,
): Omit<Conversion, 'fit' | 'bonus'> | null {
  const list = new Set(allowed);
  for (const fn of ['lower', 'upper'] as const) {
    const change =
      fn === 'lower' ? (text: string) => text.toLowerCase() : (text: string) => text.toUpperCase();
    if (texts.every((text) => list.has(change(text)))) {
      return {
        expr: keepNull(ref, `${fn}(${ref})`, nullable),
        phrase: `values ${fn}-cased to match the allowed list`,
        explanation:
          `Changes the value to ${fn} case so it matches the allowed values ` +
          `(${shownAllowed(allowed)}).`,
      };
    }
    if (texts.every((text) => list.has(change(text.trim())))) {
      return {
        expr: keepNull(ref, `${fn}(trim(${ref}))`, nullable),
        phrase: `values trimmed and ${fn}-cased to match the allowed list`,
        explanation:
          `Removes surrounding spaces and changes the value to ${fn} case so it ` +
          `matches the allowed values (${shownAllowed(allowed)}).`,
      };
    }
  }
  return null;
}

/**
 * Text samples against a list of allowed strings: all allowed, allowed once lower- or upper-cased,
 * or not.
 */
function fitEnum(
  field: TargetField,
  column: ColumnValues,
  ref: string,
  nullable: boolean,
): Conversion | null {
  const allowed = allowedStrings(field);
  if (!allowed) return null;
  const present = presentSamples(column.samples);
  if (present.length === 0 || !present.every((sample) => typeof sample === 'string')) return null;
  const texts = present as string[];
  if (texts.every((text) => allowed.includes(text)))
    return conversion(
      null,
      'native',
      'values match the allowed list',
      `Keeps the value as it is (${shownAllowed(allowed)}).`,
      ENUM_MATCH_BONUS,
    );
  const fixed = caseFixFor(texts, allowed, ref, nullable);
  if (fixed) return { ...fixed, fit: 'by-samples', bonus: 0 };
  return conversion(
    null,
    'by-samples',
    'but some values are not in the allowed list',
    `Keeps the value as it is; some values are not among ${shownAllowed(allowed)}.`,
    ENUM_MISMATCH_PENALTY,
  );
}

function toText(field: TargetField, column: ColumnValues, ref: string): Conversion | null {
  if (field.format === 'date-time') return toDateTime(column, ref);
  if (field.format === 'date') return toDate(column, ref);
  const converted = asText(column, ref);
  if (TEXT_COLUMNS.has(column.prequel_type))
    return fitEnum(field, column, ref, mayBeNull(column.samples)) ?? converted;
  return judgedByEnum(converted, field, column);
}

function asText(column: ColumnValues, ref: string): Conversion {
  const nullable = mayBeNull(column.samples);
  const explainString = 'Sends the value as text, so 42 becomes "42".';
  switch (column.prequel_type) {
    case 'string':
    case 'uuid':
      return conversion(null, 'native', 'both text', 'Keeps the text as it is.');
    case 'timestamp':
    case 'date':
    case 'time':
      return conversion(
        null,
        'lossless',
        `${column.prequel_type === 'time' ? 'times' : `${column.prequel_type}s`} sent as text`,
        explainString,
      );
    case 'decimal':
      // Decimals arrive as their exact digits already.
      return conversion(null, 'lossless', 'the exact decimal sent as text', explainString);
    case 'integer':
    case 'float':
      return conversion(
        keepNull(ref, `string(${ref})`, nullable),
        'lossless',
        'numbers sent as text',
        explainString,
      );
    case 'boolean':
      return conversion(
        keepNull(ref, `string(${ref})`, nullable),
        'lossless',
        'true/false sent as text',
        'Sends true or false as the text "true" or "false".',
      );
    case 'json':
    case 'array':
      return conversion(
        keepNull(ref, `toJSON(${ref})`, nullable),
        'lossless',
        'JSON sent as text',
        'Sends the value as JSON text.',
      );
    case 'bytes':
      return conversion(null, 'uncertain', 'binary data sent as text', explainString);
  }
}

// Beyond 2^53 the cache keeps an integer's digits as text, and no JSON number holds them exactly.
const hasHugeIntegers = (column: ColumnValues) =>
  column.prequel_type === 'integer' && column.samples.some((sample) => typeof sample === 'string');
const TOO_LARGE = 'but some are too large for a JSON number';

function toInteger(column: ColumnValues, ref: string): Conversion | null {
  const nullable = mayBeNull(column.samples);
  const explanation = 'Reads the value as a whole number, so "42" becomes 42.';
  switch (column.prequel_type) {
    case 'integer':
      if (hasHugeIntegers(column))
        return conversion(null, 'uncertain', `both whole numbers, ${TOO_LARGE}`, explanation);
      return conversion(null, 'native', 'both whole numbers', explanation);
    case 'string':
      if (
        allSamples(
          column,
          isText((text) => INTEGER_TEXT.test(text) && Number.isSafeInteger(Number(text))),
        )
      ) {
        return conversion(
          keepNull(ref, `int(${ref})`, nullable),
          'by-samples',
          'text of digits read as whole numbers',
          explanation,
        );
      }
      return null;
    case 'decimal':
      if (
        allSamples(
          column,
          isText((text) => WHOLE_DECIMAL_TEXT.test(text) && Number.isSafeInteger(Number(text))),
        )
      ) {
        return conversion(
          keepNull(ref, `int(float(${ref}))`, nullable),
          'by-samples',
          'the decimals are whole numbers',
          explanation,
        );
      }
      return null;
    case 'float':
      if (allSamples(column, (sample) => Number.isSafeInteger(sample))) {
        return conversion(
          keepNull(ref, `int(${ref})`, nullable),
          'by-samples',
          'the numbers are whole',
          explanation,
        );
      }
      return null;
    case 'timestamp':
      return conversion(
        keepNull(ref, `date(${ref}).Unix()`, nullable),
        'uncertain',
        'timestamps sent as seconds since 1970',
        'Sends the timestamp as seconds since 1 January 1970 (Unix time).',
      );
    default:
      return null;
  }
}

function toNumber(column: ColumnValues, ref: string): Conversion | null {
  const nullable = mayBeNull(column.samples);
  const explanation = 'Reads the value as a number, so "12.50" becomes 12.5.';
  switch (column.prequel_type) {
    case 'integer':
    case 'float':
      if (hasHugeIntegers(column))
        return conversion(null, 'uncertain', `both numbers, ${TOO_LARGE}`, explanation);
      return conversion(null, 'native', 'both numbers', explanation);
    case 'decimal':
      return conversion(
        keepNull(ref, `float(${ref})`, nullable),
        'lossless',
        'the decimal read as a number',
        explanation,
      );
    case 'string':
      if (
        allSamples(
          column,
          isText((text) => NUMBER_TEXT.test(text)),
        )
      ) {
        return conversion(
          keepNull(ref, `float(${ref})`, nullable),
          'by-samples',
          'numeric text read as numbers',
          explanation,
        );
      }
      return null;
    default:
      return null;
  }
}

function toBoolean(column: ColumnValues, ref: string): Conversion | null {
  const nullable = mayBeNull(column.samples);
  switch (column.prequel_type) {
    case 'boolean':
      return conversion(null, 'native', 'both true/false', 'Keeps true and false as they are.');
    case 'string':
      if (
        allSamples(
          column,
          isText((text) => BOOLEAN_WORDS.has(text.toLowerCase())),
        )
      ) {
        return conversion(
          keepNull(ref, trueWordsTest(ref), nullable),
          'by-samples',
          'yes/no text read as true/false',
          TRUE_WORDS_EXPLANATION,
        );
      }
      return null;
    case 'integer':
      if (allSamples(column, (sample) => sample === 0 || sample === 1)) {
        return conversion(
          keepNull(ref, `${ref} != 0`, nullable),
          'by-samples',
          '1 and 0 read as true and false',
          'Reads 0 as false and any other number as true.',
        );
      }
      return null;
    default:
      return null;
  }
}

const isObject = (sample: unknown) =>
  typeof sample === 'object' && sample !== null && !Array.isArray(sample);

function toObject(column: ColumnValues, ref: string): Conversion | null {
  if (column.prequel_type === 'json') {
    const present = presentSamples(column.samples);
    return present.every(isObject)
      ? conversion(
          null,
          present.length ? 'native' : 'uncertain',
          'both JSON objects',
          'Keeps the JSON object as it is.',
        )
      : null;
  }
  if (
    column.prequel_type === 'string' &&
    allSamples(
      column,
      isText((text) => text.trim().startsWith('{')),
    )
  ) {
    return conversion(
      keepNull(ref, `fromJSON(${ref})`, mayBeNull(column.samples)),
      'by-samples',
      'JSON text read as an object',
      'Reads the text as JSON.',
    );
  }
  return null;
}

function toArray(column: ColumnValues): Conversion | null {
  if (column.prequel_type === 'array')
    return conversion(null, 'native', 'both lists', 'Keeps the list as it is.');
  if (column.prequel_type === 'json') {
    const present = presentSamples(column.samples);
    return present.every(Array.isArray)
      ? conversion(
          null,
          present.length ? 'native' : 'uncertain',
          'both JSON lists',
          'Keeps the list as it is.',
        )
      : null;
  }
  return null;
}

/**
 * How the column's values become `type`, or null when they cannot (or the samples say they would
 * not).
 */
export function convertToType(
  type: string,
  field: TargetField,
  column: ColumnValues,
  ref = columnRef(column.name),
): Conversion | null {
  switch (type) {
    case 'string':
      return toText(field, column, ref);
    case 'integer':
      return toInteger(column, ref);
    case 'number':
      return toNumber(column, ref);
    case 'boolean':
      return toBoolean(column, ref);
    case 'object':
      return toObject(column, ref);
    case 'array':
      return toArray(column);
    default:
      return null;
  }
}

/**
 * The best way to fill the field from the column, trying each declared type; null when none fits.
 */
export function convertColumn(
  field: TargetField,
  column: ColumnValues,
  ref = columnRef(column.name),
): Conversion | null {
  const types = field.type.filter((type) => type !== 'null');
  if (types.length === 0)
    return conversion(null, 'native', 'the field takes any value', 'Keeps the value as it is.');
  let best: Conversion | null = null;
  for (const type of types) {
    const candidate = convertToType(type, field, column, ref);
    if (
      candidate &&
      (!best ||
        fitRank(candidate.fit) < fitRank(best.fit) ||
        (fitRank(candidate.fit) === fitRank(best.fit) && candidate.bonus > best.bonus))
    )
      best = candidate;
  }
  return best;
}

/**
 * `trim(CONCATENATE(first_name, " ", last_name))`: CONCATENATE reads NULL as "", trim drops the gap
 * it leaves.
 */
export function joinNamesExpression(first: string, last: string): string {
  return `trim(CONCATENATE(${columnRef(first)}, " ", ${columnRef(last)}))`;
}
