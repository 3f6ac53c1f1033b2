// Pure: turns ajv's errors for one record into per-field errors that say, in the customer's terms,
// which target field failed, why, and (where we can tell) what to change.
import type { ErrorObject } from 'ajv';
import type { PrequelType } from '../../../lib/prequel/contract/source-actions';
import { describeMismatch, showValue } from './convert-field-value';
import type { JsonType } from './schema-targets';

export type FieldError = {
  target_field?: string;
  stage: 'transform' | 'validate_schema';
  message: string;
  fix?: string;
};

/** What produced a target's value: a column (with its type) or an expression. */
export type ValueSource = { columnType: PrequelType | null; ref: string };

export function schemaErrors(
  errors: readonly ErrorObject[],
  record: Record<string, unknown>,
  sources: ReadonlyMap<string, ValueSource>,
  alreadyReported: ReadonlySet<string>,
): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const segments = pointerSegments(error.instancePath);
    const child =
      typeof error.params.missingProperty === 'string'
        ? error.params.missingProperty
        : typeof error.params.additionalProperty === 'string'
          ? error.params.additionalProperty
          : null;
    const targetSegments = child === null ? segments : [...segments, child];
    const target = targetSegments.join('.');
    if (alreadyReported.has(target)) continue;
    const described = describe(error, valueAt(record, segments), target, sources);
    const key = `${target}\u0000${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      ...(target ? { target_field: target } : {}),
      stage: 'validate_schema',
      ...described,
    });
  }
  return out;
}

function describe(
  error: ErrorObject,
  value: unknown,
  target: string,
  sources: ReadonlyMap<string, ValueSource>,
): { message: string; fix?: string } {
  const source = sources.get(target);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      // An object built from dotted targets goes missing when every field mapped inside it was
      // empty.
      return [...sources.keys()].some((mapped) => mapped.startsWith(`${target}.`))
        ? {
            message:
              'is required by record_schema, but no field mapped inside it has a value for this ' +
              'record',
            fix: `give the fields inside "${target}" defaults with expressions such as x ?? ""`,
          }
        : {
            message: 'is required by record_schema but nothing is mapped to it',
            fix: `map a column or an expression to "${target}"`,
          };
    case 'additionalProperties':
      return {
        message: 'is not a field of record_schema, which allows no other fields',
        fix: `remove its mapping, or add "${target}" to record_schema`,
      };
    case 'type': {
      const types = (
        Array.isArray(params.type) ? params.type : String(params.type).split(',')
      ) as JsonType[];
      return describeMismatch(value, source?.columnType ?? null, types, source?.ref ?? 'x');
    }
    case 'format':
      return { message: `${showValue(value)} is not a valid ${String(params.format)}` };
    case 'enum':
      return {
        message:
          `${showValue(value)} is not one of ` +
          `${(params.allowedValues as unknown[]).map(showValue).join(', ')}`,
      };
    default:
      return {
        message:
          value === undefined
            ? (error.message ?? 'is invalid')
            : `${showValue(value)} ${error.message ?? 'is invalid'}`,
      };
  }
}

/** "/a/b~1c" → ["a", "b/c"] (RFC 6901). */
function pointerSegments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function valueAt(record: unknown, segments: readonly string[]): unknown {
  let value: unknown = record;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment))
      return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
