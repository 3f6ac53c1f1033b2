// Pure: suggested mappings for a destination's fields from a dataset's columns (by name, type and sample values),
// fixes for the schema errors the preview shows, and how much of the schema a mapping covers.
import type { PrequelType } from '@/lib/prequel/contract/source-actions';
import type { Mapping } from '@/lib/prequel/contract/stream';
import { columnRef, convertColumn, convertToType, joinNamesExpression, mayBeNull, type Conversion, type Fit } from './column-conversion';
import { matchNames, nameConcept, nameProfile, targetNameProfile, type NameMatch, type NameProfile, type TargetNameProfile } from './name-similarity';
import { isCovered } from './required-fields';
import { expectedKind, presentSamples, sampleKindLabel, sniffSamples, type SampleKind } from './sample-kinds';
import type { TargetField } from './target-fields';

export type ColumnInfo = {
  name: string;
  prequel_type: PrequelType;
  /** Up to ~20 sample values from cached records, as JSON values (numbers beyond 2^53 and decimals come as strings). */
  samples: unknown[];
};

export type Confidence = 'high' | 'medium' | 'low';

export type Suggestion = {
  target: string;
  mapping: Mapping;
  /** Shown to the customer: why this column, in plain words. */
  reason: string;
  confidence: Confidence;
};

/** Columns the pipeline adds for itself; never a customer's data. */
const INTERNAL_PREFIX = '_prequel_';

const FIT_PENALTY: Record<Fit, number> = { native: 0, lossless: 0.03, 'by-samples': 0.06, uncertain: 0.2 };
const SAMPLE_BOOST = 0.1;
const SAMPLE_PENALTY = 0.3;
// A column found by its samples alone (a `contact` column full of e-mail addresses).
const SAMPLES_ONLY_SCORE: Partial<Record<SampleKind, number>> = { email: 0.6, url: 0.55, phone: 0.55 };
const JOINED_NAME_SCORE = 0.75;
const MIN_SCORE = 0.45;
// Reusing a column already suggested elsewhere needs a good reason.
const MIN_REUSE_SCORE = 0.6;

type Candidate = {
  fieldIndex: number;
  /** The column the suggestion takes, or null for one built from several columns. */
  columnIndex: number | null;
  score: number;
  mapping: Mapping;
  /** Written only for the candidates chosen: a wide table has many more. */
  reason: () => string;
};

function confidenceOf(score: number): Confidence {
  return score >= 0.85 ? 'high' : score >= 0.6 ? 'medium' : 'low';
}

/** The first field of each path: a schema lists a field once, a caller might not. */
function uniqueByPath(fields: readonly TargetField[]): TargetField[] {
  const seen = new Set<string>();
  return fields.filter((field) => !seen.has(field.path) && Boolean(seen.add(field.path)));
}

function sentence(parts: readonly string[]): string {
  const text = parts.filter(Boolean).join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function mappingFor(target: string, column: string, converted: Conversion): Mapping {
  return converted.expr === null
    ? { target_field: target, field_type: 'field', column: { name: column } }
    : { target_field: target, field_type: 'expression', expression: { expr: converted.expr } };
}

/** What a candidate needs of a field, worked out once per field. */
type FieldFacts = { field: TargetField; index: number; names: TargetNameProfile; expected: ReturnType<typeof expectedKind> };
/** What a candidate needs of a column, worked out once per column. */
type ColumnFacts = { column: ColumnInfo; index: number; name: NameProfile; found: SampleKind | null; hasTextSamples: boolean };

function fieldFacts(field: TargetField, index: number): FieldFacts {
  const names = targetNameProfile(field.path);
  return { field, index, names, expected: expectedKind(field.format, nameConcept((names.leaf ?? names.whole).name)) };
}

function columnFacts(column: ColumnInfo, index: number): ColumnFacts {
  const hasTextSamples = presentSamples(column.samples).some((sample) => typeof sample === 'string');
  return { column, index, name: nameProfile(column.name), found: sniffSamples(column.samples), hasTextSamples };
}

function nameCandidate({ field, index: fieldIndex, names, expected }: FieldFacts, { column, index: columnIndex, name, found, hasTextSamples }: ColumnFacts): Candidate | null {
  const match: NameMatch | null = matchNames(names, name);
  const samplesAgree = expected !== null && found === expected.kind;
  if (!match && !(samplesAgree && SAMPLES_ONLY_SCORE[expected.kind])) return null;
  // An e-mail address or a URL only ever comes from text, however alike the names (email ≠ email_verified).
  if (expected?.strict && !(column.prequel_type === 'string' || (expected.kind === 'uuid' && column.prequel_type === 'uuid'))) return null;
  const converted = convertColumn(field, column);
  if (!converted) return null;
  let score = match?.score ?? 0;
  let samplePhrase = '';
  if (samplesAgree) {
    score = match ? score + SAMPLE_BOOST : (SAMPLES_ONLY_SCORE[expected.kind] ?? 0);
    // A timestamp column holding timestamps is no news to the customer.
    const obvious = (found === 'date-time' || found === 'date') && (column.prequel_type === 'timestamp' || column.prequel_type === 'date');
    if (!obvious) samplePhrase = `samples look like ${sampleKindLabel(expected.kind)}`;
  } else if (match && expected?.strict && hasTextSamples) {
    score -= SAMPLE_PENALTY;
    samplePhrase = `but samples don't look like ${sampleKindLabel(expected.kind)}`;
  }
  // Not capped at 1: the exactly named column must still beat one that differs only in case.
  score = score - FIT_PENALTY[converted.fit] + converted.bonus;
  if (score < MIN_SCORE) return null;
  const reason = () =>
    match
      ? sentence([`${match.kind === 'same' ? 'Same name' : `Similar name (${column.name} ≈ ${field.path})`}, ${converted.phrase}`, samplePhrase])
      : sentence([`${samplePhrase}, ${converted.phrase}`]);
  return { fieldIndex, columnIndex, score, mapping: mappingFor(field.path, column.name, converted), reason };
}

const isTextColumn = (column: ColumnInfo) => column.prequel_type === 'string';

/** `full_name` from `first_name` and `last_name`, when the target is a person's whole name and takes text. */
function joinedNameCandidate(field: TargetField, fieldIndex: number, columns: readonly ColumnInfo[]): Candidate | null {
  const leaf = field.path.split('.').pop() ?? field.path;
  if (nameConcept(leaf) !== 'name') return null;
  const declared = field.type.filter((type) => type !== 'null');
  if (declared.length > 0 && !declared.includes('string')) return null;
  const first = columns.find((column) => isTextColumn(column) && nameConcept(column.name) === 'firstname');
  const last = columns.find((column) => isTextColumn(column) && nameConcept(column.name) === 'lastname');
  if (!first || !last) return null;
  return {
    fieldIndex,
    columnIndex: null,
    score: JOINED_NAME_SCORE,
    mapping: { target_field: field.path, field_type: 'expression', expression: { expr: joinNamesExpression(first.name, last.name) } },
    reason: () => `Built from ${first.name} and ${last.name}`,
  };
}

function compareCandidates(fields: readonly TargetField[]) {
  return (a: Candidate, b: Candidate) =>
    b.score - a.score ||
    Number(fields[b.fieldIndex]?.required) - Number(fields[a.fieldIndex]?.required) ||
    a.fieldIndex - b.fieldIndex ||
    (a.columnIndex ?? -1) - (b.columnIndex ?? -1);
}

/**
 * At most one suggestion per target field, required fields first. Each column is suggested once, to the field
 * it fits best (greedy by score); a field left without one may reuse a column only on a strong match.
 */
export function suggestMappings(fields: TargetField[], columns: ColumnInfo[]): Suggestion[] {
  const targets = uniqueByPath(fields);
  const usable = columns.filter((column) => !column.name.toLowerCase().startsWith(INTERNAL_PREFIX));
  const columnsFacts = usable.map(columnFacts);
  const candidates: Candidate[] = [];
  targets.forEach((field, fieldIndex) => {
    const facts = fieldFacts(field, fieldIndex);
    for (const column of columnsFacts) {
      const candidate = nameCandidate(facts, column);
      if (candidate) candidates.push(candidate);
    }
    const joined = joinedNameCandidate(field, fieldIndex, usable);
    if (joined) candidates.push(joined);
  });
  candidates.sort(compareCandidates(targets));

  const chosen = new Map<number, Suggestion>();
  const usedBy = new Map<number, string>();
  for (const candidate of candidates) {
    if (chosen.has(candidate.fieldIndex)) continue;
    if (candidate.columnIndex !== null && usedBy.has(candidate.columnIndex)) continue;
    const target = targets[candidate.fieldIndex]?.path ?? '';
    chosen.set(candidate.fieldIndex, { target, mapping: candidate.mapping, reason: candidate.reason(), confidence: confidenceOf(candidate.score) });
    if (candidate.columnIndex !== null) usedBy.set(candidate.columnIndex, target);
  }
  for (const candidate of candidates) {
    if (chosen.has(candidate.fieldIndex) || candidate.score < MIN_REUSE_SCORE || candidate.columnIndex === null) continue;
    const target = targets[candidate.fieldIndex]?.path ?? '';
    const other = usedBy.get(candidate.columnIndex);
    chosen.set(candidate.fieldIndex, {
      target,
      mapping: candidate.mapping,
      reason: `${candidate.reason()}; also suggested for ${other}`,
      // The same column twice is rarely right: the customer should look.
      confidence: 'low',
    });
  }
  return [...chosen.entries()]
    .sort(([a], [b]) => Number(targets[b]?.required) - Number(targets[a]?.required) || a - b)
    .map(([, suggestion]) => suggestion);
}

/** "8 of 10 required fields mapped": a mapping of an object covers the fields inside it. */
export function mappingProgress(fields: TargetField[], mappings: Mapping[]): { requiredMapped: number; requiredTotal: number; mapped: number; total: number } {
  const targets = mappings.map((mapping) => mapping.target_field);
  const unique = uniqueByPath(fields);
  const required = unique.filter((field) => field.required);
  const covered = (field: TargetField) => isCovered(field.path, targets);
  return {
    requiredMapped: required.filter(covered).length,
    requiredTotal: required.length,
    mapped: unique.filter(covered).length,
    total: unique.length,
  };
}

// Fixes for the schema errors the preview reports on a cell.

export type SchemaError = { keyword?: string; message: string };
export type Fix = { mapping: Mapping; explanation: string };

type Problem = 'missing' | 'type' | 'format' | 'enum';

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
  if (/must be (an? )?(integer|number|string|boolean|object|array)|\bnot an? (number|boolean|whole number|string|object|array)\b|cannot be an? \w+ field|\bwants\b|\btype\b/.test(message)) return 'type';
  return null;
}

/** The type the error asks for ("must be integer"), else the field's first declared type. */
function wantedType(field: TargetField, message: string): string | undefined {
  const declared = field.type.filter((type) => type !== 'null');
  const named = /must be (?:an? )?(\w+)|wants (?:an? )?(\w+)/i.exec(message);
  const fromMessage = (named?.[1] ?? named?.[2])?.toLowerCase();
  if (fromMessage && (JSON_TYPES as readonly string[]).includes(fromMessage) && declared.includes(fromMessage)) return fromMessage;
  // A field of any type has no type to fit.
  return declared[0];
}

/** How an expression names the current mapping's value: the column, or the expression in parentheses. */
function currentRef(mapping: Mapping): string {
  if (mapping.field_type === 'field') return columnRef(mapping.column.name);
  const expr = mapping.expression.expr.trim();
  return isSingleTerm(expr) ? expr : `(${expr})`;
}

/** An identifier, `$env["…"]` or one function call: safe to use inside a larger expression without parentheses. */
function isSingleTerm(expr: string): boolean {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(expr) || /^\$env\["(?:[^"\\]|\\.)*"\]$/.test(expr)) return true;
  const call = /^[A-Za-z_][A-Za-z0-9_]*\(/.exec(expr);
  return call !== null && closingParen(expr, call[0].length - 1) === expr.length - 1;
}

/** The index of the parenthesis closing the one at `open`, skipping string literals; -1 when unbalanced. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    const char = text[index];
    if (char === '"' || char === "'" || char === '`') {
      const quote = char;
      for (index++; index < text.length && text[index] !== quote; index++) if (text[index] === '\\' && quote !== '`') index++;
      continue;
    }
    if (char === '(') depth++;
    if (char === ')' && --depth === 0) return index;
  }
  return -1;
}

function expressionFix(field: TargetField, expr: string, explanation: string, current: Mapping): Fix | null {
  if (current.field_type === 'expression' && current.expression.expr.trim() === expr) return null;
  return { mapping: { target_field: field.path, field_type: 'expression', expression: { expr } }, explanation };
}

function defaultLiteral(field: TargetField, type: string | undefined): string | null {
  if (field.enum && field.enum.length > 0) return JSON.stringify(field.enum[0]) ?? null;
  switch (type) {
    case 'string':
      return field.format ? null : '""';
    case 'integer':
    case 'number':
      return '0';
    case 'boolean':
      return 'false';
    case 'array':
      return '[]';
    case 'object':
      return '{}';
    default:
      return null;
  }
}

function fixMissing(field: TargetField, mapping: Mapping, ref: string): Fix | null {
  if (mapping.field_type === 'expression' && mapping.expression.expr.includes('??')) return null;
  const fallback = defaultLiteral(field, field.type.find((type) => type !== 'null'));
  if (fallback === null) return null;
  return expressionFix(field, `${ref} ?? ${fallback}`, `Records with no value get ${fallback} instead, so the field is never empty.`, mapping);
}

const TRUE_WORDS_LIST = '["t", "true", "yes", "y", "1"]';

/** A conversion to `type` when nothing is known about the column's values, always letting NULL through. */
function genericConversion(type: string, ref: string, message: string, columnType: PrequelType | undefined): { expr: string; explanation: string } | null {
  const guard = (inner: string) => `IF(${ref} == nil, nil, ${inner})`;
  const isBoolean = columnType === 'boolean' || /\bis a boolean\b/i.test(message);
  switch (type) {
    case 'integer':
    case 'number':
      if (isBoolean) return { expr: `IF(${ref}, 1, 0)`, explanation: 'Sends 1 for true and 0 for false.' };
  }
  switch (type) {
    case 'integer':
      return /whole number/i.test(message) || columnType === 'decimal' || columnType === 'float'
        ? { expr: guard(`int(round(float(${ref})))`), explanation: 'Rounds the value to the nearest whole number, so "12.50" becomes 13.' }
        : { expr: guard(`int(${ref})`), explanation: 'Reads the value as a whole number, so "42" becomes 42.' };
    case 'number':
      return { expr: guard(`float(${ref})`), explanation: 'Reads the value as a number, so "12.50" becomes 12.5.' };
    case 'string':
      return columnType === 'json' || columnType === 'array'
        ? { expr: guard(`toJSON(${ref})`), explanation: 'Sends the value as JSON text.' }
        : { expr: guard(`string(${ref})`), explanation: 'Sends the value as text, so 42 becomes "42".' };
    case 'boolean':
      return columnType === 'integer' || columnType === 'float' || /\ba number\b/i.test(message)
        ? { expr: guard(`${ref} != 0`), explanation: 'Reads 0 as false and any other number as true.' }
        : { expr: guard(`lower(string(${ref})) in ${TRUE_WORDS_LIST}`), explanation: 'Reads t, true, yes, y and 1 as true, anything else as false.' };
    case 'object':
    case 'array':
      return columnType === 'string' || columnType === undefined ? { expr: guard(`fromJSON(${ref})`), explanation: 'Reads the text as JSON.' } : null;
    default:
      return null;
  }
}

function fixType(field: TargetField, mapping: Mapping, error: SchemaError, ref: string, column: ColumnInfo | undefined): Fix | null {
  const type = wantedType(field, error.message);
  if (type === undefined) return null;
  if (column) {
    const converted = convertToType(type, field, column, ref);
    if (converted?.expr) return expressionFix(field, converted.expr, converted.explanation, mapping);
    // Samples that no conversion reads (text that is not a number) cannot be fixed by an expression, nor can a
    // column that already has the type; rounding and true/false as 1/0 are the repairs a suggestion leaves out.
    const numeric = type === 'integer' || type === 'number';
    const rounding = type === 'integer' && (column.prequel_type === 'decimal' || column.prequel_type === 'float');
    if (presentSamples(column.samples).length > 0 && !rounding && !(numeric && column.prequel_type === 'boolean')) return null;
  }
  const generic = genericConversion(type, ref, error.message, column?.prequel_type);
  return generic ? expressionFix(field, generic.expr, generic.explanation, mapping) : null;
}

function fixFormat(field: TargetField, mapping: Mapping, ref: string, column: ColumnInfo | undefined): Fix | null {
  if (field.format === 'date-time') {
    return expressionFix(field, `TIMESTAMPVALUE(${ref})`, 'Rewrites the value as an ISO 8601 timestamp in UTC (2024-01-02T10:20:30Z).', mapping);
  }
  if (field.format === 'date') {
    return expressionFix(field, `LEFT(TIMESTAMPVALUE(${ref}), 10)`, 'Keeps the date part of the value, in UTC (2024-01-02).', mapping);
  }
  // Stray spaces are the one format problem an expression can repair without guessing.
  const texts = presentSamples(column?.samples ?? []).filter((sample): sample is string => typeof sample === 'string');
  if (texts.some((text) => text !== text.trim())) {
    return expressionFix(field, `IF(${ref} == nil, nil, trim(${ref}))`, 'Removes spaces before and after the value.', mapping);
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

function fixEnum(field: TargetField, mapping: Mapping, error: SchemaError, ref: string, column: ColumnInfo | undefined): Fix | null {
  const allowed = field.enum;
  if (!allowed || allowed.length === 0 || !allowed.every((value): value is string => typeof value === 'string')) return null;
  const seen = presentSamples(column?.samples ?? []).filter((sample): sample is string => typeof sample === 'string');
  const offending = quotedValue(error.message);
  const values = offending === undefined ? seen : [...seen, offending];
  if (values.length === 0) return null;
  const list = new Set(allowed);
  const shown = allowed.slice(0, 4).join(', ') + (allowed.length > 4 ? ', …' : '');
  const nullable = column ? mayBeNull(column.samples) : true;
  const guard = (inner: string) => (nullable ? `IF(${ref} == nil, nil, ${inner})` : inner);
  for (const [fn, word] of [['lower', 'lower'], ['upper', 'upper']] as const) {
    const change = fn === 'lower' ? (text: string) => text.toLowerCase() : (text: string) => text.toUpperCase();
    if (values.every((value) => list.has(change(value)))) {
      return expressionFix(field, guard(`${fn}(${ref})`), `Changes the value to ${word} case so it matches the allowed values (${shown}).`, mapping);
    }
    if (values.every((value) => list.has(change(value.trim())))) {
      return expressionFix(field, guard(`${fn}(trim(${ref}))`), `Removes surrounding spaces and changes the value to ${word} case so it matches the allowed values (${shown}).`, mapping);
    }
  }
  return null;
}

/**
 * An expression that repairs a schema error the preview reported for a field (wrong type, bad date-time, a value
 * outside the allowed list in the wrong case, a missing value), or null when no expression can.
 */
export function suggestFix(field: TargetField, mapping: Mapping, error: SchemaError, column?: ColumnInfo): Fix | null {
  const problem = problemOf(error);
  if (problem === null) return null;
  const ref = currentRef(mapping);
  // The column's type and samples describe the value only when the column is mapped as it is.
  const source = mapping.field_type === 'field' && column?.name === mapping.column.name ? column : undefined;
  switch (problem) {
    case 'missing':
      return fixMissing(field, mapping, ref);
    case 'type':
      return fixType(field, mapping, error, ref, source);
    case 'format':
      return fixFormat(field, mapping, ref, source);
    case 'enum':
      return fixEnum(field, mapping, error, ref, source);
  }
}
