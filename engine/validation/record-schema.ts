// Compiles record_schema documents with ajv (JSON Schema draft-07, formats) and reports problems by path.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ErrorDetail } from '../http/api-error';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

function createAjv() {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  return ajv;
}

const ajv = createAjv();

export type CompiledRecordSchema = { ok: true; validate: ValidateFunction } | { ok: false; details: ErrorDetail[] };

export function compileRecordSchema(schema: Record<string, unknown>, path: string): CompiledRecordSchema {
  if (schema.$schema !== undefined && (typeof schema.$schema !== 'string' || !DRAFT_07.test(schema.$schema))) {
    return { ok: false, details: [{ path: `${path}.$schema`, message: 'must be "http://json-schema.org/draft-07/schema#" (records are validated with JSON Schema draft-07)' }] };
  }
  if (schema.type !== 'object') {
    return { ok: false, details: [{ path: `${path}.type`, message: 'must be "object": every delivered record is a JSON object' }] };
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
