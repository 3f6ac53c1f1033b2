// The expr-lang built-in functions (v1.16 language definition), by name.
//
// Deliberately not supported, or supported differently from Go's expr:
// - Dates are JS Dates: millisecond precision and no location. Methods (Year(), Format(), …) and
//   string() report UTC; date(s, layout, zone) reads the wall time in `zone` but the result forgets
//   it. Supported methods: Year Month Day Hour Minute Second Nanosecond Weekday YearDay Unix
//   UnixMilli UnixNano IsZero UTC Local String Format Add Sub AddDate Before After Equal, and on
//   durations Hours Minutes Seconds Milliseconds Microseconds Nanoseconds Abs String. Month() and
//   Weekday() return numbers (Go's named types print as "January"/"Sunday").
// - timezone(), now(tz) and date(tz, …) (location values) are not supported.
// - splitN/splitAfterN (pre-1.14 names) are not provided; use split/splitAfter with a third
//   argument.
// - Positions and lengths (len, indexOf, slicing, string indexing) count code points, not UTF-8
//   bytes.
// - Ints and floats are both JS numbers, so an integral float such as 4/2 behaves as an int:
//   type(4/2) is "int" and 4/2 % 2 is allowed (Go reports "float" and rejects the modulo).
// - Integer overflow beyond int64 is an error instead of wrapping around; division by zero is an
//   error for floats too (Go yields ±Inf).
// - keys()/values() follow insertion order rather than Go's random map order.
// - Maps have string keys: groupBy keys and map literal keys are converted to strings.
import { collectionBuiltins } from './collection-builtins';
import { conversionBuiltins } from './conversion-builtins';
import { dateBuiltins } from './date-builtins';
import type { FunctionDefinition } from './function-definition';
import { numberBuiltins } from './number-builtins';
import { stringBuiltins } from './string-builtins';

export const builtins: Record<string, FunctionDefinition> = {
  ...stringBuiltins,
  ...numberBuiltins,
  ...conversionBuiltins,
  ...collectionBuiltins,
  ...dateBuiltins,
};
