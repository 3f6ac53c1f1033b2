// Go's time.Duration: an exact count of nanoseconds, parsed and printed the way Go does
// ("1h30m0s").

export class GoDuration {
  constructor(readonly nanoseconds: bigint) {}

  toString(): string {
    return formatGoDuration(this.nanoseconds);
  }
}

const second = 1_000_000_000n;
const minute = 60n * second;
const hour = 60n * minute;

const unitNanoseconds: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: second,
  m: minute,
  h: hour,
};

const maxNanoseconds = 2n ** 63n - 1n;

/** Parses Go duration strings like "1h30m", "1.5s", "-300ms"; returns undefined when invalid. */
export function parseGoDuration(text: string): GoDuration | undefined {
  const match = /^([-+]?)(.*)$/su.exec(text);
  const sign = match?.[1] === '-' ? -1n : 1n;
  let rest = match?.[2] ?? '';
  if (rest === '0') return new GoDuration(0n);
  if (rest === '') return undefined;
  let total = 0n;
  while (rest !== '') {
    const part = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/u.exec(rest);
    const whole = part?.[1] ?? '';
    const fraction = part?.[2] ?? '';
    const unit = unitNanoseconds[part?.[3] ?? ''];
    if (part === null || unit === undefined || (whole === '' && fraction === '')) return undefined;
    total += BigInt(whole || '0') * unit;
    if (fraction !== '') total += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
    if (total > maxNanoseconds) return undefined;
    rest = rest.slice(part[0].length);
  }
  return new GoDuration(sign * total);
}

export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  let rest = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  if (rest < 1_000n) return `${sign}${rest}ns`;
  if (rest < 1_000_000n) return `${sign}${withFraction(rest, 1_000n)}µs`;
  if (rest < 1_000_000_000n) return `${sign}${withFraction(rest, 1_000_000n)}ms`;
  const hours = rest / hour;
  rest %= hour;
  const minutes = rest / minute;
  rest %= minute;
  const hoursText = hours > 0n ? `${hours}h` : '';
  const minutesText = hours > 0n || minutes > 0n ? `${minutes}m` : '';
  return `${sign}${hoursText}${minutesText}${withFraction(rest, second)}s`;
}

function withFraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const remainder = value % unit;
  if (remainder === 0n) return `${whole}`;
  const digits = String(unit).length - 1;
  return `${whole}.${String(remainder).padStart(digits, '0').replace(/0+$/, '')}`;
}
