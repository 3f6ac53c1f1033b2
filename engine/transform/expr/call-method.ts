// Method calls like `date(x).Year()` or `duration("1h").Minutes()`. Only the Go time methods listed
// here exist; no JS method of any value is ever reachable from an expression.
import { formatGoDuration, GoDuration } from './go-duration';
import { dayOfYear, formatGoTime } from './go-time';
import { integerResult, shiftDate } from './operators';
import { fail } from './runtime-context';
import { isDate, isInteger, typeName } from './runtime';

type Method<Receiver> = { arity: number; call(receiver: Receiver, args: unknown[]): unknown };

// Go's zero time.Time (January 1, year 1, UTC), which IsZero compares against.
const goZeroTime = (() => {
  const date = new Date(0);
  date.setUTCFullYear(1, 0, 1);
  date.setUTCHours(0, 0, 0, 0);
  return date.getTime();
})();

const timeMethods: Record<string, Method<Date>> = {
  Year: { arity: 0, call: (date) => date.getUTCFullYear() },
  Month: { arity: 0, call: (date) => date.getUTCMonth() + 1 },
  Day: { arity: 0, call: (date) => date.getUTCDate() },
  Hour: { arity: 0, call: (date) => date.getUTCHours() },
  Minute: { arity: 0, call: (date) => date.getUTCMinutes() },
  Second: { arity: 0, call: (date) => date.getUTCSeconds() },
  Nanosecond: { arity: 0, call: (date) => date.getUTCMilliseconds() * 1_000_000 },
  Weekday: { arity: 0, call: (date) => date.getUTCDay() },
  YearDay: { arity: 0, call: (date) => dayOfYear(date) },
  Unix: { arity: 0, call: (date) => Math.floor(date.getTime() / 1000) },
  UnixMilli: { arity: 0, call: (date) => date.getTime() },
  UnixNano: { arity: 0, call: (date) => integerResult(BigInt(date.getTime()) * 1_000_000n) },
  IsZero: { arity: 0, call: (date) => date.getTime() === goZeroTime },
  UTC: { arity: 0, call: (date) => new Date(date.getTime()) },
  Local: { arity: 0, call: (date) => new Date(date.getTime()) },
  String: {
    arity: 0,
    call: (date) => formatGoTime(date, '2006-01-02 15:04:05.999999999 -0700 MST'),
  },
  Format: {
    arity: 1,
    call: (date, [layout]) => formatGoTime(date, expectString('Format', layout)),
  },
  Add: {
    arity: 1,
    call: (date, [duration]) => shiftDate(date, expectDuration('Add', duration).nanoseconds),
  },
  Sub: {
    arity: 1,
    call: (date, [other]) =>
      new GoDuration(BigInt(date.getTime() - expectTime('Sub', other).getTime()) * 1_000_000n),
  },
  AddDate: {
    arity: 3,
    call: (date, [years, months, days]) => {
      const shifted = new Date(date.getTime());
      shifted.setUTCFullYear(
        date.getUTCFullYear() + expectInteger('AddDate', years),
        date.getUTCMonth() + expectInteger('AddDate', months),
        date.getUTCDate() + expectInteger('AddDate', days),
      );
      return shifted;
    },
  },
  Before: {
    arity: 1,
    call: (date, [other]) => date.getTime() < expectTime('Before', other).getTime(),
  },
  After: {
    arity: 1,
    call: (date, [other]) => date.getTime() > expectTime('After', other).getTime(),
  },
  Equal: {
    arity: 1,
    call: (date, [other]) => date.getTime() === expectTime('Equal', other).getTime(),
  },
};

const durationMethods: Record<string, Method<GoDuration>> = {
  Hours: { arity: 0, call: (duration) => Number(duration.nanoseconds) / 3.6e12 },
  Minutes: { arity: 0, call: (duration) => Number(duration.nanoseconds) / 6e10 },
  Seconds: { arity: 0, call: (duration) => Number(duration.nanoseconds) / 1e9 },
  Milliseconds: { arity: 0, call: (duration) => integerResult(duration.nanoseconds / 1_000_000n) },
  Microseconds: { arity: 0, call: (duration) => integerResult(duration.nanoseconds / 1_000n) },
  Nanoseconds: { arity: 0, call: (duration) => integerResult(duration.nanoseconds) },
  Abs: {
    arity: 0,
    call: (duration) =>
      new GoDuration(duration.nanoseconds < 0n ? -duration.nanoseconds : duration.nanoseconds),
  },
  String: { arity: 0, call: (duration) => formatGoDuration(duration.nanoseconds) },
};

export function callMethod(receiver: unknown, name: string, args: unknown[]): unknown {
  if (isDate(receiver)) return invoke(timeMethods, 'time.Time', receiver, name, args);
  if (receiver instanceof GoDuration)
    return invoke(durationMethods, 'time.Duration', receiver, name, args);
  return fail(`cannot call method ${name} on ${typeName(receiver)}`);
}

function invoke<Receiver>(
  methods: Record<string, Method<Receiver>>,
  type: string,
  receiver: Receiver,
  name: string,
  args: unknown[],
): unknown {
  const method = Object.hasOwn(methods, name) ? methods[name] : undefined;
  if (method === undefined) fail(`type ${type} has no method ${name}`);
  if (args.length !== method.arity)
    fail(`invalid number of arguments for ${name} (expected ${method.arity}, got ${args.length})`);
  return method.call(receiver, args);
}

function expectString(method: string, value: unknown): string {
  if (typeof value !== 'string')
    fail(`${method}: expected string argument, got ${typeName(value)}`);
  return value;
}

function expectTime(method: string, value: unknown): Date {
  if (!isDate(value)) fail(`${method}: expected time.Time argument, got ${typeName(value)}`);
  return value;
}

function expectDuration(method: string, value: unknown): GoDuration {
  if (!(value instanceof GoDuration))
    fail(`${method}: expected time.Duration argument, got ${typeName(value)}`);
  return value;
}

function expectInteger(method: string, value: unknown): number {
  if (!isInteger(value)) fail(`${method}: expected int argument, got ${typeName(value)}`);
  return Number(value);
}
