// The mapping core: compiles a stream's mappings against its destination's record_schema once (expressions,
// ajv validator, each target's JSON types), then turns cached records into the records a destination receives,
// with per-record, per-field errors. Pure: no I/O; loads and previews share it.
import type { ValidateFunction } from 'ajv';
import type { SchemaColumn } from '../../../lib/prequel/contract/source-actions';
import type { Mapping } from '../../../lib/prequel/contract/stream';
import { compileRecordSchema } from '../../validation/record-schema';
import { compileExpression } from '../expr/compile-expression';
import { convertFieldValue } from './convert-field-value';
import { expressionEnv, integerColumnsOf, toJsonValue } from './expression-value';
import { schemaErrors, type FieldError, type ValueSource } from './schema-errors';
import { allowsNull, targetSchema, typeLabel, type TargetSchema } from './schema-targets';
import { findTargetConflicts, setAt } from './target-paths';

export type { FieldError } from './schema-errors';

export type SourceRecord = { recordId: string; data: Record<string, unknown>; isDeleted: boolean };
export type ApplyResult = { ok: true; record: Record<string, unknown> } | { ok: false; errors: FieldError[] };
export type MappingCompileError = {
  code: 'invalid_expression' | 'duplicate_target_field' | 'target_conflict' | 'invalid_record_schema';
  path: string;
  message: string;
};

/** One column of the preview's schema, in the shape of random-sample's schema. */
export type PreviewColumn = { name: string; database_type_name: string; length: null; precision: null; scale: null; nullable: boolean };

export interface CompiledTransform {
  /** The target fields, in mapping order. */
  schema: PreviewColumn[];
  /** `now` is the clock of now() and TODAY(); pass one per load or preview so every record sees the same. */
  apply(record: SourceRecord, options?: { now?: Date }): ApplyResult;
}

/** Marks a deleted record in transformed output (and in webhook_batch json bodies). */
export const DELETED_FLAG = '_prequel_is_deleted';

type Computed = { ok: true; value: unknown } | { ok: false; error: FieldError };
type Step = {
  target: string;
  segments: string[];
  schema: TargetSchema;
  source: ValueSource;
  compute(data: Record<string, unknown>, env: () => Record<string, unknown>, now: Date): Computed;
};

export function compileMappings(
  mappings: readonly Mapping[],
  recordSchema: Record<string, unknown>,
  columns: readonly SchemaColumn[] | null,
  path = 'stream.mappings',
): { ok: true; transform: CompiledTransform } | { ok: false; errors: MappingCompileError[] } {
  const errors: MappingCompileError[] = findTargetConflicts(mappings.map((mapping) => mapping.target_field)).map((conflict) => ({
    code: conflict.code,
    path: `${path}.${conflict.index}.target_field`,
    message: conflict.message,
  }));
  const compiledSchema = compileRecordSchema(recordSchema, 'destination.record_schema');
  if (!compiledSchema.ok) errors.push(...compiledSchema.details.map((detail) => ({ code: 'invalid_record_schema' as const, ...detail })));
  const columnTypes = new Map((columns ?? []).map((column) => [column.name, column.prequel_type]));
  const steps: Step[] = [];
  mappings.forEach((mapping, index) => {
    const segments = mapping.target_field.split('.');
    const schema = targetSchema(recordSchema, segments);
    if (mapping.field_type === 'field') {
      steps.push(fieldStep(mapping.target_field, segments, schema, mapping.column.name, columnTypes.get(mapping.column.name) ?? null));
      return;
    }
    const compiled = compileExpression(mapping.expression.expr);
    if (!compiled.ok) {
      const { line, column } = compiled.error.position;
      errors.push({ code: 'invalid_expression', path: `${path}.${index}.expression.expr`, message: `${compiled.error.message} (line ${line}, column ${column})` });
      return;
    }
    const { expression } = compiled;
    steps.push({
      target: mapping.target_field,
      segments,
      schema,
      source: { columnType: null, ref: referenceTo(expression.source) },
      compute(_data, env, now) {
        const result = expression.evaluate(env(), { now });
        if (!result.ok) return { ok: false, error: { target_field: mapping.target_field, stage: 'transform', message: result.error.message } };
        const json = toJsonValue(result.value);
        return json.ok ? json : { ok: false, error: { target_field: mapping.target_field, stage: 'transform', message: json.message } };
      },
    });
  });
  if (!compiledSchema.ok || errors.length) return { ok: false, errors };
  return { ok: true, transform: createTransform(steps, compiledSchema.validate, integerColumnsOf(columns)) };
}

function fieldStep(target: string, segments: string[], schema: TargetSchema, column: string, columnType: SchemaColumn['prequel_type'] | null): Step {
  const ref = referenceTo(column, true);
  const declared = schema.types?.filter((type) => type !== 'null') ?? [];
  return {
    target,
    segments,
    schema,
    source: { columnType, ref },
    compute(data) {
      if (!Object.hasOwn(data, column)) return { ok: false, error: { target_field: target, stage: 'transform', message: `the record has no column "${column}"` } };
      const raw = data[column];
      const value = typeof raw === 'bigint' ? String(raw) : raw;
      if (value === null || value === undefined || declared.length === 0) return { ok: true, value: value ?? null };
      const converted = convertFieldValue(value, columnType, declared, ref);
      return converted.ok ? converted : { ok: false, error: { target_field: target, stage: 'validate_schema', message: converted.message, fix: converted.fix } };
    },
  };
}

function createTransform(steps: readonly Step[], validate: ValidateFunction, integerColumns: ReadonlySet<string>): CompiledTransform {
  const sources = new Map(steps.map((step) => [step.target, step.source]));
  return {
    schema: steps.map((step) => ({
      name: step.target,
      database_type_name: typeLabel(step.schema.types),
      length: null,
      precision: null,
      scale: null,
      nullable: !step.schema.required || allowsNull(step.schema),
    })),
    apply(input, options = {}) {
      const now = options.now ?? new Date();
      let env: Record<string, unknown> | undefined;
      const envOf = () => (env ??= expressionEnv(input.data, integerColumns));
      const record: Record<string, unknown> = {};
      const errors: FieldError[] = [];
      const reported = new Set<string>();
      for (const step of steps) {
        const computed = step.compute(input.data, envOf, now);
        if (!computed.ok) {
          errors.push(computed.error);
          reported.add(step.target);
          continue;
        }
        // An optional field that cannot be null is left out: JSON Schema's way of saying "no value".
        if (computed.value === null && !allowsNull(step.schema) && !step.schema.required) continue;
        setAt(record, step.segments, computed.value);
      }
      // Deleted records are not validated: a receiver only needs their identifying fields to delete them.
      if (input.isDeleted) return { ok: true, record: { ...record, [DELETED_FLAG]: true } };
      if (!validate(record)) errors.push(...schemaErrors(validate.errors ?? [], record, sources, reported));
      return errors.length ? { ok: false, errors } : { ok: true, record };
    },
  };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** How a fix suggestion names the value: the column itself, or the expression in parentheses. */
function referenceTo(source: string, isColumn = false): string {
  if (IDENTIFIER.test(source)) return source;
  if (isColumn) return `$env[${JSON.stringify(source)}]`;
  return source.length <= 40 && !source.includes('\n') ? `(${source})` : '(…)';
}
