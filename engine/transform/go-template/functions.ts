// Go text/template's predefined functions (text/template/funcs.go) over plain JS data, with Go's
// argument rules and error texts. `call` exists, as in Go, but templates cannot call JS functions.
import { isPrintableRune } from './go-quote';
import {
  bigIntValue,
  compareStrings,
  floatValue,
  GoError,
  kindOf,
  LimitError,
  ownField,
  ownKeys,
  truth,
  typeName,
  utf8Bytes,
  utf8Length,
} from './go-value';
import { sprint, sprintf, sprintln, type FormatLimits } from './sprintf';

export type FunctionContext = {
  limits: FormatLimits;
  /** The source text of each argument, for messages that name one (as `call` does). */
  argumentText: readonly string[];
};

export type BuiltinFunction = {
  /** Parameters before the variadic tail: Go reports "want at least N" or "want N" from these. */
  fixed: number;
  variadic: boolean;
  /** printf's format is a Go string parameter: other types are rejected before the call. */
  stringFormat?: boolean;
  /** and/or stop evaluating arguments at the first one that decides the result. */
  shortCircuit?: 'and' | 'or';
  call(args: readonly unknown[], context: FunctionContext): unknown;
};

const utf8Decoder = new TextDecoder();

function isNil(value: unknown): boolean {
  return kindOf(value) === 'nil';
}

/** Checks an index argument against a length or capacity, as Go's indexArg does. */
function indexArg(index: unknown, cap: number): number {
  const kind = kindOf(index);
  if (kind === 'nil') throw new GoError('cannot index slice/array with nil');
  if (kind !== 'int') throw new GoError(`cannot index slice/array with type ${typeName(index)}`);
  const x = bigIntValue(index);
  if (x < 0n || x > BigInt(cap)) throw new GoError(`index out of range: ${x}`);
  return Number(x);
}

function index(args: readonly unknown[]): unknown {
  let [item] = args;
  if (isNil(item)) throw new GoError('index of untyped nil');
  for (const key of args.slice(1)) {
    switch (kindOf(item)) {
      case 'nil':
        throw new GoError('index of nil pointer');
      case 'slice': {
        const items = item as unknown[];
        const x = indexArg(key, items.length);
        if (x >= items.length) throw new GoError(`index out of range: ${x}`);
        item = items[x];
        break;
      }
      case 'string': {
        const bytes = utf8Bytes(item as string);
        const x = indexArg(key, bytes.length);
        if (x >= bytes.length) throw new GoError(`index out of range: ${x}`);
        item = bytes[x];
        break;
      }
      case 'map':
        if (isNil(key)) throw new GoError('value is nil; should be of type string');
        if (typeof key !== 'string')
          throw new GoError(`value has type ${typeName(key)}; should be string`);
        item = ownField(item as object, key);
        break;
      default:
        throw new GoError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(args: readonly unknown[]): unknown {
  const [item, ...indexes] = args;
  if (isNil(item)) throw new GoError('slice of untyped nil');
  if (indexes.length > 3) throw new GoError(`too many slice indexes: ${indexes.length}`);
  const kind = kindOf(item);
  let length: number;
  if (kind === 'string') {
    if (indexes.length === 3) throw new GoError('cannot 3-index slice a string');
    length = utf8Length(item as string);
  } else if (kind === 'slice') {
    length = (item as unknown[]).length;
  } else {
    throw new GoError(`can't slice item of type ${typeName(item)}`);
  }
  // A JS array's capacity is its length, so x[i:j:k] differs from x[i:j] only in its checks.
  const bounds = [0, length, length];
  indexes.forEach((x, i) => {
    bounds[i] = indexArg(x, length);
  });
  const [low = 0, high = length, max = length] = bounds;
  if (low > high) throw new GoError(`invalid slice index: ${low} > ${high}`);
  if (indexes.length === 3 && high > max)
    throw new GoError(`invalid slice index: ${high} > ${max}`);
  if (kind === 'string') return utf8Decoder.decode(utf8Bytes(item as string).slice(low, high));
  return (item as unknown[]).slice(low, high);
}

function length(item: unknown): number {
  switch (kindOf(item)) {
    case 'nil':
      throw new GoError('len of nil pointer');
    case 'string':
      return utf8Length(item as string);
    case 'slice':
      return (item as unknown[]).length;
    case 'map':
      return ownKeys(item as object).length;
    default:
      throw new GoError(`len of type ${typeName(item)}`);
  }
}

// --- comparison ---------------------------------------------------------------------------------

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

function basicKind(value: unknown): BasicKind {
  const kind = kindOf(value);
  return kind === 'bool' || kind === 'int' || kind === 'float' || kind === 'string'
    ? kind
    : 'invalid';
}

function incompatible(a: unknown, b: unknown): GoError {
  return new GoError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
}

function eq(args: readonly unknown[], limits: FormatLimits): boolean {
  const [first, ...others] = args;
  if (others.length === 0) throw new GoError('missing argument for comparison');
  const k1 = basicKind(first);
  for (const other of others) {
    const k2 = basicKind(other);
    let equal = false;
    if (k1 !== k2) {
      // Comparing with nil is allowed and false; other mixes (including int with float) are errors.
      if (!isNil(first) && !isNil(other)) throw incompatible(first, other);
    } else if (k1 === 'int') {
      equal = bigIntValue(first) === bigIntValue(other);
    } else if (k1 === 'float') {
      equal = floatValue(first) === floatValue(other);
    } else if (k1 === 'bool' || k1 === 'string') {
      equal = first === other;
    } else if (isNil(first) || isNil(other)) {
      equal = isNil(first) === isNil(other);
    } else if (kindOf(first) !== kindOf(other)) {
      throw new GoError(
        `non-comparable types ${sprint([first], limits)}: ${typeName(first)}, ` +
          `${typeName(other)}: ${sprint([other], limits)}`,
      );
    } else if (first instanceof Date && other instanceof Date) {
      equal = first.getTime() === other.getTime();
    } else {
      throw new GoError(`non-comparable type ${sprint([other], limits)}: ${typeName(other)}`);
    }
    if (equal) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k2 === 'invalid') throw new GoError('invalid type for comparison');
  if (k1 !== k2) throw incompatible(a, b);
  switch (k1) {
    case 'bool':
      throw new GoError('invalid type for comparison');
    case 'int':
      return bigIntValue(a) < bigIntValue(b);
    case 'float':
      return floatValue(a) < floatValue(b);
    default:
      return compareStrings(a as string, b as string) < 0;
  }
}

// --- escaping ------------------------------------------------------------------------------------

/**
 * The text of the arguments as html, js and urlquery see it: nil is "<no value>", as when printed.
 */
function evalArgs(args: readonly unknown[], limits: FormatLimits): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(
    args.map((arg) => (isNil(arg) ? '<no value>' : arg)),
    limits,
  );
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\uFFFD',
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
};

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (char) => HTML_ESCAPES[char] ?? char);
}

const JS_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

function jsEscape(s: string): string {
  let out = '';
  for (const char of s) {
    const r = char.codePointAt(0) ?? 0;
    const simple = JS_ESCAPES[char];
    if (simple) out += simple;
    else if (r < 0x20) out += `\\u00${r.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (r < 0x80 || isPrintableRune(char)) out += char;
    else out += `\\u${r.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape: unreserved bytes stay, spaces become '+', everything else is %XX. */
function queryEscape(s: string): string {
  let out = '';
  for (const byte of utf8Bytes(s)) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(char)) out += char;
    else if (char === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Strings built by functions count against the output limit, so doubling a variable cannot exhaust
 * memory.
 */
function bounded(s: string, limits: FormatLimits): string {
  if (s.length > limits.maxLength)
    throw new LimitError(`template output exceeds the limit of ${limits.maxLength} characters`);
  return s;
}

function firstDeciding(args: readonly unknown[], wantTruth: boolean): unknown {
  for (const arg of args) if (truth(arg) === wantTruth) return arg;
  return args[args.length - 1];
}

export const builtinFunctions: ReadonlyMap<string, BuiltinFunction> = new Map<
  string,
  BuiltinFunction
>([
  [
    'and',
    { fixed: 1, variadic: true, shortCircuit: 'and', call: (args) => firstDeciding(args, false) },
  ],
  [
    'or',
    { fixed: 1, variadic: true, shortCircuit: 'or', call: (args) => firstDeciding(args, true) },
  ],
  ['not', { fixed: 1, variadic: false, call: ([arg]) => !truth(arg) }],
  [
    'call',
    {
      fixed: 1,
      variadic: true,
      call: ([fn], { argumentText }) => {
        if (isNil(fn)) throw new GoError('call of nil');
        if (kindOf(fn) !== 'func')
          throw new GoError(`non-function ${argumentText[0] ?? 'value'} of type ${typeName(fn)}`);
        throw new GoError('calling functions is not supported');
      },
    },
  ],
  ['index', { fixed: 1, variadic: true, call: (args) => index(args) }],
  ['slice', { fixed: 1, variadic: true, call: (args) => slice(args) }],
  ['len', { fixed: 1, variadic: false, call: ([item]) => length(item) }],
  [
    'print',
    { fixed: 0, variadic: true, call: (args, { limits }) => bounded(sprint(args, limits), limits) },
  ],
  [
    'println',
    {
      fixed: 0,
      variadic: true,
      call: (args, { limits }) => bounded(sprintln(args, limits), limits),
    },
  ],
  [
    'printf',
    {
      fixed: 1,
      variadic: true,
      stringFormat: true,
      call: ([format, ...args], { limits }) =>
        bounded(sprintf(format as string, args, limits), limits),
    },
  ],
  [
    'html',
    {
      fixed: 0,
      variadic: true,
      call: (args, { limits }) => bounded(htmlEscape(evalArgs(args, limits)), limits),
    },
  ],
  [
    'js',
    {
      fixed: 0,
      variadic: true,
      call: (args, { limits }) => bounded(jsEscape(evalArgs(args, limits)), limits),
    },
  ],
  [
    'urlquery',
    {
      fixed: 0,
      variadic: true,
      call: (args, { limits }) => bounded(queryEscape(evalArgs(args, limits)), limits),
    },
  ],
  ['eq', { fixed: 1, variadic: true, call: (args, { limits }) => eq(args, limits) }],
  ['ne', { fixed: 2, variadic: false, call: (args, { limits }) => !eq(args, limits) }],
  ['lt', { fixed: 2, variadic: false, call: ([a, b]) => lt(a, b) }],
  [
    'le',
    { fixed: 2, variadic: false, call: ([a, b], { limits }) => lt(a, b) || eq([a, b], limits) },
  ],
  [
    'gt',
    { fixed: 2, variadic: false, call: ([a, b], { limits }) => !(lt(a, b) || eq([a, b], limits)) },
  ],
  ['ge', { fixed: 2, variadic: false, call: ([a, b]) => !lt(a, b) }],
]);
