// The mapping core: compiles a stream's mappings against its destination's record_schema once
// (expressions, ajv validator, each target's JSON types), then turns cached records into the
// records a destination receives, with per-record, per-field errors. Pure: no I/O; loads and
// previews share it.
import type { ValidateFunction } from 'ajv';
import type { SchemaColumn } from '../../../lib/prequel/contract/source-actions';
import type { Mapping } from '../../../lib/prequel/contract/stream';
import { compileRecordSchema } from '../../validation/record-schema';
import { compileExpression } from '../expr/compile-expression';
import { createRegexAllowance } from '../expr/compile-regex';
import { defaultMaxMilliseconds, isTimeBudgetError } from '../expr/runtime-context';
import { convertFieldValue } from './convert-field-value';
import { expressionEnv, integerColumnsOf, toJsonValue } from './expression-value';
import { schemaErrors, type FieldError, type ValueSource } from './schema-errors';
import { allowsNull, targetSchema, typeLabel, type TargetSchema } from './schema-targets';
import { findTargetConflicts, setAt } from './target-paths';

export type { FieldError } from './schema-errors';

export type ApplyOptions = { now?: Date; maxMilliseconds?: number };
export type SourceRecord = { recordId: string; data: Record<string, unknown>; isDeleted: boolean };
export type ApplyResult =
  { ok: true; record: Record<string, unknown> } | { ok: false; errors: FieldError[] };
export type MappingCompileError = {
  code:
    'invalid_expression' | 'duplicate_target_field' | 'target_conflict' | 'invalid_record_schema';
  path: string;
  message: string;
};

/** One column of the preview's schema, in the shape of random-sample's schema. */
export type PreviewColumn = {
  name: string;
  database_type_name: string;
  length: null;
  precision: null;
  scale: null;
  nullable: boolean;
};

export interface CompiledTransform {
  /** The target fields, in mapping order. */
  schema: PreviewColumn[];
  /**
   * The source columns the mappings read (a reader may leave the others out), or null when an
   * expression may read any.
   */
  columns: readonly string[] | null;
  /**
   * `now` is the clock of now() and TODAY(); pass one per load or preview so every record sees the
   * same. `maxMilliseconds` is the time a record's expressions may take together (default 100);
   * past it, the expression running fails the record and the record's remaining expressions are not
   * evaluated.
   */
  apply(record: SourceRecord, options?: ApplyOptions): ApplyResult;
}

/** Marks a deleted record in transformed output (and in webhook_batch json bodies). */
export const DELETED_FLAG = '_prequel_is_deleted';

/** What a step returns when it failed; the error itself went to the record's error list. */
const FAILED = Symbol('failed');
/**
 * What an expression step returns when the record's time ran out in it: the record's later
 * expressions are skipped.
 */
const OUT_OF_TIME = Symbol('out of time');

type Step = {
  target: string;
  segments: string[];
  schema: TargetSchema;
  source: ValueSource;
  /**
   * An optional field that cannot be null is left out when null: JSON Schema's way of saying "no
   * value".
   */
  omitNull: boolean;
  /**
   * Computes the step's value for one record; on failure reports to `errors` and returns FAILED (or
   * OUT_OF_TIME).
   */
  compute(
    data: Record<string, unknown>,
    env: Record<string, unknown>,
    clock: RecordClock,
    errors: FieldError[],
  ): unknown;
};

/** The time a record's expressions share. */
type RecordClock = { now: Date; startedAt: number; maxMilliseconds: number };

export function compileMappings(
  mappings: readonly Mapping[],
  recordSchema: Record<string, unknown>,
  columns: readonly SchemaColumn[] | null,
  path = 'stream.mappings',
): { ok: true; transform: CompiledTransform } | { ok: false; errors: MappingCompileError[] } {
  const errors: MappingCompileError[] = findTargetConflicts(
    mappings.map((mapping) => mapping.target_field),
  ).map((conflict) => ({
    code: conflict.code,
    path: `${path}.${conflict.index}.target_field`,
    message: conflict.message,
  }));
  const compiledSchema = compileRecordSchema(recordSchema, 'destination.record_schema');
  if (!compiledSchema.ok)
    errors.push(
      ...compiledSchema.details.map((detail) => ({
        code: 'invalid_record_schema' as const,
        ...detail,
      })),
    );
  const columnTypes = new Map((columns ?? []).map((column) => [column.name, column.prequel_type]));
  const steps: Step[] = [];
  // The mappings' literal regular expressions are bounded together, so many large ones cannot make
  // compiling slow.
  const regexAllowance = createRegexAllowance();
  // The integer columns some expression reads: only those need converting for expressions (see
  // expressionEnv).
  const integerColumns = integerColumnsOf(columns);
  const readByExpressions = new Set<string>();
  const read = new Set<string>();
  let readsAllColumns = false;
  mappings.forEach((mapping, index) => {
    const segments = mapping.target_field.split('.');
    const schema = targetSchema(recordSchema, segments);
    if (mapping.field_type === 'field') {
      read.add(mapping.column.name);
      steps.push(
        fieldStep(
          mapping.target_field,
          segments,
          schema,
          mapping.column.name,
          columnTypes.get(mapping.column.name) ?? null,
        ),
      );
      return;
    }
    const compiled = compileExpression(mapping.expression.expr, { regexAllowance });
    if (!compiled.ok) {
      const { line, column } = compiled.error.position;
      errors.push({
        code: 'invalid_expression',
        path: `${path}.${index}.expression.expr`,
        message: `${compiled.error.message} (line ${line}, column ${column})`,
      });
      return;
    }
    const { expression } = compiled;
    for (const column of expression.readsAllColumns ? integerColumns : expression.identifiers)
      readByExpressions.add(column);
    for (const column of expression.identifiers) read.add(column);
    readsAllColumns ||= expression.readsAllColumns;
    const target = mapping.target_field;
    steps.push({
      target,
      segments,
      schema,
      source: { columnType: null, ref: referenceTo(expression.source) },
      omitNull: omitsNull(schema),
      compute(_data, env, clock, fieldErrors) {
        const result = expression.evaluate(env, clock);
        if (result.ok) {
          const json = toJsonValue(result.value);
          if (json.ok) return json.value;
          fieldErrors.push({ target_field: target, stage: 'transform', message: json.message });
          return FAILED;
        }
        const { message, fix } = result.error;
        fieldErrors.push(
          fix === undefined
            ? { target_field: target, stage: 'transform', message }
            : { target_field: target, stage: 'transform', message, fix },
        );
        return isTimeBudgetError(message) ? OUT_OF_TIME : FAILED;
      },
    });
  });
  if (!compiledSchema.ok || errors.length) return { ok: false, errors };
  const expressionIntegers = new Set(
    [...integerColumns].filter((column) => readByExpressions.has(column)),
  );
  return {
    ok: true,
    transform: createTransform(
      steps,
      compiledSchema.validate,
      expressionIntegers,
      readsAllColumns ? null : [...read],
    ),
  };
}

const omitsNull = (schema: TargetSchema) => !allowsNull(schema) && !schema.required;

function fieldStep(
  target: string,
  segments: string[],
  schema: TargetSchema,
  column: string,
  columnType: SchemaColumn['prequel_type'] | null,
): Step {
  const ref = referenceTo(column, true);
  const declared = schema.types?.filter((type) => type !== 'null') ?? [];
  return {
    target,
    segments,
    schema,
    source: { columnType, ref },
    omitNull: omitsNull(schema),
    compute(data, _env, _clock, fieldErrors) {
      if (!Object.hasOwn(data, column)) {
        fieldErrors.push({
          target_field: target,
          stage: 'transform',
          message: `the record has no column "${column}"`,
        });
        return FAILED;
      }
      const raw = data[column];
      const value = typeof raw === 'bigint' ? String(raw) : raw;
      if (value === null || value === undefined || declared.length === 0) return value ?? null;
      const converted = convertFieldValue(value, columnType, declared, ref);
      if (converted.ok) return converted.value;
      fieldErrors.push({
        target_field: target,
        stage: 'validate_schema',
        message: converted.message,
        fix: converted.fix,
      });
      return FAILED;
    },
  };
}

function createTransform(
  steps: readonly Step[],
  validate: ValidateFunction,
  integerColumns: ReadonlySet<string>,
  columns: readonly string[] | null,
): CompiledTransform {
  const sources = new Map(steps.map((step) => [step.target, step.source]));
  return {
    columns,
    schema: steps.map((step) => ({
      name: step.target,
      database_type_name: typeLabel(step.schema.types),
      length: null,
      precision: null,
      scale: null,
      nullable: !step.schema.required || allowsNull(step.schema),
    })),
    // A load applies this to every record: nothing here makes a closure per record.
    apply(input, options) {
      const clock: RecordClock = {
        now: options?.now ?? new Date(),
        startedAt: performance.now(),
        maxMilliseconds: options?.maxMilliseconds ?? defaultMaxMilliseconds,
      };
      const env = expressionEnv(input.data, integerColumns);
      const record: Record<string, unknown> = {};
      const errors: FieldError[] = [];
      let reported: Set<string> | undefined;
      for (const step of steps) {
        const value = step.compute(input.data, env, clock, errors);
        if (value === OUT_OF_TIME) return { ok: false, errors };
        if (value === FAILED) {
          (reported ??= new Set()).add(step.target);
          continue;
        }
        if (value === null && step.omitNull) continue;
        setAt(record, step.segments, value);
      }
      // Deleted records are not validated: a receiver only needs their identifying fields to delete
      // them.
      if (input.isDeleted) return { ok: true, record: { ...record, [DELETED_FLAG]: true } };
      if (!validate(record))
        errors.push(...schemaErrors(validate.errors ?? [], record, sources, reported ?? new Set()));
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
