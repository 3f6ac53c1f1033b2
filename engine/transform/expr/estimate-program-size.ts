// Pure: about how many instructions RE2 compiles a pattern to, from its text alone, so a pattern
// too large to compile quickly is refused before it is compiled.

type Frame = { done: number; current: number; alternatives: number; capture: boolean };

/**
 * About the number of instructions RE2 compiles the pattern to, counted as RE2's parser counts a
 * pattern's size (a literal character or class is one, `x{n,m}` is m copies of x plus m - n): one
 * pass over the text. Invalid syntax is counted somehow; compiling reports it.
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
      const prefix =
        /^\(\?(?:[a-zA-Z-]*:|P?<[^>]*>)?/.exec(pattern.slice(index, index + 64))?.[0] ?? '(';
      stack.push({
        done: 0,
        current: 0,
        alternatives: 1,
        capture: prefix === '(' || prefix.endsWith('>'),
      });
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
    else if (pattern.startsWith('[:', index))
      index = pattern.indexOf(':]', index + 2) + 2 || pattern.length;
    else index++;
  }
  return index + 1;
}

/**
 * `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` (and their lazy forms); `max` -1 is unbounded. RE2 caps
 * counts at 1000.
 */
function readRepetition(
  pattern: string,
  index: number,
): { min: number; max: number; length: number } | undefined {
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
