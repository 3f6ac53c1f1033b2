// The value model shared by operators and built-ins (expr-lang's vm/runtime): types, equality,
// ordering, member access and Go's %v printing. Member access is the sandbox boundary: it only ever
// reads own enumerable properties of plain objects and array elements, never prototypes or JS
// methods.
import { GoDuration } from './go-duration';
import { formatGoTime } from './go-time';
import { fail, type RuntimeContext } from './runtime-context';

export type ExprMap = Record<string, unknown>;

export function isNil(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/**
 * Integers are safe-integer numbers or bigints; every other number is a float, as Go's int/float64
 * split.
 */
export function isInteger(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value));
}

export function isNumber(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

export function isMap(value: unknown): value is ExprMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function isDate(value: unknown): value is Date {
  return value instanceof Date;
}

export function typeName(value: unknown): string {
  if (isNil(value)) return 'nil';
  if (typeof value === 'boolean') return 'bool';
  if (isInteger(value)) return 'int';
  if (typeof value === 'number') return 'float';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'array';
  if (isDate(value)) return 'time.Time';
  if (value instanceof GoDuration) return 'time.Duration';
  if (isMap(value)) return 'map';
  return 'unknown';
}

export function mismatchedTypes(operator: string, left: unknown, right: unknown): never {
  fail(
    `invalid operation: ${operator} (mismatched types ${typeName(left)} and ${typeName(right)})`,
  );
}

/**
 * An own, enumerable property: inherited names such as `constructor` or `__proto__` read as
 * missing.
 */
export function ownValue(map: ExprMap, key: string): unknown {
  return Object.prototype.propertyIsEnumerable.call(map, key) ? map[key] : undefined;
}

/**
 * Writes a map entry as plain data, so a key like "__proto__" cannot change the object's prototype.
 * Only "__proto__" needs defineProperty: it is the one inherited accessor of a plain object, and
 * every other inherited name ("constructor", "toString", …) is a writable data property that
 * assignment shadows with an own one. Assignment keeps the object in V8's fast mode, which
 * defineProperty on every key did not (slower to build and to serialise, more garbage).
 */
export function setEntry(map: ExprMap, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(map, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else map[key] = value;
}

export function mapKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (isNumber(key) || typeof key === 'boolean') return String(key);
  return fail(`cannot use ${typeName(key)} as map key`);
}

export function codePoints(text: string): string[] {
  return Array.from(text);
}

export function codePointLength(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    length++;
  }
  return length;
}

export function isEqual(left: unknown, right: unknown): boolean {
  if (isNil(left) || isNil(right)) return isNil(left) && isNil(right);
  // Loose equality compares a bigint with a number exactly, which is what mixed integer columns
  // need.
  if (isNumber(left) && isNumber(right)) return left == right;
  if (isDate(left) && isDate(right)) return left.getTime() === right.getTime();
  if (left instanceof GoDuration && right instanceof GoDuration)
    return left.nanoseconds === right.nanoseconds;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => isEqual(item, right[index]));
  }
  if (isMap(left) && isMap(right)) {
    const keys = Object.keys(left);
    return (
      keys.length === Object.keys(right).length &&
      keys.every((key) => Object.hasOwn(right, key) && isEqual(left[key], right[key]))
    );
  }
  return left === right;
}

/** Orders two values for `<`-style operators and sorting: numbers, strings, dates and durations. */
export function compareValues(operator: string, left: unknown, right: unknown): number {
  if (isNumber(left) && isNumber(right)) return left < right ? -1 : left > right ? 1 : 0;
  if (typeof left === 'string' && typeof right === 'string')
    return left < right ? -1 : left > right ? 1 : 0;
  if (isDate(left) && isDate(right)) return Math.sign(left.getTime() - right.getTime());
  if (left instanceof GoDuration && right instanceof GoDuration) {
    return left.nanoseconds < right.nanoseconds ? -1 : left.nanoseconds > right.nanoseconds ? 1 : 0;
  }
  return mismatchedTypes(operator, left, right);
}

/** Converts an index or count to a JS number; floats truncate like Go's int conversion. */
export function toInt(value: unknown, what: string): number {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
      fail(`${what} is out of range`);
    return Number(value);
  }
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  return fail(`${what} must be an integer, not ${typeName(value)}`);
}

/**
 * `value.key` / `value[key]` with expr-lang's rules: negative array indices count from the end,
 * missing map keys are nil.
 */
export function fetch(from: unknown, key: unknown): unknown {
  if (Array.isArray(from) || typeof from === 'string') {
    if (!isNumber(key)) fail(`cannot fetch ${formatValue(key)} from ${typeName(from)}`);
    const items = typeof from === 'string' ? codePoints(from) : from;
    let index = toInt(key, 'index');
    if (index < 0) index += items.length;
    if (index < 0 || index >= items.length)
      fail(`index out of range: ${index} (array length is ${items.length})`);
    return items[index] ?? null;
  }
  if (isMap(from)) return ownValue(from, mapKey(key)) ?? null;
  return fail(`cannot fetch ${formatValue(key)} from ${typeName(from)}`);
}

/**
 * Like fetch, but nil when the key or index is missing or the value cannot be indexed (get, first,
 * last).
 */
export function fetchOrNil(from: unknown, key: unknown): unknown {
  if (Array.isArray(from) || typeof from === 'string') {
    const items = typeof from === 'string' ? codePoints(from) : from;
    if (!isNumber(key)) return null;
    let index = Number(key);
    if (!Number.isInteger(index)) return null;
    if (index < 0) index += items.length;
    return items[index] ?? null;
  }
  if (isMap(from) && (typeof key === 'string' || isNumber(key) || typeof key === 'boolean'))
    return ownValue(from, String(key)) ?? null;
  return null;
}

export function sortedKeys(map: ExprMap): string[] {
  return Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Go's `fmt.Sprint` rendering, which string() and CONCATENATE use; long output is cut off by the
 * context.
 */
export function formatValue(value: unknown, context?: RuntimeContext): string {
  const parts: string[] = [];
  let length = 0;
  const write = (text: string) => {
    length += text.length;
    if (context && length > context.maxOutputLength) context.reserveOutput(length);
    parts.push(text);
  };
  const visit = (item: unknown) => {
    context?.step();
    if (Array.isArray(item)) {
      write('[');
      item.forEach((element, index) => {
        if (index > 0) write(' ');
        visit(element);
      });
      write(']');
    } else if (isMap(item)) {
      write('map[');
      sortedKeys(item).forEach((key, index) => {
        write(index > 0 ? ` ${key}:` : `${key}:`);
        visit(item[key]);
      });
      write(']');
    } else {
      write(formatScalar(item));
    }
  };
  visit(value);
  return parts.join('');
}

function formatScalar(value: unknown): string {
  if (isNil(value)) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'number') return isInteger(value) ? String(value) : formatGoFloat(value);
  if (isDate(value))
    return Number.isNaN(value.getTime())
      ? 'invalid date'
      : formatGoTime(value, '2006-01-02 15:04:05.999999999 -0700 MST');
  if (value instanceof GoDuration) return value.toString();
  return `<${typeName(value)}>`;
}

/**
 * Go prints float64 with %v as the shortest representation, switching to exponent form below 1e-4
 * and from 1e6.
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}
