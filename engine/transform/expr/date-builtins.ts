// expr-lang's now(), duration() and date(). now() reads the evaluation's clock so results are
// reproducible.
import { expectString } from './builtin-arguments';
import { defineFunction, type FunctionDefinition } from './function-definition';
import { parseGoDuration } from './go-duration';
import { parseGoTime } from './go-time';
import { fail } from './runtime-context';
import { isDate } from './runtime';

// The layouts date() tries, in expr-lang's order, when no layout is given.
const defaultLayouts = [
  '2006-01-02',
  '15:04:05',
  '2006-01-02 15:04:05',
  '2006-01-02T15:04:05Z07:00', // RFC 3339
  '02 Jan 06 15:04 MST', // RFC 822
  'Monday, 02-Jan-06 15:04:05 MST', // RFC 850
  'Mon, 02 Jan 2006 15:04:05 MST', // RFC 1123
];

export const dateBuiltins: Record<string, FunctionDefinition> = {
  now: defineFunction(0, 0, (_args, context) => new Date(context.now.getTime())),
  duration: defineFunction(1, 1, ([text]) => {
    const value = expectString('duration', text);
    return parseGoDuration(value) ?? fail(`time: invalid duration ${JSON.stringify(value)}`);
  }),
  date: defineFunction(1, 3, ([value, layout, timeZone]) => {
    // Timestamp columns already arrive as Dates; accepting them saves a round trip through text.
    if (isDate(value)) return new Date(value.getTime());
    const text = expectString('date', value);
    const zone = timeZone === undefined ? undefined : expectString('date', timeZone);
    if (layout !== undefined) {
      const parsed = parseGoTime(text, expectString('date', layout), zone);
      return typeof parsed === 'string' ? fail(parsed) : parsed;
    }
    for (const candidate of defaultLayouts) {
      const parsed = parseGoTime(text, candidate);
      if (typeof parsed !== 'string') return parsed;
    }
    return fail(`invalid date ${text}`);
  }),
};
