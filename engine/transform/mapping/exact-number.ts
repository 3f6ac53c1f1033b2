// Pure: decimal text → the JSON number that is exactly the same decimal value, or nothing. A double
// prints back as the shortest decimal that reads as itself, so "0.1" fits, while 9007199254740993
// or 12345678901234567890.123 would come back with other digits and do not.

type Decimal = { negative: boolean; digits: string; exponent: number };

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Longer text is never read as a number: a double's exact decimal has fewer digits (767 at most,
 * plus zeros), and the text comes from customers' columns and expressions.
 */
export const maxNumericTextLength = 1_000;

function parseDecimal(text: string): Decimal | undefined {
  if (text.length > maxNumericTextLength) return undefined;
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  let digits = `${whole}${fraction}`.replace(/^0+/, '');
  let scale = Number(exponent) - fraction.length;
  const trimmed = withoutTrailingZeros(digits);
  scale += digits.length - trimmed.length;
  digits = trimmed;
  // Zero has no sign and no scale: "-0.00" and "0" are the same value.
  if (digits === '') return { negative: false, digits: '', exponent: 0 };
  return { negative: sign === '-', digits, exponent: scale };
}

/**
 * One pass from the end: a regex like /0+$/ retries from every zero and takes quadratic time on
 * long digit runs.
 */
function withoutTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  return digits.slice(0, end);
}

const sameDecimal = (a: Decimal, b: Decimal) =>
  a.negative === b.negative && a.digits === b.digits && a.exponent === b.exponent;

/**
 * The number whose value is exactly the decimal `text` ("42", "12.50", "1e3"), or undefined when
 * none is.
 */
export function exactNumber(text: string): number | undefined {
  const decimal = parseDecimal(text);
  if (!decimal) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  if (decimal.digits === '') return 0;
  const printed = parseDecimal(String(value));
  return printed && sameDecimal(decimal, printed) ? value : undefined;
}

/**
 * Like exactNumber, but only for text already in JSON's canonical spelling of that number ("42",
 * not "042" or "42.0").
 */
export function canonicalNumber(text: string): number | undefined {
  const value = exactNumber(text);
  return value !== undefined && String(value) === text ? value : undefined;
}
