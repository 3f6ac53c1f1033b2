// Pure: what the table browser suggests for a table, from its name and its columns' names and
// types.
import type { PrequelType } from '../../lib/prequel/contract/source-actions';
import type { SourceTable } from '../../lib/prequel/contract/source-actions';

export interface ColumnBrief {
  name: string;
  type: PrequelType;
}

export interface TableFacts {
  namespace: string;
  name: string;
  estimatedRows: number | null;
  primaryKey: string[];
  readable: boolean;
  columns: ColumnBrief[];
}

/** `updatedAt`, `UpdatedAt`, `updated_at` → `updated_at`. */
const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

// Best first; patterns after the exact names.
const LAST_MODIFIED: (string | RegExp)[] = [
  'updated_at',
  'modified_at',
  'last_modified_at',
  'last_modified',
  'last_updated_at',
  'last_updated',
  'updated',
  'modified',
  'updated_on',
  'modified_on',
  'date_modified',
  'date_updated',
  /_updated_at$/,
  /_modified_at$/,
];
const CREATED_AT: (string | RegExp)[] = [
  'created_at',
  'inserted_at',
  'occurred_at',
  'created',
  'created_on',
  'creation_time',
  'event_time',
  'logged_at',
  'sent_at',
  'recorded_at',
  'timestamp',
  /_created_at$/,
];
const IS_DELETED: (string | RegExp)[] = [
  'is_deleted',
  'deleted',
  '_deleted',
  'is_archived',
  'archived',
  '_is_deleted',
  'is_removed',
  'removed',
];
// Words in a table name that suggest rows are only ever appended.
const APPEND_ONLY = new Set([
  'event',
  'events',
  'log',
  'logs',
  'audit',
  'audits',
  'history',
  'histories',
  'transaction',
  'transactions',
  'click',
  'clicks',
  'pageview',
  'pageviews',
  'message',
  'messages',
]);

function ranked(
  columns: ColumnBrief[],
  types: PrequelType[],
  names: (string | RegExp)[],
): string[] {
  const rank = (column: ColumnBrief) => {
    const name = snake(column.name);
    const index = names.findIndex((pattern) =>
      typeof pattern === 'string' ? pattern === name : pattern.test(name),
    );
    return index < 0 ? Infinity : index;
  };
  return columns
    .filter((column) => types.includes(column.type))
    .map((column) => ({ column, rank: rank(column) }))
    .filter(({ rank }) => rank !== Infinity)
    .sort((a, b) => a.rank - b.rank)
    .map(({ column }) => column.name);
}

export const lastModifiedCandidates = (columns: ColumnBrief[]) =>
  ranked(columns, ['timestamp'], LAST_MODIFIED);
export const createdAtCandidates = (columns: ColumnBrief[]) =>
  ranked(columns, ['timestamp'], CREATED_AT);
export const isDeletedCandidates = (columns: ColumnBrief[]) =>
  ranked(columns, ['boolean'], IS_DELETED);

export function looksAppendOnly(tableName: string): boolean {
  const words = snake(tableName)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.some((word) => APPEND_ONLY.has(word)) || /page_?views?/.test(snake(tableName));
}

/**
 * A dimension when rows change in place (a last-modified column); a fact when the table only grows.
 */
export function suggestedType(
  tableName: string,
  columns: ColumnBrief[],
): SourceTable['suggested_type'] {
  if (lastModifiedCandidates(columns).length) return 'dimension';
  if (createdAtCandidates(columns).length && looksAppendOnly(tableName)) return 'fact';
  return 'dimension';
}

export function readiness(
  facts: Pick<TableFacts, 'readable' | 'primaryKey'>,
): SourceTable['readiness'] {
  if (!facts.readable) return 'no_select_privilege';
  if (facts.primaryKey.length === 0) return 'no_primary_key';
  return 'ready';
}

export function describeTable(facts: TableFacts): SourceTable {
  return {
    namespace: facts.namespace,
    name: facts.name,
    estimated_rows: facts.estimatedRows,
    primary_key: facts.primaryKey,
    candidate_last_modified_columns: lastModifiedCandidates(facts.columns),
    candidate_created_at_columns: createdAtCandidates(facts.columns),
    candidate_is_deleted_columns: isDeletedCandidates(facts.columns),
    suggested_type: suggestedType(facts.name, facts.columns),
    readiness: readiness(facts),
  };
}
