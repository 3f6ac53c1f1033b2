// Go's reference-time layouts ("2006-01-02 15:04:05"), so date() and .Format() read and write what
// expr-lang users write. Dates are JS Dates (millisecond precision) without a location: formatting
// always prints UTC.

type Token =
  | 'January'
  | 'Jan'
  | 'Monday'
  | 'Mon'
  | 'MST'
  | '01'
  | '1'
  | '02'
  | '2'
  | '_2'
  | '002'
  | '__2'
  | '2006'
  | '06'
  | '15'
  | '03'
  | '3'
  | '04'
  | '4'
  | '05'
  | '5'
  | 'PM'
  | 'pm'
  | '-070000'
  | '-07:00:00'
  | '-0700'
  | '-07:00'
  | '-07'
  | 'Z070000'
  | 'Z07:00:00'
  | 'Z0700'
  | 'Z07:00'
  | 'Z07';

type Chunk = { literal: string } | { token: Token } | { fraction: '0' | '9'; digits: number };

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const zoneTokens: Token[] = [
  '-070000',
  '-07:00:00',
  '-0700',
  '-07:00',
  '-07',
  'Z070000',
  'Z07:00:00',
  'Z0700',
  'Z07:00',
  'Z07',
];

const layoutCache = new Map<string, Chunk[]>();

function splitLayout(layout: string): Chunk[] {
  const cached = layoutCache.get(layout);
  if (cached) return cached;
  const chunks: Chunk[] = [];
  let literal = '';
  let index = 0;
  while (index < layout.length) {
    const found = matchChunk(layout, index);
    if (found === undefined) {
      literal += layout[index];
      index++;
      continue;
    }
    if (literal !== '') chunks.push({ literal });
    literal = '';
    chunks.push(found.chunk);
    index += found.length;
  }
  if (literal !== '') chunks.push({ literal });
  if (layoutCache.size < 100) layoutCache.set(layout, chunks);
  return chunks;
}

// Mirrors Go's nextStdChunk: the order of checks decides ambiguous spots such as "Jan" vs
// "January".
function matchChunk(layout: string, index: number): { chunk: Chunk; length: number } | undefined {
  const rest = layout.slice(index);
  const token = (value: Token) => ({ chunk: { token: value }, length: value.length });
  const notFollowedByLowercase = (length: number) => !/^[a-z]/.test(rest.slice(length));
  switch (rest[0]) {
    case 'J':
      if (rest.startsWith('January')) return token('January');
      if (rest.startsWith('Jan') && notFollowedByLowercase(3)) return token('Jan');
      return undefined;
    case 'M':
      if (rest.startsWith('Monday')) return token('Monday');
      if (rest.startsWith('Mon') && notFollowedByLowercase(3)) return token('Mon');
      if (rest.startsWith('MST')) return token('MST');
      return undefined;
    case '0':
      if (/^0[1-6]/.test(rest)) return token(rest.slice(0, 2) as Token);
      if (rest.startsWith('002')) return token('002');
      return undefined;
    case '1':
      return token(rest.startsWith('15') ? '15' : '1');
    case '2':
      return token(rest.startsWith('2006') ? '2006' : '2');
    case '_':
      if (rest.startsWith('__2')) return token('__2');
      if (rest.startsWith('_2') && !rest.startsWith('_2006')) return token('_2');
      return undefined;
    case '3':
    case '4':
    case '5':
      return token(rest[0] as Token);
    case 'P':
      return rest.startsWith('PM') ? token('PM') : undefined;
    case 'p':
      return rest.startsWith('pm') ? token('pm') : undefined;
    case '-':
    case 'Z': {
      const zone = zoneTokens.find((candidate) => rest.startsWith(candidate));
      return zone === undefined ? undefined : token(zone);
    }
    case '.':
    case ',': {
      const digit = rest[1];
      if (digit !== '0' && digit !== '9') return undefined;
      let end = 1;
      while (rest[end] === digit) end++;
      if (/^\d/.test(rest.slice(end))) return undefined;
      return { chunk: { fraction: digit, digits: end - 1 }, length: end };
    }
    default:
      return undefined;
  }
}

const pad = (value: number, width: number, fill = '0') => String(value).padStart(width, fill);

export function formatGoTime(date: Date, layout: string): string {
  const hour = date.getUTCHours();
  const milliseconds = date.getUTCMilliseconds();
  return splitLayout(layout)
    .map((chunk) => {
      if ('literal' in chunk) return chunk.literal;
      if ('fraction' in chunk) {
        const digits = pad(milliseconds, 3).padEnd(9, '0');
        if (chunk.fraction === '0') return `.${digits.slice(0, chunk.digits)}`;
        const trimmed = digits.slice(0, chunk.digits).replace(/0+$/, '');
        return trimmed === '' ? '' : `.${trimmed}`;
      }
      switch (chunk.token) {
        case 'January':
          return monthNames[date.getUTCMonth()] ?? '';
        case 'Jan':
          return (monthNames[date.getUTCMonth()] ?? '').slice(0, 3);
        case 'Monday':
          return dayNames[date.getUTCDay()] ?? '';
        case 'Mon':
          return (dayNames[date.getUTCDay()] ?? '').slice(0, 3);
        case 'MST':
          return 'UTC';
        case '01':
          return pad(date.getUTCMonth() + 1, 2);
        case '1':
          return String(date.getUTCMonth() + 1);
        case '02':
          return pad(date.getUTCDate(), 2);
        case '2':
          return String(date.getUTCDate());
        case '_2':
          return pad(date.getUTCDate(), 2, ' ');
        case '002':
          return pad(dayOfYear(date), 3);
        case '__2':
          return pad(dayOfYear(date), 3, ' ');
        case '2006':
          return pad(date.getUTCFullYear(), 4);
        case '06':
          return pad(date.getUTCFullYear() % 100, 2);
        case '15':
          return pad(hour, 2);
        case '03':
          return pad(hour % 12 === 0 ? 12 : hour % 12, 2);
        case '3':
          return String(hour % 12 === 0 ? 12 : hour % 12);
        case '04':
          return pad(date.getUTCMinutes(), 2);
        case '4':
          return String(date.getUTCMinutes());
        case '05':
          return pad(date.getUTCSeconds(), 2);
        case '5':
          return String(date.getUTCSeconds());
        case 'PM':
          return hour >= 12 ? 'PM' : 'AM';
        case 'pm':
          return hour >= 12 ? 'pm' : 'am';
        default:
          return formatUtcOffset(chunk.token);
      }
    })
    .join('');
}

function formatUtcOffset(token: Token): string {
  if (token.startsWith('Z')) return 'Z';
  return token.replace('-', '+').replace(/\d/g, '0');
}

export function dayOfYear(date: Date): number {
  const startOfYear = new Date(0);
  startOfYear.setUTCFullYear(date.getUTCFullYear(), 0, 1);
  return Math.floor((date.getTime() - startOfYear.getTime()) / 86_400_000) + 1;
}

type ParsedFields = {
  year: number;
  month: number;
  day: number;
  yearDay: number | undefined;
  hour: number;
  minute: number;
  second: number;
  milliseconds: number;
  meridiem: 'AM' | 'PM' | undefined;
  offsetSeconds: number | undefined;
};

/**
 * Parses `value` with a Go layout. Without an offset in the value, the wall time is read in
 * `timeZone` (an IANA name, UTC when absent). Returns an error message instead of a Date when the
 * value does not fit.
 */
export function parseGoTime(value: string, layout: string, timeZone?: string): Date | string {
  const fields: ParsedFields = {
    year: 0,
    month: 1,
    day: 1,
    yearDay: undefined,
    hour: 0,
    minute: 0,
    second: 0,
    milliseconds: 0,
    meridiem: undefined,
    offsetSeconds: undefined,
  };
  const chunks = splitLayout(layout);
  let rest = value;
  const cannotParse = () =>
    `parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse`;
  const take = (pattern: RegExp): string | undefined => {
    const match = pattern.exec(rest);
    if (match === null) return undefined;
    rest = rest.slice(match[0].length);
    return match[0];
  };
  for (const [index, chunk] of chunks.entries()) {
    if ('literal' in chunk) {
      if (!rest.startsWith(chunk.literal)) return cannotParse();
      rest = rest.slice(chunk.literal.length);
      continue;
    }
    if ('fraction' in chunk) {
      const pattern =
        chunk.fraction === '0' ? new RegExp(`^[.,]\\d{${chunk.digits}}`) : /^([.,]\d+)?/;
      const text = take(pattern);
      if (text === undefined) return cannotParse();
      if (text !== '') fields.milliseconds = fractionToMilliseconds(text.slice(1));
      continue;
    }
    const ok = parseToken(chunk.token, take, fields);
    if (!ok) return cannotParse();
    // Go accepts fractional seconds after a seconds field even when the layout does not mention
    // them.
    const next = chunks[index + 1];
    if (
      (chunk.token === '05' || chunk.token === '5') &&
      !(next !== undefined && 'fraction' in next)
    ) {
      const fraction = take(/^[.,]\d+/);
      if (fraction !== undefined) fields.milliseconds = fractionToMilliseconds(fraction.slice(1));
    }
  }
  if (rest !== '')
    return `parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(rest)}`;
  return buildDate(fields, value, timeZone);
}

function parseToken(
  token: Token,
  take: (pattern: RegExp) => string | undefined,
  fields: ParsedFields,
): boolean {
  const number = (pattern: RegExp): number | undefined => {
    const text = take(pattern);
    return text === undefined ? undefined : Number(text);
  };
  const assign = <K extends keyof ParsedFields>(
    key: K,
    value: ParsedFields[K] | undefined,
  ): boolean => {
    if (value === undefined) return false;
    fields[key] = value;
    return true;
  };
  switch (token) {
    case 'January':
    case 'Jan': {
      const name = take(token === 'Jan' ? /^[a-z]{3}/i : /^[a-z]+/i)?.toLowerCase();
      const month = monthNames.findIndex(
        (candidate) => (token === 'Jan' ? candidate.slice(0, 3) : candidate).toLowerCase() === name,
      );
      return month >= 0 && assign('month', month + 1);
    }
    case 'Monday':
    case 'Mon': {
      const name = take(token === 'Mon' ? /^[a-z]{3}/i : /^[a-z]+/i)?.toLowerCase();
      return dayNames.some(
        (candidate) => (token === 'Mon' ? candidate.slice(0, 3) : candidate).toLowerCase() === name,
      );
    }
    case 'MST':
      // Like Go, an unknown zone abbreviation is read as a zero offset.
      return take(/^[A-Z]{3,5}/) !== undefined && assign('offsetSeconds', 0);
    case '01':
      return assign('month', number(/^\d{2}/));
    case '1':
      return assign('month', number(/^\d{1,2}/));
    case '02':
      return assign('day', number(/^\d{2}/));
    case '2':
      return assign('day', number(/^\d{1,2}/));
    case '_2':
      return assign('day', number(/^ ?\d{1,2}/));
    case '002':
      return assign('yearDay', number(/^\d{3}/));
    case '__2':
      return assign('yearDay', number(/^ {0,2}\d{1,3}/));
    case '2006':
      return assign('year', number(/^\d{4}/));
    case '06': {
      const year = number(/^\d{2}/);
      return assign('year', year === undefined ? undefined : year + (year >= 69 ? 1900 : 2000));
    }
    case '15':
      return assign('hour', number(/^\d{1,2}/));
    case '03':
      return assign('hour', number(/^\d{2}/));
    case '3':
      return assign('hour', number(/^\d{1,2}/));
    case '04':
      return assign('minute', number(/^\d{2}/));
    case '4':
      return assign('minute', number(/^\d{1,2}/));
    case '05':
      return assign('second', number(/^\d{2}/));
    case '5':
      return assign('second', number(/^\d{1,2}/));
    case 'PM':
      return assign('meridiem', take(/^(AM|PM)/) as 'AM' | 'PM' | undefined);
    case 'pm':
      return assign('meridiem', take(/^(am|pm)/)?.toUpperCase() as 'AM' | 'PM' | undefined);
    default:
      return assign('offsetSeconds', parseOffset(token, take));
  }
}

function parseOffset(
  token: Token,
  take: (pattern: RegExp) => string | undefined,
): number | undefined {
  if (token.startsWith('Z') && take(/^Z/) !== undefined) return 0;
  const shape = token.replace(/^[-Z]/, '');
  const pattern = new RegExp(`^[+-]${shape.replace(/\d/g, '\\d')}`);
  const text = take(pattern);
  if (text === undefined) return undefined;
  const digits = text.slice(1).replaceAll(':', '');
  const seconds =
    Number(digits.slice(0, 2)) * 3600 +
    Number(digits.slice(2, 4) || '0') * 60 +
    Number(digits.slice(4, 6) || '0');
  return text.startsWith('-') ? -seconds : seconds;
}

function fractionToMilliseconds(digits: string): number {
  return Number(digits.slice(0, 3).padEnd(3, '0'));
}

function buildDate(
  fields: ParsedFields,
  value: string,
  timeZone: string | undefined,
): Date | string {
  const outOfRange = (what: string) =>
    `parsing time ${JSON.stringify(value)}: ${what} out of range`;
  let { hour, month, day } = fields;
  if (fields.meridiem !== undefined) {
    if (hour < 1 || hour > 12) return outOfRange('hour');
    if (fields.meridiem === 'PM' && hour < 12) hour += 12;
    if (fields.meridiem === 'AM' && hour === 12) hour = 0;
  }
  if (fields.yearDay !== undefined) {
    const start = utcDate(fields.year, 1, 1, 0, 0, 0, 0);
    const fromYearDay = new Date(start.getTime() + (fields.yearDay - 1) * 86_400_000);
    if (fields.yearDay < 1 || fromYearDay.getUTCFullYear() !== fields.year)
      return outOfRange('day-of-year');
    month = fromYearDay.getUTCMonth() + 1;
    day = fromYearDay.getUTCDate();
  }
  if (month < 1 || month > 12) return outOfRange('month');
  if (day < 1 || day > daysInMonth(fields.year, month)) return outOfRange('day');
  if (hour > 23) return outOfRange('hour');
  if (fields.minute > 59) return outOfRange('minute');
  if (fields.second > 59) return outOfRange('second');
  const wallTime = utcDate(
    fields.year,
    month,
    day,
    hour,
    fields.minute,
    fields.second,
    fields.milliseconds,
  );
  if (fields.offsetSeconds !== undefined)
    return new Date(wallTime.getTime() - fields.offsetSeconds * 1000);
  if (timeZone === undefined || timeZone === 'UTC') return wallTime;
  return wallTimeInZone(wallTime, timeZone);
}

function utcDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): Date {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date;
}

export function daysInMonth(year: number, month: number): number {
  return utcDate(year, month + 1, 0, 0, 0, 0, 0).getUTCDate();
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Converts a wall-clock time (carried in a UTC Date) in an IANA zone to the instant; a message when
 * the zone is unknown.
 */
function wallTimeInZone(wallTime: Date, timeZone: string): Date | string {
  let formatter = zoneFormatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return `unknown time zone ${timeZone}`;
    }
    if (zoneFormatters.size < 100) zoneFormatters.set(timeZone, formatter);
  }
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(
      formatter.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]),
    );
    const asUtc = utcDate(
      parts.year ?? 0,
      parts.month ?? 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
      0,
    );
    return asUtc.getTime() - (instant - (((instant % 1000) + 1000) % 1000));
  };
  // Two passes settle on the right offset around daylight-saving transitions.
  const firstGuess = wallTime.getTime() - offsetAt(wallTime.getTime());
  return new Date(wallTime.getTime() - offsetAt(firstGuess));
}
