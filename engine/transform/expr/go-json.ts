// toJSON output identical to Go's json.MarshalIndent(v, "", "  "): sorted map keys, HTML-safe
// escapes, times as RFC 3339 strings and durations as nanosecond counts.
import { GoDuration } from './go-duration';
import { formatGoTime } from './go-time';
import { fail, type RuntimeContext } from './runtime-context';
import { isDate, isMap, isNil, sortedKeys, typeName } from './runtime';

export function toGoJson(value: unknown, context: RuntimeContext): string {
  const parts: string[] = [];
  let length = 0;
  const write = (text: string) => {
    length += text.length;
    if (length > context.maxOutputLength) context.reserveOutput(length);
    parts.push(text);
  };
  const visit = (item: unknown, indent: string) => {
    context.step();
    const inner = `${indent}  `;
    if (Array.isArray(item)) {
      if (item.length === 0) return write('[]');
      write('[');
      item.forEach((element, index) => {
        write(`${index > 0 ? ',' : ''}\n${inner}`);
        visit(element, inner);
      });
      write(`\n${indent}]`);
    } else if (isMap(item)) {
      const keys = sortedKeys(item);
      if (keys.length === 0) return write('{}');
      write('{');
      keys.forEach((key, index) => {
        write(`${index > 0 ? ',' : ''}\n${inner}${quote(key)}: `);
        visit(item[key], inner);
      });
      write(`\n${indent}}`);
    } else {
      write(scalarJson(item));
    }
  };
  visit(value, '');
  context.reserveOutput(length);
  return parts.join('');
}

function scalarJson(value: unknown): string {
  if (isNil(value)) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`json: unsupported value: ${value}`);
    return String(value);
  }
  if (isDate(value)) return quote(formatGoTime(value, '2006-01-02T15:04:05.999999999Z07:00'));
  if (value instanceof GoDuration) return String(value.nanoseconds);
  return fail(`json: unsupported type: ${typeName(value)}`);
}

/** Go escapes <, > and & (and the JS line separators) so JSON can be embedded in HTML. */
function quote(text: string): string {
  return JSON.stringify(text).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
