// Compiles the patterns `matches` takes with re2js, a port of RE2: the syntax and semantics of Go's regexp (which
// expr-lang uses), and matching in time linear in the input whatever the pattern. What is left to bound is the
// compiled program: compiling costs time in proportion to its size, and so can matching (up to size × input length),
// and a short pattern can be large (`(?:abc){1000}`). Its size is estimated from the text before anything is compiled.
import { RE2JS } from 're2js';

export const maxPatternLength = 1000;
/** Instructions in one compiled pattern: compiling takes about 1–2 µs each, which keeps one compilation near 20 ms. */
export const maxProgramSize = 10_000;

/** What the literal patterns compiled together (one expression, or one stream's mappings) may add up to: at most about half a second of compiling. */
export const maxProgramSizeTogether = 50_000;

export type CompiledRegex = { regex: RE2JS; size: number };

/** The instructions literal patterns compiled together may still use; a pattern counts once however often it appears. */
export type RegexAllowance = { remaining: number; counted: Set<string> };

export function createRegexAllowance(): RegexAllowance {
  return { remaining: maxProgramSizeTogether, counted: new Set() };
}

// Compiled patterns are kept by text, least recently used first out. Few: each may hold a lazily built DFA cache.
const maxCached = 64;
const cache = new Map<string, CompiledRegex | string>();

/** A compiled pattern, or why it cannot be one (RE2's own message for a syntax error, as Go reports it). */
export function compileRegex(pattern: string): CompiledRegex | string {
  const cached = cache.get(pattern);
  if (cached !== undefined) {
    cache.delete(pattern);
    cache.set(pattern, cached);
    return cached;
  }
  const result = compile(pattern);
  cache.set(pattern, result);
  if (cache.size > maxCached) {
    const [oldest, evicted] = cache.entries().next().value!;
    cache.delete(oldest);
    if (typeof evicted !== 'string') evicted.regex.reset();
  }
  return result;
}

/**
 * Compiles a pattern written in an expression, counting it against the allowance first, so a mapping with many
 * large patterns is refused before it takes long to compile (and whatever is cached, the same mappings get the
 * same answer).
 */
export function compileLiteralRegex(pattern: string, allowance: RegexAllowance): CompiledRegex | string {
  if (!allowance.counted.has(pattern)) {
    const size = checkRegexSize(pattern);
    if (typeof size === 'string') return size;
    allowance.counted.add(pattern);
    allowance.remaining -= size;
    if (allowance.remaining < 0) {
      return `the regular expressions here are too large together (more than ${maxProgramSizeTogether} instructions once compiled): use fewer or smaller patterns`;
    }
  }
  return compileRegex(pattern);
}

/** Whether compileRegex would compile this pattern now, rather than answer from its cache. */
export function isRegexCached(pattern: string): boolean {
  return cache.has(pattern);
}

function compile(pattern: string): CompiledRegex | string {
  const problem = checkRegexSize(pattern);
  if (typeof problem === 'string') return problem;
  try {
    const regex = RE2JS.compile(pattern);
    return { regex, size: regex.programSize() };
  } catch (error) {
    // RE2's messages read like Go's: "error parsing regexp: invalid escape sequence: `\1`".
    return error instanceof Error ? error.message : `error parsing regexp: ${String(error)}`;
  }
}

/** The pattern's estimated program size, or why it is too long or too large to compile. */
export function checkRegexSize(pattern: string): number | string {
  if (pattern.length > maxPatternLength) return `regular expression is too long (more than ${maxPatternLength} characters)`;
  const size = estimateProgramSize(pattern);
  if (size > maxProgramSize) {
    return `regular expression is too large (about ${size} instructions once compiled, more than ${maxProgramSize}): use smaller counts in repetitions such as {n,m}`;
  }
  return size;
}

type Frame = { done: number; current: number; alternatives: number; capture: boolean };

/**
 * About the number of instructions RE2 compiles the pattern to, counted as RE2's parser counts a pattern's size
 * (a literal character or class is one, `x{n,m}` is m copies of x plus m - n): one pass over the text. Invalid
 * syntax is counted somehow; compiling reports it.
 */
export function estimateProgramSize(pattern: string): number {
  const stack: Frame[] = [{ done: 0, current: 0, alternatives: 1, capture: false }];
  /** The size of the last atom, which a following repetition applies to. */
  let last = 0;
  let index = 0;
  const top = () => stack[stack.length - 1]!;
  const atom = (size: number) => {
    top().current += size;
    last = size;
  };
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', index + 2);
        const literal = end < 0 ? pattern.length - index - 2 : end - index - 2;
        if (literal > 0) atom(literal);
        index = end < 0 ? pattern.length : end + 2;
        // A repetition after \Q…\E repeats its last character only.
        last = Math.min(last, 1);
        continue;
      }
      const braced = /[pPx]/.test(next) && pattern[index + 2] === '{';
      index = braced ? pattern.indexOf('}', index) + 1 || pattern.length : index + 2;
      atom(1);
      continue;
    }
    if (char === '[') {
      index = skipClass(pattern, index);
      atom(1);
      continue;
    }
    if (char === '(') {
      const flagsOnly = /^\(\?[a-zA-Z-]*\)/.exec(pattern.slice(index, index + 16));
      if (flagsOnly) {
        index += flagsOnly[0].length;
        last = 0;
        continue;
      }
      const prefix = /^\(\?(?:[a-zA-Z-]*:|P?<[^>]*>)?/.exec(pattern.slice(index, index + 64))?.[0] ?? '(';
      stack.push({ done: 0, current: 0, alternatives: 1, capture: prefix === '(' || prefix.endsWith('>') });
      index += prefix.length;
      continue;
    }
    if (char === ')' && stack.length > 1) {
      const frame = stack.pop()!;
      atom(frame.done + frame.current + (frame.alternatives - 1) + (frame.capture ? 2 : 0));
      index++;
      continue;
    }
    if (char === '|') {
      const frame = top();
      frame.done += frame.current;
      frame.current = 0;
      frame.alternatives++;
      last = 0;
      index++;
      continue;
    }
    const repetition = readRepetition(pattern, index);
    if (repetition !== undefined) {
      const { min, max } = repetition;
      const repeated = max < 0 ? (min === 0 ? 2 + last : 1 + min * last) : max * last + (max - min);
      top().current += repeated - last;
      last = repeated;
      index += repetition.length;
      continue;
    }
    index++;
    atom(1);
  }
  while (stack.length > 1) {
    const frame = stack.pop()!;
    top().current += frame.done + frame.current + frame.alternatives;
  }
  const root = stack[0]!;
  return Math.max(1, root.done + root.current + (root.alternatives - 1));
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

/** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` (and their lazy forms); `max` -1 is unbounded. RE2 caps counts at 1000. */
function readRepetition(pattern: string, index: number): { min: number; max: number; length: number } | undefined {
  const char = pattern[index];
  const lazy = (length: number) => (pattern[index + length] === '?' ? length + 1 : length);
  if (char === '*') return { min: 0, max: -1, length: lazy(1) };
  if (char === '+') return { min: 1, max: -1, length: lazy(1) };
  if (char === '?') return { min: 0, max: 1, length: lazy(1) };
  if (char !== '{') return undefined;
  const match = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(pattern.slice(index, index + 12));
  if (match === null) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : match[3] === '' ? -1 : Number(match[3]);
  return { min, max, length: lazy(match[0].length) };
}
