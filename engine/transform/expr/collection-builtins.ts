// expr-lang's array and map built-ins that take no predicate. They never mutate their input.
import { expectArray, expectInteger, expectMap, expectString } from './builtin-arguments';
import { defineFunction, type FunctionDefinition } from './function-definition';
import { fail, type RuntimeContext } from './runtime-context';
import {
  codePointLength,
  compareValues,
  fetchOrNil,
  isEqual,
  isMap,
  isNumber,
  mapKey,
  setEntry,
  typeName,
  type ExprMap,
} from './runtime';

export const collectionBuiltins: Record<string, FunctionDefinition> = {
  len: defineFunction(1, 1, ([value]) => {
    if (typeof value === 'string') return codePointLength(value);
    if (Array.isArray(value)) return value.length;
    if (isMap(value)) return Object.keys(value).length;
    return fail(`invalid argument for len (type ${typeName(value)})`);
  }),
  first: defineFunction(1, 1, ([value]) => fetchOrNil(value, 0)),
  last: defineFunction(1, 1, ([value]) => fetchOrNil(value, -1)),
  get: defineFunction(2, 2, ([value, key]) => fetchOrNil(value, key)),
  take: defineFunction(2, 2, ([items, count]) => {
    const array = expectArray('take', items);
    const size = expectInteger('take', count);
    if (size < 0) fail(`invalid argument for take (expected a non-negative count, got ${size})`);
    return array.slice(0, size);
  }),
  keys: defineFunction(1, 1, ([value]) => Object.keys(expectMapFor('keys', value))),
  values: defineFunction(1, 1, ([value]) => Object.values(expectMapFor('values', value))),
  toPairs: defineFunction(1, 1, ([value]) => Object.entries(expectMap('toPairs', value))),
  fromPairs: defineFunction(1, 1, ([pairs]) => {
    const map: ExprMap = {};
    for (const pair of expectArray('fromPairs', pairs)) {
      if (!Array.isArray(pair) || pair.length !== 2)
        fail(`invalid pair ${JSON.stringify(typeName(pair))} (expected an array of two elements)`);
      setEntry(map, mapKey(pair[0]), pair[1]);
    }
    return map;
  }),
  reverse: defineFunction(1, 1, ([items]) => [...expectArray('reverse', items)].reverse()),
  uniq: defineFunction(1, 1, ([items], context) => unique(expectArray('uniq', items), context)),
  concat: defineFunction(1, Infinity, (args, context) => {
    const arrays = args.map((arg) => {
      if (!Array.isArray(arg)) fail(`cannot concat ${typeName(arg)}`);
      return arg;
    });
    context.reserveOutput(arrays.reduce((total, array) => total + array.length, 0));
    return arrays.flat(1);
  }),
  flatten: defineFunction(1, 1, ([items], context) => {
    const result: unknown[] = [];
    const visit = (value: unknown) => {
      context.step();
      if (Array.isArray(value)) value.forEach(visit);
      else result.push(value);
    };
    expectArray('flatten', items).forEach(visit);
    context.reserveOutput(result.length);
    return result;
  }),
  sort: defineFunction(1, 2, ([items, order = 'asc'], context) =>
    sortValues(expectArray('sort', items), (item) => item, order, context),
  ),
};

function expectMapFor(name: string, value: unknown): ExprMap {
  if (!isMap(value)) fail(`cannot get ${name} from ${typeName(value)}`);
  return value;
}

/**
 * Orders items by `keyOf` with expr-lang's comparison rules; stable, so equal keys keep their
 * order.
 */
export function sortValues(
  items: unknown[],
  keyOf: (item: unknown, index: number) => unknown,
  order: unknown,
  context: RuntimeContext,
): unknown[] {
  const direction = expectString('sort', order);
  if (direction !== 'asc' && direction !== 'desc')
    fail(`invalid order ${direction}, expected asc or desc`);
  const keyed = items.map((item, index) => ({ item, key: keyOf(item, index) }));
  keyed.sort((a, b) => {
    context.step();
    const comparison = compareValues('<', a.key, b.key);
    return direction === 'asc' ? comparison : -comparison;
  });
  return keyed.map((entry) => entry.item);
}

function unique(items: unknown[], context: RuntimeContext): unknown[] {
  const result: unknown[] = [];
  const seenScalars = new Set<string>();
  for (const item of items) {
    const scalarKey = scalarIdentity(item);
    if (scalarKey !== undefined) {
      context.step();
      if (seenScalars.has(scalarKey)) continue;
      seenScalars.add(scalarKey);
      result.push(item ?? null);
      continue;
    }
    context.step(result.length + 1);
    if (!result.some((kept) => isEqual(kept, item))) result.push(item);
  }
  return result;
}

/**
 * A key under which equal scalars collide: 1, 1.0 and 1n share one, as isEqual treats them as
 * equal.
 */
function scalarIdentity(item: unknown): string | undefined {
  if (item === null || item === undefined) return 'nil';
  if (isNumber(item)) return `n:${item}`;
  if (typeof item === 'string') return `s:${item}`;
  if (typeof item === 'boolean') return `b:${item}`;
  return undefined;
}
