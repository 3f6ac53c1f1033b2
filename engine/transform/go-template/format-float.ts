// strconv.FormatFloat for float64 with the 'e', 'E', 'f', 'g' and 'G' formats, digit for digit.
// JS's toFixed rounds exact ties away from zero where Go rounds them to even (2.5 → "2"), so fixed
// precision works on the exact decimal expansion of the double instead.

type Digits = { digits: string; dp: number }; // value = 0.<digits> × 10^dp; "" is zero

/** The exact decimal value of a finite, positive double: every double is a finite decimal. */
function exactDigits(x: number): Digits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075;
  let digits: string;
  let dp: number;
  if (exponent >= 0) {
    digits = (mantissa << BigInt(exponent)).toString();
    dp = digits.length;
  } else {
    // mantissa / 2^k = mantissa × 5^k / 10^k
    digits = (mantissa * 5n ** BigInt(-exponent)).toString();
    dp = digits.length + exponent;
  }
  return trimZeros({ digits, dp });
}

/**
 * The shortest digits that read back as the same double; JS's algorithm picks the same ones as
 * Go's.
 */
function shortestDigits(x: number): Digits {
  const [mantissa = '0', exponent = '0'] = x.toExponential().split('e');
  return trimZeros({ digits: mantissa.replace('.', ''), dp: Number(exponent) + 1 });
}

/**
 * One pass from the end: a regex like /0+$/ retries from every zero and takes quadratic time on
 * long digit runs.
 */
function trimZeros({ digits, dp }: Digits): Digits {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  return end === 0 ? { digits: '', dp: 0 } : { digits: digits.slice(0, end), dp };
}

/** Rounds to n significant digits, ties to even as Go's decimal.Round does on exact values. */
function roundDigits({ digits, dp }: Digits, n: number): Digits {
  if (n >= digits.length) return { digits, dp };
  if (n < 0) return { digits: '', dp: 0 };
  const next = digits.charCodeAt(n) - 48;
  const last = n > 0 ? digits.charCodeAt(n - 1) - 48 : 0;
  const exactlyHalf = next === 5 && n + 1 === digits.length;
  const up = exactlyHalf ? last % 2 === 1 : next >= 5;
  let kept = digits.slice(0, n);
  if (up) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === '9') i--;
    if (i < 0) return { digits: '1', dp: dp + 1 };
    kept = kept.slice(0, i) + String.fromCharCode(kept.charCodeAt(i) + 1);
  }
  return trimZeros({ digits: kept, dp });
}

function formatE({ digits, dp }: Digits, prec: number, letter: 'e' | 'E'): string {
  let out = digits[0] ?? '0';
  if (prec > 0) out += `.${digits.slice(1, prec + 1).padEnd(prec, '0')}`;
  let exp = digits === '' ? 0 : dp - 1;
  const sign = exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  return `${out}${letter}${sign}${exp < 10 ? `0${exp}` : exp}`;
}

function formatF({ digits, dp }: Digits, prec: number): string {
  let out = dp > 0 ? digits.slice(0, dp).padEnd(dp, '0') : '0';
  if (prec > 0) {
    let fraction = '';
    for (let i = 1; i <= prec; i++)
      fraction += (dp + i - 1 >= 0 ? digits[dp + i - 1] : undefined) ?? '0';
    out += `.${fraction}`;
  }
  return out;
}

/**
 * strconv.FormatFloat(value, format, precision, 64); precision -1 means the shortest exact form.
 */
export function formatFloat(
  value: number,
  format: 'e' | 'E' | 'f' | 'g' | 'G',
  precision: number,
): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  const negative = value < 0 || Object.is(value, -0);
  const x = Math.abs(value);
  const shortest = precision < 0;
  let digits: Digits;
  let prec = precision;
  if (x === 0) {
    digits = { digits: '', dp: 0 };
  } else if (shortest) {
    digits = shortestDigits(x);
  } else {
    const exact = exactDigits(x);
    if (format === 'f') digits = roundDigits(exact, exact.dp + prec);
    else if (format === 'e' || format === 'E') digits = roundDigits(exact, prec + 1);
    else digits = roundDigits(exact, prec === 0 ? 1 : prec);
  }
  if (shortest) {
    if (format === 'e' || format === 'E') prec = Math.max(digits.digits.length - 1, 0);
    else if (format === 'f') prec = Math.max(digits.digits.length - digits.dp, 0);
    else prec = digits.digits.length;
  }
  const sign = negative ? '-' : '';
  switch (format) {
    case 'e':
    case 'E':
      return sign + formatE(digits, prec, format);
    case 'f':
      return sign + formatF(digits, prec);
    case 'g':
    case 'G': {
      if (!shortest && prec === 0) prec = 1;
      const nd = digits.digits.length;
      let eprec = prec;
      if (eprec > nd && nd >= digits.dp) eprec = nd;
      // %e is used when the exponent is below -4 or at least the precision; shortest form decides
      // with 6.
      if (shortest) eprec = 6;
      const exp = digits.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return sign + formatE(digits, prec - 1, format === 'g' ? 'e' : 'E');
      }
      if (prec > digits.dp) prec = nd;
      return sign + formatF(digits, Math.max(prec - digits.dp, 0));
    }
  }
}
