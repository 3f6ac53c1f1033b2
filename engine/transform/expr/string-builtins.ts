// expr-lang's string built-ins with Go's strings-package semantics, except that positions and
// lengths count Unicode code points rather than UTF-8 bytes.
import { expectArray, expectInteger, expectString } from './builtin-arguments';
import { defineFunction, type FunctionDefinition } from './function-definition';
import { fail, type RuntimeContext } from './runtime-context';
import { codePointLength, codePoints, typeName } from './runtime';

// Go's repeat refuses more than a million repetitions whatever the output limit is.
const maxRepeatCount = 1_000_000;

export const stringBuiltins: Record<string, FunctionDefinition> = {
  trim: defineFunction(1, 2, ([text, cutset]) => {
    const value = expectString('trim', text);
    if (cutset === undefined) return value.trim();
    const characters = new Set(codePoints(expectString('trim', cutset)));
    const points = codePoints(value);
    let start = 0;
    let end = points.length;
    while (start < end && characters.has(points[start] ?? '')) start++;
    while (end > start && characters.has(points[end - 1] ?? '')) end--;
    return points.slice(start, end).join('');
  }),
  trimPrefix: defineFunction(1, 2, ([text, prefix = ' ']) => {
    const value = expectString('trimPrefix', text);
    const cut = expectString('trimPrefix', prefix);
    return value.startsWith(cut) ? value.slice(cut.length) : value;
  }),
  trimSuffix: defineFunction(1, 2, ([text, suffix = ' ']) => {
    const value = expectString('trimSuffix', text);
    const cut = expectString('trimSuffix', suffix);
    return cut !== '' && value.endsWith(cut) ? value.slice(0, value.length - cut.length) : value;
  }),
  upper: defineFunction(1, 1, ([text]) => expectString('upper', text).toUpperCase()),
  lower: defineFunction(1, 1, ([text]) => expectString('lower', text).toLowerCase()),
  split: defineFunction(2, 3, ([text, separator, limit], context) =>
    splitGo('split', text, separator, limit, false, context),
  ),
  splitAfter: defineFunction(2, 3, ([text, separator, limit], context) =>
    splitGo('splitAfter', text, separator, limit, true, context),
  ),
  replace: defineFunction(3, 4, ([text, old, replacement, limit], context) =>
    replaceGo(
      expectString('replace', text),
      expectString('replace', old),
      expectString('replace', replacement),
      limit === undefined ? -1 : expectInteger('replace', limit),
      context,
    ),
  ),
  repeat: defineFunction(2, 2, ([text, count], context) => {
    const value = expectString('repeat', text);
    const times = expectInteger('repeat', count);
    if (times < 0) fail(`invalid argument for repeat (expected positive integer, got ${times})`);
    if (times > maxRepeatCount) fail('memory budget exceeded');
    context.reserveOutput(value.length * times);
    return value.repeat(times);
  }),
  join: defineFunction(1, 2, ([items, separator = ''], context) => {
    const glue = expectString('join', separator);
    const parts = expectArray('join', items).map((item) => {
      if (typeof item !== 'string')
        fail(
          `invalid argument for join (expected array of strings, got an element of type ` +
            `${typeName(item)})`,
        );
      return item;
    });
    context.reserveOutput(parts.reduce((total, part) => total + part.length + glue.length, 0));
    return parts.join(glue);
  }),
  indexOf: defineFunction(2, 2, ([text, search]) => {
    const value = expectString('indexOf', text);
    const found = value.indexOf(expectString('indexOf', search));
    return found < 0 ? -1 : codePointLength(value.slice(0, found));
  }),
  lastIndexOf: defineFunction(2, 2, ([text, search]) => {
    const value = expectString('lastIndexOf', text);
    const found = value.lastIndexOf(expectString('lastIndexOf', search));
    return found < 0 ? -1 : codePointLength(value.slice(0, found));
  }),
  hasPrefix: defineFunction(2, 2, ([text, prefix]) =>
    expectString('hasPrefix', text).startsWith(expectString('hasPrefix', prefix)),
  ),
  hasSuffix: defineFunction(2, 2, ([text, suffix]) =>
    expectString('hasSuffix', text).endsWith(expectString('hasSuffix', suffix)),
  ),
};

/**
 * Go's strings.SplitN / SplitAfterN: a limit of 0 gives no pieces, a negative limit all of them.
 */
function splitGo(
  name: string,
  text: unknown,
  separator: unknown,
  limit: unknown,
  keepSeparator: boolean,
  context: RuntimeContext,
): string[] {
  const value = expectString(name, text);
  const delimiter = expectString(name, separator);
  const maxPieces = limit === undefined ? -1 : expectInteger(name, limit);
  if (maxPieces === 0) return [];
  if (delimiter === '') {
    const points = codePoints(value);
    context.reserveOutput(points.length);
    if (maxPieces < 0 || maxPieces >= points.length) return points;
    return [...points.slice(0, maxPieces - 1), points.slice(maxPieces - 1).join('')];
  }
  const pieces: string[] = [];
  let start = 0;
  while (maxPieces < 0 || pieces.length < maxPieces - 1) {
    const found = value.indexOf(delimiter, start);
    if (found < 0) break;
    context.step();
    pieces.push(value.slice(start, keepSeparator ? found + delimiter.length : found));
    start = found + delimiter.length;
  }
  pieces.push(value.slice(start));
  context.reserveOutput(pieces.length);
  return pieces;
}

/**
 * Go's strings.Replace: an empty `old` inserts `replacement` before every code point and at the
 * end.
 */
function replaceGo(
  text: string,
  old: string,
  replacement: string,
  limit: number,
  context: RuntimeContext,
): string {
  if (old === replacement || limit === 0) return text;
  const points = old === '' ? codePoints(text) : [];
  const occurrences = old === '' ? points.length + 1 : countOccurrences(text, old);
  const count = limit < 0 || occurrences < limit ? occurrences : limit;
  if (count === 0) return text;
  context.reserveOutput(text.length + count * (replacement.length - old.length));
  if (old === '') {
    return (
      points.map((point, index) => (index < count ? replacement : '') + point).join('') +
      (count > points.length ? replacement : '')
    );
  }
  let result = '';
  let start = 0;
  for (let done = 0; done < count; done++) {
    const found = text.indexOf(old, start);
    result += text.slice(start, found) + replacement;
    start = found + old.length;
  }
  return result + text.slice(start);
}

function countOccurrences(text: string, search: string): number {
  let count = 0;
  for (
    let found = text.indexOf(search);
    found >= 0;
    found = text.indexOf(search, found + search.length)
  )
    count++;
  return count;
}
