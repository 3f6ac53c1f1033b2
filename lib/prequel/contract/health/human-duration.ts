// Pure: durations and clock times in the short words the status pages use ("45 s", "12 min", "2 h 5
// min", "3 d").

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in its largest unit, floored, with the next unit down while the first is under 10 ("2
 * h 5 min", but "14 h"): precise where it matters, short where it does not. Negative durations read
 * as their size.
 */
export function humanDuration(ms: number): string {
  const size = Math.abs(ms);
  if (size < MINUTE) return `${Math.floor(size / SECOND)} s`;
  if (size < HOUR) return `${Math.floor(size / MINUTE)} min`;
  if (size < DAY)
    return withRest(Math.floor(size / HOUR), 'h', Math.floor((size % HOUR) / MINUTE), 'min');
  return withRest(Math.floor(size / DAY), 'd', Math.floor((size % DAY) / HOUR), 'h');
}

function withRest(value: number, unit: string, rest: number, restUnit: string): string {
  return value < 10 && rest > 0 ? `${value} ${unit} ${rest} ${restUnit}` : `${value} ${unit}`;
}

/**
 * "14:05" in the given time zone (UTC unless told, so a server render and a test agree); a time
 * more than a day away also names the day ("4 Mar, 14:05").
 */
export function clockTime(at: Date, now: Date, timeZone = 'UTC'): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(at);
  if (Math.abs(at.getTime() - now.getTime()) < DAY) return time;
  const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone }).format(
    at,
  );
  return `${day}, ${time}`;
}

/**
 * An API timestamp (RFC 3339 string), a Date or nothing, as a Date or null; an unparsable string is
 * null.
 */
export function toDate(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
