// Pure: an expression that repairs a schema error the preview reported on a cell (wrong type, bad
// date-time, an allowed value in the wrong case, a missing value), judged by the error and the
// column's type and samples.
import { emptyLiteral } from '@/lib/prequel/contract/empty-literal';
import type { PrequelType } from '@/lib/prequel/contract/source-actions';
import type { Mapping } from '@/lib/prequel/contract/stream';
import {
  allowedStrings,
  caseFixFor,
  columnRef,
  convertToType,
  keepNull,
  mayBeNull,
  trueWordsTest,
  TRUE_WORDS_EXPLANATION,
} from './column-conversion';
import { presentSamples } from './sample-kinds';
import type { ColumnInfo } from './suggest-mappings';
import type { TargetField } from './target-fields';

/** An error as the preview reports it: ajv's keyword when the API gives one, and its message. */
export type SchemaError = { keyword?: string; message: string };
export type Fix = { mapping: Mapping; explanation: string };

type Problem = 'missing' | 'type' | 'format' | 'enum';

/**
 * What a fixer judges by: the field, its mapping and error, the expression naming the current
 * value, and the column when it is mapped as it is.
 */
type FixInput = {
  field: TargetField;
  mapping: Mapping;
  error: SchemaError;
  ref: string;
  column: ColumnInfo | undefined;
};

const JSON_TYPES = ['integer', 'number', 'string', 'boolean', 'object', 'array'] as const;

function problemOf(error: SchemaError): Problem | null {
  const message = error.message.toLowerCase();
  // A NULL where the schema wants a value is a missing value, whatever keyword reported it.
  if (error.keyword === 'required' || /\bis null\b|\brequired\b/.test(message)) return 'missing';
  switch (error.keyword) {
    case 'type':
      return 'type';
    case 'format':
      return 'format';
    case 'enum':
    case 'const':
      return 'enum';
  }
  if (/\bformat\b|is not a valid/.test(message)) return 'format';
  if (/one of|allowed value|enum/.test(message)) return 'enum';
  if (
    /must be (an? )?(integer|number|string|boolean|object|array)|\bnot an? (number|boolean|whole number|string|object|array)\b|cannot be an? \w+ field|\bwants\b|\btype\b/.test(
      message,
    )
  )
    return 'type';
  return null;
}

/** The type the error asks for ("must be integer"), else the field's first declared type. */
function wantedType(field: TargetField, message: string): string | undefined {
  const declared = field.type.filter((type) => type !== 'null');
  const named = /must be (?:an? )?(\w+)|wants (?:an? )?(\w+)/i.exec(message);
  const fromMessage = (named?.[1] ?? named?.[2])?.toLowerCase();
  if (
    fromMessage &&
    (JSON_TYPES as readonly string[]).includes(fromMessage) &&
    declared.includes(fromMessage)
  )
    return fromMessage;
  // A field of any type has no type to fit.
  return declared[0];
}

/**
 * How an expression names the current mapping's value: the column, or the expression in
 * parentheses.
 */
function currentRef(mapping: Mapping): string {
  if (mapping.field_type === 'field') return columnRef(mapping.column.name);
  const expr = mapping.expression.expr.trim();
  return isSingleTerm(expr) ? expr : `(${expr})`;
}

/**
 * An identifier, `$env["…"]` or one function call: safe to use inside a larger expression without
 * parentheses.
 */
function isSingleTerm(expr: string): boolean {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(expr) || /^\$env\["(?:[^"\\]|\\.)*"\]$/.test(expr))
    return true;
  const call = /^[A-Za-z_][A-Za-z0-9_]*\(/.exec(expr);
  return call !== null && closingParen(expr, call[0].length - 1) === expr.length - 1;
}

/**
 * The index of the parenthesis closing the one at `open`, skipping string literals; -1 when
 * unbalanced.
 */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    const char = text[index];
    if (char === '"' || char === "'" || char === '`') {
      const quote = char;
      for (index++; index < text.length && text[index] !== quote; index++)
        if (text[index] === '\\' && quote !== '`') index++;
      continue;
    }
    if (char === '(') depth++;
    if (char === ')' && --depth === 0) return index;
  }
  return -1;
}

function expressionFix(
  field: TargetField,
  expr: string,
  explanation: string,
  current: Mapping,
): Fix | null {
  if (current.field_type === 'expression' && current.expression.expr.trim() === expr) return null;
  return {
    mapping: { target_field: field.path, field_type: 'expression', expression: { expr } },
    explanation,
  };
}

function defaultLiteral(field: TargetField, type: string | undefined): string | null {
  if (field.enum && field.enum.length > 0) return JSON.stringify(field.enum[0]) ?? null;
  // A formatted string (a date-time, an email) has no empty value that passes.
  return type === 'string' && field.format ? null : emptyLiteral(type);
}

function fixMissing({ field, mapping, ref }: FixInput): Fix | null {
  if (mapping.field_type === 'expression' && mapping.expression.expr.includes('??')) return null;
  const fallback = defaultLiteral(
    field,
    field.type.find((type) => type !== 'null'),
  );
  if (fallback === null) return null;
  return expressionFix(
    field,
    `${ref} ?? ${fallback}`,
    `Records with no value get ${fallback} instead, so the field is never empty.`,
    mapping,
  );
}

/**
 * A conversion to `type` when nothing is known about the column's values, always letting NULL
 * through.
 */
function genericConversion(
  type: string,
  ref: string,
  message: string,
  columnType: PrequelType | undefined,
): { expr: string; explanation: string } | null {
  const guard = (inner: string) => keepNull(ref, inner);
  const isBoolean = columnType === 'boolean' || /\bis a boolean\b/i.test(message);
  if ((type === 'integer' || type === 'number') && isBoolean)
    return { expr: `IF(${ref}, 1, 0)`, explanation: 'Sends 1 for true and 0 for false.' };
  switch (type) {
    case 'integer':
      return /whole number/i.test(message) || columnType === 'decimal' || columnType === 'float'
        ? {
            expr: guard(`int(round(float(${ref})))`),
            explanation: 'Rounds the value to the nearest whole number, so "12.50" becomes 13.',
          }
        : {
            expr: guard(`int(${ref})`),
            explanation: 'Reads the value as a whole number, so "42" becomes 42.',
          };
    case 'number':
      return {
        expr: guard(`float(${ref})`),
        explanation: 'Reads the value as a number, so "12.50" becomes 12.5.',
      };
    case 'string':
      return columnType === 'json' || columnType === 'array'
        ? { expr: guard(`toJSON(${ref})`), explanation: 'Sends the value as JSON text.' }
        : {
            expr: guard(`string(${ref})`),
            explanation: 'Sends the value as text, so 42 becomes "42".',
          };
    case 'boolean':
      return columnType === 'integer' || columnType === 'float' || /\ba number\b/i.test(message)
        ? {
            expr: guard(`${ref} != 0`),
            explanation: 'Reads 0 as false and any other number as true.',
          }
        : { expr: guard(trueWordsTest(`string(${ref})`)), explanation: TRUE_WORDS_EXPLANATION };
    case 'object':
    case 'array':
      return columnType === 'string' || columnType === undefined
        ? { expr: guard(`fromJSON(${ref})`), explanation: 'Reads the text as JSON.' }
        : null;
    default:
      return null;
  }
}

function fixType({ field, mapping, error, ref, column }: FixInput): Fix | null {
  const type = wantedType(field, error.message);
  if (type === undefined) return null;
  if (column) {
    const converted = convertToType(type, field, column, ref);
    if (converted?.expr)
      return expressionFix(field, converted.expr, converted.explanation, mapping);
    // Samples that no conversion reads (text that is not a number) cannot be fixed by an
    // expression, nor can a column that already has the type; rounding and true/false as 1/0 are
    // the repairs a suggestion leaves out.
    const numeric = type === 'integer' || type === 'number';
    const rounding =
      type === 'integer' && (column.prequel_type === 'decimal' || column.prequel_type === 'float');
    if (
      presentSamples(column.samples).length > 0 &&
      !rounding &&
      !(numeric && column.prequel_type === 'boolean')
    )
      return null;
  }
  const generic = genericConversion(type, ref, error.message, column?.prequel_type);
  return generic ? expressionFix(field, generic.expr, generic.explanation, mapping) : null;
}

function fixFormat({ field, mapping, ref, column }: FixInput): Fix | null {
  if (field.format === 'date-time') {
    return expressionFix(
      field,
      `TIMESTAMPVALUE(${ref})`,
      'Rewrites the value as an ISO 8601 timestamp in UTC (2024-01-02T10:20:30Z).',
      mapping,
    );
  }
  if (field.format === 'date') {
    return expressionFix(
      field,
      `LEFT(TIMESTAMPVALUE(${ref}), 10)`,
      'Keeps the date part of the value, in UTC (2024-01-02).',
      mapping,
    );
  }
  // Stray spaces are the one format problem an expression can repair without guessing.
  const texts = presentSamples(column?.samples ?? []).filter(
    (sample): sample is string => typeof sample === 'string',
  );
  if (texts.some((text) => text !== text.trim())) {
    return expressionFix(
      field,
      keepNull(ref, `trim(${ref})`),
      'Removes spaces before and after the value.',
      mapping,
    );
  }
  return null;
}

/** The offending value, when the message quotes it first (`"Pro" is not one of …`). */
function quotedValue(message: string): string | undefined {
  const match = /^\s*"((?:[^"\\]|\\.)*)"/.exec(message);
  if (!match) return undefined;
  try {
    return JSON.parse(`"${match[1]}"`) as string;
  } catch {
    return undefined;
  }
}

function fixEnum({ field, mapping, error, ref, column }: FixInput): Fix | null {
  const allowed = allowedStrings(field);
  if (!allowed) return null;
  const seen = presentSamples(column?.samples ?? []).filter(
    (sample): sample is string => typeof sample === 'string',
  );
  const offending = quotedValue(error.message);
  const values = offending === undefined ? seen : [...seen, offending];
  if (values.length === 0) return null;
  const fixed = caseFixFor(values, allowed, ref, column ? mayBeNull(column.samples) : true);
  return fixed?.expr ? expressionFix(field, fixed.expr, fixed.explanation, mapping) : null;
}

const FIXERS: Record<Problem, (input: FixInput) => Fix | null> = {
  missing: fixMissing,
  type: fixType,
  format: fixFormat,
  enum: fixEnum,
};

/**
 * An expression that repairs a schema error the preview reported for a field (wrong type, bad
 * date-time, a value outside the allowed list in the wrong case, a missing value), or null when no
 * expression can.
 */
export function suggestFix(
  field: TargetField,
  mapping: Mapping,
  error: SchemaError,
  column?: ColumnInfo,
): Fix | null {
  const problem = problemOf(error);
  if (problem === null) return null;
  // The column's type and samples describe the value only when the column is mapped as it is.
  const source =
    mapping.field_type === 'field' && column?.name === mapping.column.name ? column : undefined;
  return FIXERS[problem]({ field, mapping, error, ref: currentRef(mapping), column: source });
}
