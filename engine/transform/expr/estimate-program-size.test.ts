import { RE2JS } from 're2js';
import { expect, test } from 'vitest';
import { estimateProgramSize } from './estimate-program-size';

// The estimate must not fall short of what RE2 compiles (less its two-instruction prologue): it is what stops a
// pattern that would take long to compile.
test.each([
  'a',
  'a*a*a*a*b',
  '(a+)+$',
  '(a|a)*b',
  '(?P<digits>\\d+)-(?<rest>.*)',
  '(?i)abc',
  '[[:alpha:]]+',
  '\\Aabc\\z',
  '\\pL{1000}z',
  '\\p{Greek}{2,4}',
  '(?:[a-z][0-9]){1000}',
  '(.{100}){10}z',
  '(a|b|ab|ba|c|cc){1,1000}d',
  '(?:.*x){0,1000}y',
  '^\\d{4}-\\d{2}-\\d{2}$',
  '[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,255}\\.[a-z]{2,63}',
  '\\Q.*+\\E{3}',
  'x{2,5}?',
  '(a)(b)(c)|d',
  '^(\\d{3}-){2}\\d{4}$',
  '(?s:.)+',
  '((a){3}){3}',
  '(?:[abc]?){1000}[abc]{1000}d',
  '(?i)(?:\\pL|\\pN|\\pS){1,1000}',
])('%s', (pattern) => {
  expect(estimateProgramSize(pattern) + 2).toBeGreaterThanOrEqual(
    RE2JS.compile(pattern).programSize(),
  );
});
