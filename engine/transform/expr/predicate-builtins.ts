// expr-lang's built-ins that take a predicate (a closure over `#`). Every predicate call is an
// evaluation step, so nested loops like map(1..1000000, map(1..1000000, #)) stop at the step
// budget.
import { expectArray } from './builtin-arguments';
import { sortValues } from './collection-builtins';
import { integerResult } from './operators';
import type { PredicateBuiltinName } from './parser';
import { fail, type RuntimeContext } from './runtime-context';
import { formatValue, isInteger, isNumber, setEntry, typeName, type ExprMap } from './runtime';

/** Evaluates the predicate body with `#` = item, `#index` = index and `#acc` = accumulator. */
export type Predicate = (item: unknown, index: number, accumulator?: unknown) => unknown;

type PredicateBuiltin = (
  collection: unknown,
  predicate: Predicate | undefined,
  extra: unknown[],
  context: RuntimeContext,
) => unknown;

export const predicateBuiltins: Record<PredicateBuiltinName, PredicateBuiltin> = {
  all: (collection, predicate, _extra, context) =>
    items('all', collection).every((item, index) => test('all', predicate, item, index, context)),
  any: (collection, predicate, _extra, context) =>
    items('any', collection).some((item, index) => test('any', predicate, item, index, context)),
  none: (collection, predicate, _extra, context) =>
    !items('none', collection).some((item, index) => test('none', predicate, item, index, context)),
  one: (collection, predicate, _extra, context) => {
    let matches = 0;
    for (const [index, item] of items('one', collection).entries()) {
      if (test('one', predicate, item, index, context)) matches++;
      if (matches > 1) return false;
    }
    return matches === 1;
  },
  filter: (collection, predicate, _extra, context) => {
    const kept = items('filter', collection).filter((item, index) =>
      test('filter', predicate, item, index, context),
    );
    context.reserveOutput(kept.length);
    return kept;
  },
  map: (collection, predicate, _extra, context) => {
    const source = items('map', collection);
    context.reserveOutput(source.length);
    return source.map((item, index) => call(predicate, item, index, context));
  },
  count: (collection, predicate, _extra, context) =>
    items('count', collection).filter((item, index) =>
      test('count', predicate, item, index, context),
    ).length,
  sum: (collection, predicate, _extra, context) =>
    items('sum', collection).reduce<unknown>(
      (total, item, index) => addNumbers(total, call(predicate, item, index, context)),
      0,
    ),
  find: (collection, predicate, _extra, context) =>
    items('find', collection).find((item, index) =>
      test('find', predicate, item, index, context),
    ) ?? null,
  findIndex: (collection, predicate, _extra, context) =>
    items('findIndex', collection).findIndex((item, index) =>
      test('findIndex', predicate, item, index, context),
    ),
  findLast: (collection, predicate, _extra, context) =>
    items('findLast', collection).findLast((item, index) =>
      test('findLast', predicate, item, index, context),
    ) ?? null,
  findLastIndex: (collection, predicate, _extra, context) =>
    items('findLastIndex', collection).findLastIndex((item, index) =>
      test('findLastIndex', predicate, item, index, context),
    ),
  groupBy: (collection, predicate, _extra, context) => {
    const groups: ExprMap = {};
    for (const [index, item] of items('groupBy', collection).entries()) {
      // Our maps have string keys, so a group key is printed the way string() would print it.
      const key = formatValue(call(predicate, item, index, context));
      const group = Object.hasOwn(groups, key) ? (groups[key] as unknown[]) : [];
      if (group.length === 0) setEntry(groups, key, group);
      group.push(item);
    }
    return groups;
  },
  sortBy: (collection, predicate, [order = 'asc'], context) =>
    sortValues(
      items('sortBy', collection),
      (item, index) => call(predicate, item, index, context),
      order,
      context,
    ),
  reduce: (collection, predicate, extra, context) => {
    const source = items('reduce', collection);
    const hasInitial = extra.length > 0;
    if (!hasInitial && source.length === 0) fail('reduce of empty array with no initial value');
    let accumulator = hasInitial ? extra[0] : source[0];
    for (let index = hasInitial ? 0 : 1; index < source.length; index++) {
      accumulator = call(predicate, source[index], index, context, accumulator);
    }
    return accumulator ?? null;
  },
};

function items(name: string, collection: unknown): unknown[] {
  return expectArray(name, collection);
}

/** Without a predicate (count, sum) the element itself is used, as expr-lang's default `#`. */
function call(
  predicate: Predicate | undefined,
  item: unknown,
  index: number,
  context: RuntimeContext,
  accumulator?: unknown,
): unknown {
  context.step();
  return predicate === undefined ? item : predicate(item, index, accumulator);
}

function test(
  name: string,
  predicate: Predicate | undefined,
  item: unknown,
  index: number,
  context: RuntimeContext,
): boolean {
  const result = call(predicate, item, index, context);
  if (typeof result !== 'boolean')
    fail(`predicate of ${name} must return bool, got ${typeName(result)}`);
  return result;
}

function addNumbers(total: unknown, value: unknown): unknown {
  if (!isNumber(value) || !isNumber(total))
    fail(`invalid argument for sum (type ${typeName(value)})`);
  if (isInteger(total) && isInteger(value)) {
    const keepBigint = typeof total === 'bigint' || typeof value === 'bigint';
    return integerResult(BigInt(total) + BigInt(value), keepBigint);
  }
  return Number(total) + Number(value);
}
