// expr-lang's type and conversion built-ins: type, int, float, string, and the JSON and Base64
// codecs.
import { expectString } from './builtin-arguments';
import { defineFunction, type FunctionDefinition } from './function-definition';
import { toGoJson } from './go-json';
import { integerResult } from './operators';
import { ExprRuntimeError, fail } from './runtime-context';
import { formatValue, typeName } from './runtime';

const maxInt64 = 2n ** 63n - 1n;
const minInt64 = -(2n ** 63n);
/**
 * Numeric text beyond this is not parsed: see maxNumericTextLength in exact-number.ts, the same
 * bound for columns.
 */
const maxNumericTextLength = 1_000;

/**
 * Text as an error message shows it: long text is cut, so one record's error cannot be megabytes.
 */
function shown(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export const conversionBuiltins: Record<string, FunctionDefinition> = {
  type: defineFunction(1, 1, ([value]) => typeName(value)),
  int: defineFunction(1, 1, ([value]) => toInt(value)),
  float: defineFunction(1, 1, ([value]) => toFloat(value)),
  string: defineFunction(1, 1, ([value], context) => formatValue(value, context)),
  toJSON: defineFunction(1, 1, ([value], context) => toGoJson(value, context)),
  fromJSON: defineFunction(1, 1, ([text]) => {
    try {
      return JSON.parse(expectString('fromJSON', text)) as unknown;
    } catch (error) {
      if (error instanceof ExprRuntimeError) throw error;
      return fail(`fromJSON: ${error instanceof Error ? error.message : 'invalid JSON'}`);
    }
  }),
  toBase64: defineFunction(1, 1, ([text], context) => {
    const bytes = new TextEncoder().encode(expectString('toBase64', text));
    context.reserveOutput(Math.ceil(bytes.length / 3) * 4);
    let binary = '';
    // Chunked, because spreading a very long byte array into one call overflows the argument limit.
    for (let index = 0; index < bytes.length; index += 0x8000)
      binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
    return btoa(binary);
  }),
  fromBase64: defineFunction(1, 1, ([text]) => {
    // Go's standard encoding skips line breaks but otherwise wants canonical, padded input.
    const encoded = expectString('fromBase64', text).replace(/[\r\n]/g, '');
    const invalid = encoded.search(/[^A-Za-z0-9+/=]/);
    if (
      invalid >= 0 ||
      !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(encoded)
    ) {
      fail(`illegal base64 data at input byte ${invalid >= 0 ? invalid : encoded.length}`);
    }
    const binary = atob(encoded);
    return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  }),
};

function toInt(value: unknown): number | bigint {
  if (typeof value === 'bigint') return integerResult(value, true);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`invalid operation: int(${formatValue(value)})`);
    const truncated = Math.trunc(value);
    return Number.isSafeInteger(truncated) ? truncated + 0 : integerResult(BigInt(truncated));
  }
  if (typeof value === 'string') {
    // strconv.Atoi: an optional sign and decimal digits, nothing else (no spaces, no decimals).
    if (!/^[+-]?\d+$/.test(value)) fail(`invalid operation: int(${shown(value)})`);
    // Past int64's 19 digits (and leading zeros) it is out of range; BigInt of very long text takes
    // long.
    if (value.length > maxNumericTextLength)
      fail(`invalid operation: int(${shown(value)}) (value out of range)`);
    const parsed = BigInt(value);
    if (parsed > maxInt64 || parsed < minInt64)
      fail(`invalid operation: int(${shown(value)}) (value out of range)`);
    return integerResult(parsed);
  }
  return fail(`invalid operation: int(${typeName(value)})`);
}

function toFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    if (value.length > maxNumericTextLength)
      fail(
        `invalid operation: float(${shown(value)}) (text longer than ${maxNumericTextLength} ` +
          `characters)`,
      );
    // strconv.ParseFloat accepts decimal and exponent forms plus inf/infinity/nan in any case. Each
    // digit can be read one way only (`\d+\.?\d*` could split a run of digits at every place, which
    // takes quadratic time).
    if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(value)) return Number(value);
    const special = /^([+-]?)(inf|infinity|nan)$/i.exec(value);
    if (special)
      return special[2]?.toLowerCase() === 'nan'
        ? Number.NaN
        : special[1] === '-'
          ? -Infinity
          : Infinity;
    return fail(`invalid operation: float(${shown(value)})`);
  }
  return fail(`invalid operation: float(${typeName(value)})`);
}
