// Pure: suggested mappings for a destination's fields from a dataset's columns (by name, type and
// sample values), and how much of the schema a mapping covers.
import { isCovered } from '@/lib/prequel/contract/required-fields';
import type { PrequelType } from '@/lib/prequel/contract/source-actions';
import type { Mapping } from '@/lib/prequel/contract/stream';
import { convertColumn, joinNamesExpression, type Conversion, type Fit } from './column-conversion';
import {
  matchNames,
  nameConcept,
  nameProfile,
  targetNameProfile,
  type NameMatch,
  type NameProfile,
  type TargetNameProfile,
} from './name-similarity';
import {
  expectedKind,
  presentSamples,
  sampleKindLabel,
  sniffSamples,
  type SampleKind,
} from './sample-kinds';
import type { TargetField } from './target-fields';

// The map step asks this module for fixes too; they live next door, since they change for other
// reasons.
export { suggestFix, type Fix, type SchemaError } from './suggest-fix';

export type ColumnInfo = {
  name: string;
  prequel_type: PrequelType;
  /**
   * Up to ~20 sample values from cached records, as JSON values (numbers beyond 2^53 and decimals
   * come as strings).
   */
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

const FIT_PENALTY: Record<Fit, number> = {
  native: 0,
  lossless: 0.03,
  'by-samples': 0.06,
  uncertain: 0.2,
};
const SAMPLE_BOOST = 0.1;
const SAMPLE_PENALTY = 0.3;
// A column found by its samples alone (a `contact` column full of e-mail addresses).
const SAMPLES_ONLY_SCORE: Partial<Record<SampleKind, number>> = {
  email: 0.6,
  url: 0.55,
  phone: 0.55,
};
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
type FieldFacts = {
  field: TargetField;
  index: number;
  names: TargetNameProfile;
  expected: ReturnType<typeof expectedKind>;
};
/** What a candidate needs of a column, worked out once per column. */
type ColumnFacts = {
  column: ColumnInfo;
  index: number;
  name: NameProfile;
  found: SampleKind | null;
  hasTextSamples: boolean;
};

function fieldFacts(field: TargetField, index: number): FieldFacts {
  const names = targetNameProfile(field.path);
  return {
    field,
    index,
    names,
    expected: expectedKind(field.format, nameConcept((names.leaf ?? names.whole).name)),
  };
}

function columnFacts(column: ColumnInfo, index: number): ColumnFacts {
  const hasTextSamples = presentSamples(column.samples).some(
    (sample) => typeof sample === 'string',
  );
  return {
    column,
    index,
    name: nameProfile(column.name),
    found: sniffSamples(column.samples),
    hasTextSamples,
  };
}

function nameCandidate(
  { field, index: fieldIndex, names, expected }: FieldFacts,
  { column, index: columnIndex, name, found, hasTextSamples }: ColumnFacts,
): Candidate | null {
  const match: NameMatch | null = matchNames(names, name);
  const samplesAgree = expected !== null && found === expected.kind;
  if (!match && !(samplesAgree && SAMPLES_ONLY_SCORE[expected.kind])) return null;
  // An e-mail address or a URL only ever comes from text, however alike the names (email ≠
  // email_verified).
  if (
    expected?.strict &&
    !(
      column.prequel_type === 'string' ||
      (expected.kind === 'uuid' && column.prequel_type === 'uuid')
    )
  )
    return null;
  const converted = convertColumn(field, column);
  if (!converted) return null;
  let score = match?.score ?? 0;
  let samplePhrase = '';
  if (samplesAgree) {
    score = match ? score + SAMPLE_BOOST : (SAMPLES_ONLY_SCORE[expected.kind] ?? 0);
    // A timestamp column holding timestamps is no news to the customer.
    const obvious =
      (found === 'date-time' || found === 'date') &&
      (column.prequel_type === 'timestamp' || column.prequel_type === 'date');
    if (!obvious) samplePhrase = `samples look like ${sampleKindLabel(expected.kind)}`;
  } else if (match && expected?.strict && hasTextSamples) {
    score -= SAMPLE_PENALTY;
    samplePhrase = `but samples don't look like ${sampleKindLabel(expected.kind)}`;
  }
  // Not capped at 1: the exactly named column must still beat one that differs only in case.
  score = score - FIT_PENALTY[converted.fit] + converted.bonus;
  if (score < MIN_SCORE) return null;
  const named =
    match?.kind === 'same' ? 'Same name' : `Similar name (${column.name} ≈ ${field.path})`;
  const reason = () =>
    match
      ? sentence([`${named}, ${converted.phrase}`, samplePhrase])
      : sentence([`${samplePhrase}, ${converted.phrase}`]);
  return {
    fieldIndex,
    columnIndex,
    score,
    mapping: mappingFor(field.path, column.name, converted),
    reason,
  };
}

const isTextColumn = (column: ColumnInfo) => column.prequel_type === 'string';

// A `field` mapping sends these as text itself when the field wants text, losslessly (see the API
// contract's Appendix): no expression needed.
const SENT_AS_TEXT: ReadonlySet<ColumnInfo['prequel_type']> = new Set([
  'integer',
  'float',
  'boolean',
]);
// Above any name match: the key is what identifies a record, whatever the column is called.
const KEY_COLUMN_SCORE = 2;

/**
 * The record's `id` from the dataset's key column, as a plain field mapping: it is what the
 * pipeline tells records apart by, and a receiver reads the same value the record tracer shows.
 */
function keyColumnCandidate(
  field: TargetField,
  fieldIndex: number,
  key: ColumnFacts | undefined,
): Candidate | null {
  if (!key || field.path.toLowerCase() !== 'id') return null;
  const converted = convertColumn(field, key.column);
  if (!converted) return null;
  const textByField = field.type.includes('string') && SENT_AS_TEXT.has(key.column.prequel_type);
  if (converted.expr !== null && !textByField) return null;
  return {
    fieldIndex,
    columnIndex: key.index,
    score: KEY_COLUMN_SCORE,
    mapping: { target_field: field.path, field_type: 'field', column: { name: key.column.name } },
    reason: () => `The key column of your data (${key.column.name}), ${converted.phrase}`,
  };
}

/**
 * `full_name` from `first_name` and `last_name`, when the target is a person's whole name and takes
 * text.
 */
function joinedNameCandidate(
  field: TargetField,
  fieldIndex: number,
  columns: readonly ColumnInfo[],
): Candidate | null {
  const leaf = field.path.split('.').pop() ?? field.path;
  if (nameConcept(leaf) !== 'name') return null;
  const declared = field.type.filter((type) => type !== 'null');
  if (declared.length > 0 && !declared.includes('string')) return null;
  const first = columns.find(
    (column) => isTextColumn(column) && nameConcept(column.name) === 'firstname',
  );
  const last = columns.find(
    (column) => isTextColumn(column) && nameConcept(column.name) === 'lastname',
  );
  if (!first || !last) return null;
  return {
    fieldIndex,
    columnIndex: null,
    score: JOINED_NAME_SCORE,
    mapping: {
      target_field: field.path,
      field_type: 'expression',
      expression: { expr: joinNamesExpression(first.name, last.name) },
    },
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
 * At most one suggestion per target field, required fields first. Each column is suggested once, to
 * the field it fits best (greedy by score); a field left without one may reuse a column only on a
 * strong match. `keyColumn`, the dataset's primary key, fills a field named `id` when it fits.
 */
export function suggestMappings(
  fields: TargetField[],
  columns: ColumnInfo[],
  { keyColumn }: { keyColumn?: string | null } = {},
): Suggestion[] {
  const targets = uniqueByPath(fields);
  const usable = columns.filter((column) => !column.name.toLowerCase().startsWith(INTERNAL_PREFIX));
  const columnsFacts = usable.map(columnFacts);
  const key = columnsFacts.find((facts) => facts.column.name === keyColumn);
  const candidates: Candidate[] = [];
  targets.forEach((field, fieldIndex) => {
    const keyed = keyColumnCandidate(field, fieldIndex, key);
    if (keyed) candidates.push(keyed);
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
    chosen.set(candidate.fieldIndex, {
      target,
      mapping: candidate.mapping,
      reason: candidate.reason(),
      confidence: confidenceOf(candidate.score),
    });
    if (candidate.columnIndex !== null) usedBy.set(candidate.columnIndex, target);
  }
  for (const candidate of candidates) {
    if (
      chosen.has(candidate.fieldIndex) ||
      candidate.score < MIN_REUSE_SCORE ||
      candidate.columnIndex === null
    )
      continue;
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
export function mappingProgress(
  fields: TargetField[],
  mappings: Mapping[],
): { requiredMapped: number; requiredTotal: number; mapped: number; total: number } {
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
