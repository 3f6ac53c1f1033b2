// Timestamps as integer microseconds since the epoch (UTC): JS Dates stop at milliseconds, the
// sample needs µs.

export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND;

export function microsOf(date: Date): number {
  return date.getTime() * 1000;
}

export type MicrosFormatter = (micros: number) => string;

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Formats `YYYY-MM-DD HH:MM:SS.ffffff` (UTC), which both dialects accept (Postgres with a `+00`
 * suffix). Formatting is a large share of generating a row, so the date part is cached per day
 * (each column gets its own formatter: its values mostly arrive in time order) and the rest is
 * plain arithmetic, no Date per row.
 */
export function createMicrosFormatter(): MicrosFormatter {
  let cachedDay = Number.NaN;
  let cachedDate = '';
  return (micros) => {
    const day = Math.floor(micros / MICROS_PER_DAY);
    if (day !== cachedDay) {
      cachedDate = `${new Date(day * 86_400_000).toISOString().slice(0, 10)} `;
      cachedDay = day;
    }
    const inDay = micros - day * MICROS_PER_DAY;
    const seconds = Math.floor(inDay / MICROS_PER_SECOND);
    const [hours, minutes] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60];
    const hms = `${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds % 60]}`;
    const fraction = String(inDay - seconds * MICROS_PER_SECOND + MICROS_PER_SECOND).slice(1);
    return `${cachedDate}${hms}.${fraction}`;
  };
}
