// Compiles the patterns `matches` takes with re2js, a port of RE2: the syntax and semantics of Go's
// regexp (which expr-lang uses), and matching in time linear in the input whatever the pattern.
// What is left to bound is the compiled program: compiling costs time in proportion to its size,
// and so can matching (up to size × input length), and a short pattern can be large
// (`(?:abc){1000}`). Its size is estimated from the text before anything is compiled.
import { RE2JS } from 're2js';
import { estimateProgramSize } from './estimate-program-size';

export const maxPatternLength = 1000;
/**
 * Instructions in one compiled pattern: compiling takes about 1–2 µs each, which keeps one
 * compilation near 20 ms.
 */
export const maxProgramSize = 10_000;

/**
 * What the literal patterns compiled together (one expression, or one stream's mappings) may add up
 * to: at most about half a second of compiling.
 */
export const maxProgramSizeTogether = 50_000;

export type CompiledRegex = { regex: RE2JS; size: number };

/**
 * The instructions literal patterns compiled together may still use; a pattern counts once however
 * often it appears.
 */
export type RegexAllowance = { remaining: number; counted: Set<string> };

export function createRegexAllowance(): RegexAllowance {
  return { remaining: maxProgramSizeTogether, counted: new Set() };
}

// Compiled patterns are kept by text, least recently used first out. Few: each may fill a lazily
// built DFA cache (about 3 MB of heap when a pattern's states keep changing).
const maxCached = 32;
const cache = new Map<string, CompiledRegex | string>();

/**
 * A compiled pattern, or why it cannot be one (RE2's own message for a syntax error, as Go reports
 * it).
 */
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
 * Compiles a pattern written in an expression, counting it against the allowance first, so a
 * mapping with many large patterns is refused before it takes long to compile (and whatever is
 * cached, the same mappings get the same answer).
 */
export function compileLiteralRegex(
  pattern: string,
  allowance: RegexAllowance,
): CompiledRegex | string {
  if (!allowance.counted.has(pattern)) {
    const size = checkRegexSize(pattern);
    if (typeof size === 'string') return size;
    allowance.counted.add(pattern);
    allowance.remaining -= size;
    if (allowance.remaining < 0) {
      return (
        `the regular expressions here are too large together (more than ` +
        `${maxProgramSizeTogether} instructions once compiled): use fewer or smaller patterns`
      );
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
  if (pattern.length > maxPatternLength)
    return `regular expression is too long (more than ${maxPatternLength} characters)`;
  const size = estimateProgramSize(pattern);
  if (size > maxProgramSize) {
    return (
      `regular expression is too large (about ${size} instructions once compiled, more than ` +
      `${maxProgramSize}): use smaller counts in repetitions such as {n,m}`
    );
  }
  return size;
}
