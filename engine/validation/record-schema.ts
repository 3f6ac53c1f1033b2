// Compiles record_schema documents with ajv (JSON Schema draft-07, formats) and reports problems by
// path.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ErrorDetail } from '../http/api-error';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule })
  .default ?? addFormatsModule) as typeof addFormatsModule;

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

// The shape the engine writes timestamps in (see typed-value.ts), checked without a match to
// allocate.
const CANONICAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digits = (text: string, start: number, length: number) => {
  let value = 0;
  for (let index = start; index < start + length; index++)
    value = value * 10 + text.charCodeAt(index) - 48;
  return value;
};

/**
 * True for an ordinary `YYYY-MM-DDThh:mm:ss[.f]Z` that ajv-formats' date-time accepts too, and
 * false for everything else, which then goes to it: a load validates every timestamp it sends, and
 * the full check splits and matches each one (a tenth of what a load's transform allocates).
 */
export function isOrdinaryDateTime(text: string): boolean {
  if (!CANONICAL_DATE_TIME.test(text)) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month]!)
  )
    return false;
  return digits(text, 11, 2) <= 23 && digits(text, 14, 2) <= 59 && digits(text, 17, 2) <= 59;
}

function createAjv() {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const full = ajv.formats['date-time'] as {
    validate: (text: string) => boolean;
    compare?: (a: string, b: string) => number | undefined;
  };
  ajv.addFormat('date-time', {
    ...full,
    validate: (text: string) => isOrdinaryDateTime(text) || full.validate(text),
  });
  return ajv;
}

const ajv = createAjv();

export type CompiledRecordSchema =
  { ok: true; validate: ValidateFunction } | { ok: false; details: ErrorDetail[] };

export function compileRecordSchema(
  schema: Record<string, unknown>,
  path: string,
): CompiledRecordSchema {
  if (
    schema.$schema !== undefined &&
    (typeof schema.$schema !== 'string' || !DRAFT_07.test(schema.$schema))
  ) {
    return {
      ok: false,
      details: [
        {
          path: `${path}.$schema`,
          message:
            'must be "http://json-schema.org/draft-07/schema#" (records are validated with JSON ' +
            'Schema draft-07)',
        },
      ],
    };
  }
  if (schema.type !== 'object') {
    return {
      ok: false,
      details: [
        {
          path: `${path}.type`,
          message: 'must be "object": every delivered record is a JSON object',
        },
      ],
    };
  }
  if (!ajv.validateSchema(schema)) {
    return {
      ok: false,
      details: (ajv.errors ?? []).slice(0, 20).map((error) => ({
        path: [path, ...error.instancePath.split('/').filter(Boolean)].join('.'),
        message: error.message ?? 'is invalid',
      })),
    };
  }
  try {
    // A fresh instance per compile: schemas with the same $id must not collide in a shared cache.
    return { ok: true, validate: createAjv().compile(schema) };
  } catch (error) {
    return { ok: false, details: [{ path, message: (error as Error).message }] };
  }
}
