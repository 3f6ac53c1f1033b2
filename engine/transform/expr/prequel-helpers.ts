// Prequel's spreadsheet-style helpers, available next to the expr-lang built-ins in stream
// mappings. Text helpers count Unicode code points, turn numbers and booleans into text the way
// string() does, and pass nil through (a NULL column stays NULL), except CONCATENATE, which reads
// nil as "". IF evaluates only the branch it picks, so IF(x != 0, 10 / x, 0) cannot fail on the
// other branch, and reads a nil condition as false, as spreadsheets read a blank cell.
import { defineFunction, type FunctionDefinition } from './function-definition';
import { daysInMonth, formatGoTime } from './go-time';
import { fail, type RuntimeContext } from './runtime-context';
import { codePoints, formatValue, isDate, isInteger, isMap, isNil, typeName } from './runtime';

const rfc3339Nano = '2006-01-02T15:04:05.999999999Z07:00';

export const prequelHelpers: Record<string, FunctionDefinition> = {
  IF: {
    minArgs: 3,
    maxArgs: 3,
    lazy: true,
    call: (arg) => {
      const value = arg(0) ?? false;
      if (typeof value !== 'boolean') fail(`IF: condition must be bool, got ${typeName(value)}`);
      return arg(value ? 1 : 2) ?? null;
    },
  },
  TIMESTAMPVALUE: defineFunction(1, 1, ([value]) => {
    if (isNil(value)) return null;
    if (isDate(value)) return formatGoTime(value, rfc3339Nano);
    if (typeof value !== 'string') fail(`TIMESTAMPVALUE: cannot parse ${typeName(value)}`);
    return toRfc3339(value) ?? fail(`TIMESTAMPVALUE: cannot parse ${JSON.stringify(value)}`);
  }),
  TODAY: defineFunction(0, 0, (_args, context) => formatGoTime(context.now, '2006-01-02')),
  TEXTSPLIT: defineFunction(2, 2, ([text, delimiter], context) => {
    if (isNil(text)) return null;
    const value = toText('TEXTSPLIT', text, context);
    const separator = toText('TEXTSPLIT', delimiter, context);
    const pieces = separator === '' ? [value] : value.split(separator);
    context.reserveOutput(pieces.length);
    return pieces;
  }),
  PROPER: defineFunction(1, 1, ([text], context) => {
    if (isNil(text)) return null;
    let afterWordCharacter = false;
    let proper = '';
    // A string iterates by code point.
    for (const char of toText('PROPER', text, context)) {
      proper += afterWordCharacter ? char.toLowerCase() : char.toUpperCase();
      afterWordCharacter = isWordCharacter(char);
    }
    return proper;
  }),
  SUBSTITUTE: defineFunction(3, 3, ([text, oldText, newText], context) => {
    if (isNil(text)) return null;
    const value = toText('SUBSTITUTE', text, context);
    const search = toText('SUBSTITUTE', oldText, context);
    const replacement = toText('SUBSTITUTE', newText, context);
    if (search === '') return value;
    const occurrences = value.split(search).length - 1;
    context.reserveOutput(value.length + occurrences * (replacement.length - search.length));
    return value.replaceAll(search, () => replacement);
  }),
  LEFT: defineFunction(1, 2, ([text, count = 1], context) => {
    if (isNil(text)) return null;
    return codePoints(toText('LEFT', text, context))
      .slice(0, characterCount('LEFT', count))
      .join('');
  }),
  RIGHT: defineFunction(1, 2, ([text, count = 1], context) => {
    if (isNil(text)) return null;
    const points = codePoints(toText('RIGHT', text, context));
    return points.slice(Math.max(0, points.length - characterCount('RIGHT', count))).join('');
  }),
  MID: defineFunction(3, 3, ([text, start, count], context) => {
    if (isNil(text)) return null;
    if (!isInteger(start) || Number(start) < 1)
      fail(`MID: start must be an integer of at least 1, got ${formatValue(start)}`);
    const from = Number(start) - 1;
    return codePoints(toText('MID', text, context))
      .slice(from, from + characterCount('MID', count))
      .join('');
  }),
  CONCATENATE: defineFunction(1, Infinity, (values, context) => {
    const parts = values.map((value) =>
      isNil(value) ? '' : toText('CONCATENATE', value, context),
    );
    context.reserveOutput(parts.reduce((total, part) => total + part.length, 0));
    return parts.join('');
  }),
};

const WORD_CHARACTER = /[\p{L}\p{N}_]/u;

/**
 * A letter, digit or underscore in any script; ASCII is decided without the regex (PROPER runs per
 * character).
 */
function isWordCharacter(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code < 0x80)
    return (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x30 && code <= 0x39) ||
      code === 0x5f
    );
  return WORD_CHARACTER.test(char);
}

function toText(helper: string, value: unknown, context: RuntimeContext): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) || isMap(value) || isNil(value))
    fail(`${helper}: expected text, got ${typeName(value)}`);
  if (isDate(value)) return formatGoTime(value, rfc3339Nano);
  return formatValue(value, context);
}

function characterCount(helper: string, count: unknown): number {
  if (!isInteger(count) || Number(count) < 0)
    fail(
      `${helper}: number of characters must be a non-negative integer, got ${formatValue(count)}`,
    );
  return Number(count);
}

const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * ISO dates and timestamps (with `T` or a space, optional seconds, fraction and offset) as RFC 3339
 * in UTC.
 */
function toRfc3339(text: string): string | undefined {
  const match = timestampPattern.exec(text.trim());
  if (match === null) return undefined;
  const [
    ,
    year,
    month,
    day,
    hour = '00',
    minute = '00',
    second = '00',
    fraction = '',
    ,
    sign,
    offsetHours = '00',
    offsetMinutes = '00',
  ] = match;
  const numbers = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
  };
  if (
    numbers.month < 1 ||
    numbers.month > 12 ||
    numbers.day < 1 ||
    numbers.day > daysInMonth(numbers.year, numbers.month)
  )
    return undefined;
  if (
    numbers.hour > 23 ||
    numbers.minute > 59 ||
    numbers.second > 59 ||
    Number(offsetHours) > 23 ||
    Number(offsetMinutes) > 59
  )
    return undefined;
  const offsetMilliseconds =
    (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  const date = new Date(0);
  date.setUTCFullYear(numbers.year, numbers.month - 1, numbers.day);
  date.setUTCHours(numbers.hour, numbers.minute, numbers.second, 0);
  const utc = new Date(date.getTime() - offsetMilliseconds);
  if (utc.getUTCFullYear() < 0 || utc.getUTCFullYear() > 9999) return undefined;
  // The fraction is copied as written: a Date would cut microseconds that Postgres timestamps
  // carry.
  const digits = fraction.replace(/0+$/, '');
  return `${formatGoTime(utc, '2006-01-02T15:04:05')}${digits === '' ? '' : `.${digits}`}Z`;
}
