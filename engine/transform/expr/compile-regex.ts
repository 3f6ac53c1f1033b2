// Turns an RE2 pattern (what expr-lang's `matches` accepts) into a JS RegExp, refusing patterns that
// would make JS's backtracking engine run for an unbounded time. JS cannot interrupt a running regex,
// so the guards are: a pattern length cap, no repeated group that contains a variable repetition or an
// alternation (the exponential shapes like `(a+)+` or `(a|a)*`; `(\d{3}-){2}` is fine), and a cap on
// the input length (see operators.ts). Polynomial backtracking (`.*.*.*x`) remains possible within that cap.

export const maxPatternLength = 1000;

const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ', upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp | string>();

/** A RegExp, or an error message when the pattern is invalid or unsafe. */
export function compileRegex(pattern: string): RegExp | string {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  const result = translate(pattern);
  if (cache.size >= 500) cache.clear();
  cache.set(pattern, result);
  return result;
}

function translate(pattern: string): RegExp | string {
  if (pattern.length > maxPatternLength) return `regular expression is too long (more than ${maxPatternLength} characters)`;
  let flags = '';
  let body = pattern;
  const inlineFlags = /^\(\?([imsU]+)\)/.exec(body);
  if (inlineFlags) {
    if (inlineFlags[1]?.includes('U')) return 'error parsing regexp: the ungreedy flag (?U) is not supported';
    flags = [...new Set(inlineFlags[1])].join('');
    body = body.slice(inlineFlags[0].length);
  }
  const problem = findUnsupportedSyntax(body);
  if (problem !== undefined) return `error parsing regexp: ${problem} in ${JSON.stringify(pattern)}`;
  const unknownClass = [...body.matchAll(/\[:(\^?)([a-z]+):\]/g)].find((match) => match[1] !== '' || !Object.hasOwn(posixClasses, String(match[2])));
  if (unknownClass) return `error parsing regexp: unsupported character class ${unknownClass[0]}`;
  const source = body
    .replaceAll('(?P<', '(?<')
    .replace(/\[:([a-z]+):\]/g, (_whole, name: string) => (Object.hasOwn(posixClasses, name) ? posixClasses[name] : undefined) ?? '')
    .replace(/(^|[^\\])((?:\\\\)*)\\A/g, '$1$2(?<![\\s\\S])')
    .replace(/(^|[^\\])((?:\\\\)*)\\z/g, '$1$2(?![\\s\\S])');
  for (const extra of ['u', '']) {
    try {
      return new RegExp(source, flags + extra);
    } catch {
      // Unicode mode rejects escapes RE2 allows (like `\-` outside a class); retry without it.
    }
  }
  return `error parsing regexp: invalid syntax in ${JSON.stringify(pattern)}`;
}

/** `ambiguous`: the group can match the same text in more than one way (a variable quantifier or `|` inside). */
type Group = { ambiguous: boolean };

/** Scans the pattern once, skipping escapes and character classes, for syntax RE2 lacks or that backtracks badly. */
function findUnsupportedSyntax(pattern: string): string | undefined {
  const groups: Group[] = [{ ambiguous: false }];
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index];
    const top = groups[groups.length - 1]!;
    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      if (/[1-9k]/.test(next)) return 'backreferences are not supported';
      const braced = /[pPx]/.test(next) && pattern[index + 2] === '{';
      index = braced ? pattern.indexOf('}', index) + 1 || pattern.length : index + 2;
      continue;
    }
    if (char === '[') {
      index = skipClass(pattern, index);
      continue;
    }
    if (char === '(') {
      if (/^\(\?(?:[=!]|<[=!])/.test(pattern.slice(index))) return 'lookaround assertions are not supported';
      if (/^\(\?[imsU-]+[:)]/.test(pattern.slice(index))) return 'flags are only supported at the start of the pattern';
      groups.push({ ambiguous: false });
      // Skip the `?:`, `?<name>` or `?P<name>` that follows, so its `?` is not read as a quantifier.
      const groupSyntax = /^\(\?(?::|P?<[^>]*>)?/.exec(pattern.slice(index));
      index += groupSyntax?.[0].length ?? 1;
      continue;
    }
    if (char === ')') {
      const inner = groups.length > 1 ? groups.pop()! : top;
      const parent = groups[groups.length - 1]!;
      index++;
      const quantifier = readQuantifier(pattern, index);
      if (quantifier.repeats && inner.ambiguous) {
        return 'a repeated group may not contain a variable repetition or alternation (it could take exponential time)';
      }
      parent.ambiguous ||= inner.ambiguous || quantifier.variable;
      index += quantifier.length;
      continue;
    }
    if (char === '|') top.ambiguous = true;
    const quantifier = readQuantifier(pattern, index);
    if (quantifier.length > 0) {
      top.ambiguous ||= quantifier.variable;
      index += quantifier.length;
      continue;
    }
    index++;
  }
  return undefined;
}

function skipClass(pattern: string, start: number): number {
  let index = start + 1;
  if (pattern[index] === '^') index++;
  if (pattern[index] === ']') index++;
  while (index < pattern.length && pattern[index] !== ']') {
    if (pattern[index] === '\\') index += 2;
    else if (pattern.startsWith('[:', index)) index = pattern.indexOf(':]', index + 2) + 2 || pattern.length;
    else index++;
  }
  return index + 1;
}

/**
 * `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` (optionally lazy). `repeats`: it can match more than once;
 * `variable`: the number of matches is not fixed, which is what makes backtracking branch.
 */
function readQuantifier(pattern: string, index: number): { length: number; repeats: boolean; variable: boolean } {
  const match = /^(?:[*+?]|\{(\d+)(,(\d*))?\})\??/.exec(pattern.slice(index, index + 24));
  if (match === null) return { length: 0, repeats: false, variable: false };
  const text = match[0];
  if (text.startsWith('*') || text.startsWith('+')) return { length: text.length, repeats: true, variable: true };
  if (text.startsWith('?')) return { length: text.length, repeats: false, variable: true };
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
  return { length: text.length, repeats: max > 1, variable: max !== min };
}
