// Pure: a table the customer picked, as the dataset the Import API should create, and how ready it
// is.
import { z } from 'zod';
import type { DatasetCreateSchema } from '@/lib/prequel/contract/dataset';
import { isActive } from '@/lib/prequel/contract/job';
import type { SourceTable } from '@/lib/prequel/contract/source-actions';

export type DatasetInput = z.input<typeof DatasetCreateSchema>;

export const FREQUENCIES = [
  { minutes: 15, label: 'Every 15 minutes' },
  { minutes: 60, label: 'Every hour' },
  { minutes: 360, label: 'Every 6 hours' },
  { minutes: 1440, label: 'Every day' },
] as const;

export const READINESS = {
  ready: {
    tone: 'success',
    label: 'Ready',
    help: 'Has a primary key; changes are found on each run.',
  },
  no_primary_key: {
    tone: 'warning',
    label: 'No primary key',
    help: 'Add a primary key, or import it with a SQL query that names a unique column.',
  },
  no_select_privilege: {
    tone: 'danger',
    label: 'No read access',
    help: 'Grant SELECT on this table to the user Inlet signs in with.',
  },
} as const;

/**
 * The dataset for a table: its suggested type, its key, and the change-tracking columns found in
 * it.
 */
export function datasetFromTable(
  sourceId: string,
  table: SourceTable,
  frequencyMinutes: number,
): DatasetInput | null {
  const pk = table.primary_key.length === 1 ? table.primary_key[0]! : null;
  if (table.readiness !== 'ready' || !pk) return null;
  const base = {
    name: table.namespace === 'public' ? table.name : `${table.namespace}.${table.name}`,
    source_id: sourceId,
    frequency_minutes: frequencyMinutes,
    method: 'table' as const,
    table: { source_table_namespace: table.namespace, source_table_name: table.name },
  };
  const createdAt = table.candidate_created_at_columns[0];
  if (table.suggested_type === 'fact' && createdAt) {
    return {
      ...base,
      type: 'fact',
      fact: { primary_key_column: pk, created_at_column: createdAt },
    };
  }
  const lastModified = table.candidate_last_modified_columns[0];
  const isDeleted = table.candidate_is_deleted_columns[0];
  return {
    ...base,
    type: 'dimension',
    dimension: {
      primary_key_column: pk,
      ...(lastModified ? { last_modified_column: lastModified } : {}),
      ...(isDeleted ? { is_deleted_column: isDeleted } : {}),
    },
  };
}

/** How the table will be read, in words, for the table browser. */
export function describeTracking(table: SourceTable): string {
  if (table.suggested_type === 'fact' && table.candidate_created_at_columns[0])
    return `New rows by ${table.candidate_created_at_columns[0]}`;
  if (table.candidate_last_modified_columns[0])
    return `Changes by ${table.candidate_last_modified_columns[0]}`;
  return 'Full read each run, compared by content';
}

/** A table by its schema and name; `public.customers` is its key. */
export type TableRef = { namespace: string; name: string };
export const tableKey = (table: TableRef) => `${table.namespace}.${table.name}`;

const DatasetTableSchema = z.object({
  source_table_namespace: z.string(),
  source_table_name: z.string(),
});

/** The table a dataset reads, or null for a query (or a shape this version does not know). */
export function tableOfDataset(dataset: { method: string; table?: unknown }): TableRef | null {
  if (dataset.method !== 'table') return null;
  const table = DatasetTableSchema.safeParse(dataset.table);
  return table.success
    ? { namespace: table.data.source_table_namespace, name: table.data.source_table_name }
    : null;
}

/** The keys of the tables some dataset already reads: each table is imported once. */
export function importedTables(datasets: { table: TableRef | null }[]): Set<string> {
  return new Set(datasets.flatMap((dataset) => (dataset.table ? [tableKey(dataset.table)] : [])));
}

/**
 * Whether an import just started is still running: until every dataset it created is listed with
 * a finished extract, "Importing…" is true; after, it would be stale.
 */
export function stillImporting(
  datasetIds: string[],
  rows: { id: string; latestExtract: { status: string } | null }[],
): boolean {
  return datasetIds.some((id) => {
    const row = rows.find((candidate) => candidate.id === id);
    return !row || !row.latestExtract || isActive(row.latestExtract);
  });
}
