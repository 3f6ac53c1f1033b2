'use server';
// Choose-data step: create datasets from picked tables, a table named by hand or a SQL query, each
// starting its first extract at once.
import { z } from 'zod';
import { actionFailure, type ActionResult, fromPrequelError } from '@/lib/actions/action-result';
import { customerAction } from '@/lib/actions/customer-action';
import type { SchemaColumn } from '@/lib/prequel/contract/source-actions';
import { createDataset, listDatasets, startExtract } from '@/lib/prequel/datasets';
import { getSourceSchema, listSources, listSourceTables } from '@/lib/prequel/sources';
import type { CustomerSession } from '@/lib/session/session';
import {
  datasetFromTable,
  type DatasetInput,
  FREQUENCIES,
  importedTables,
  tableKey,
  tableOfDataset,
} from '@/lib/wizard/dataset-choice';

const FrequencySchema = z.coerce
  .number()
  .refine(
    (minutes) => FREQUENCIES.some((option) => option.minutes === minutes),
    'Choose how often to import.',
  );
const IdentifierSchema = z.string().min(1).max(255);

async function sessionSource(session: CustomerSession): Promise<ActionResult<{ id: string }>> {
  const sources = await listSources({ providerId: session.providerId, pageSize: 1 });
  if (!sources.ok) return fromPrequelError(sources.error);
  const source = sources.data.items[0];
  return source
    ? { ok: true, data: source }
    : actionFailure('not_found', 'Connect a database first.');
}

/** Creates the dataset unless one of the same name exists, and starts its first extract. */
async function createAndExtract(
  input: DatasetInput,
  existingNames: Set<string>,
): Promise<ActionResult<string>> {
  if (input.name && existingNames.has(input.name))
    return actionFailure('conflict', `“${input.name}” is already being imported.`);
  const created = await createDataset(input);
  if (!created.ok) return fromPrequelError(created.error);
  const extract = await startExtract(created.data.id);
  if (!extract.ok) return fromPrequelError(extract.error);
  return { ok: true, data: created.data.id };
}

/** The names of the session's datasets, and the tables they read (`public.customers`). */
async function existingDatasets(
  session: CustomerSession,
): Promise<ActionResult<{ names: Set<string>; tables: Set<string> }>> {
  const datasets = await listDatasets({ providerId: session.providerId, pageSize: 100 });
  if (!datasets.ok) return fromPrequelError(datasets.error);
  const items = datasets.data.items;
  return {
    ok: true,
    data: {
      names: new Set(items.map((dataset) => dataset.name)),
      tables: importedTables(items.map((dataset) => ({ table: tableOfDataset(dataset) }))),
    },
  };
}

export const importTables = customerAction(
  z.object({
    tables: z
      .array(z.object({ namespace: IdentifierSchema, name: IdentifierSchema }))
      .min(1, 'Choose at least one table.')
      .max(50, 'Choose at most 50 tables at a time.'),
    frequencyMinutes: FrequencySchema,
  }),
  async (
    { tables, frequencyMinutes },
    session,
  ): Promise<ActionResult<{ created: string[]; skipped: { table: string; reason: string }[] }>> => {
    const source = await sessionSource(session);
    if (!source.ok) return source;
    const existing = await existingDatasets(session);
    if (!existing.ok) return existing;
    const created: string[] = [];
    const skipped: { table: string; reason: string }[] = [];
    for (const picked of tables) {
      if (existing.data.tables.has(tableKey(picked))) {
        skipped.push({ table: tableKey(picked), reason: 'It is already imported.' });
        continue;
      }
      // The table's keys and columns come from the source again, never from the browser.
      const found = await listSourceTables(source.data.id, {
        search: picked.name,
        namespace: picked.namespace,
        pageSize: 50,
      });
      if (!found.ok) return fromPrequelError(found.error);
      const table = found.data.items.find(
        (candidate) => candidate.namespace === picked.namespace && candidate.name === picked.name,
      );
      const label = tableKey(picked);
      const input = table ? datasetFromTable(source.data.id, table, frequencyMinutes) : null;
      if (!input) {
        skipped.push({
          table: label,
          reason: table
            ? 'It has no single-column primary key, or Inlet cannot read it.'
            : 'The table was not found.',
        });
        continue;
      }
      const outcome = await createAndExtract(input, existing.data.names);
      if (outcome.ok) created.push(outcome.data);
      else skipped.push({ table: label, reason: outcome.error.message });
    }
    return { ok: true, data: { created, skipped } };
  },
);

/** What a dataset described by hand reads: the result of a query, or a table the customer names. */
const ReadSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('sql'),
    query: z.string().trim().min(1, 'Write a SELECT query.').max(100_000),
  }),
  z.object({ method: z.literal('table'), namespace: IdentifierSchema, name: IdentifierSchema }),
]);
export type DatasetRead = z.infer<typeof ReadSchema>;

const readBlock = (read: DatasetRead) =>
  read.method === 'sql'
    ? { method: 'sql' as const, sql: { query: read.query } }
    : {
        method: 'table' as const,
        table: { source_table_namespace: read.namespace, source_table_name: read.name },
      };

/** The columns the read yields, checked against the database before anything is saved. */
export const checkRead = customerAction(
  z.object({ read: ReadSchema }),
  async ({ read }, session): Promise<ActionResult<SchemaColumn[]>> => {
    const source = await sessionSource(session);
    if (!source.ok) return source;
    const columns = await getSourceSchema(source.data.id, readBlock(read));
    if (!columns.ok)
      return actionFailure(columns.error.code, columns.error.message, {
        [read.method === 'sql' ? 'query' : 'table']: columns.error.message,
      });
    return columns;
  },
);

/**
 * A dataset described by hand: a query, or a table by its name where the API cannot list tables
 * (the hosted API).
 */
export const importRead = customerAction(
  z.object({
    name: z.string().trim().min(1, 'Name this data.').max(255),
    read: ReadSchema,
    primaryKey: IdentifierSchema,
    lastModified: z.string().max(255).optional(),
    frequencyMinutes: FrequencySchema,
  }),
  async (
    { name, read, primaryKey, lastModified, frequencyMinutes },
    session,
  ): Promise<ActionResult<{ created: string[] }>> => {
    const source = await sessionSource(session);
    if (!source.ok) return source;
    const existing = await existingDatasets(session);
    if (!existing.ok) return existing;
    if (read.method === 'table' && existing.data.tables.has(tableKey(read))) {
      const already = `${tableKey(read)} is already imported.`;
      return actionFailure('conflict', already, { table: already });
    }
    const outcome = await createAndExtract(
      {
        name,
        source_id: source.data.id,
        frequency_minutes: frequencyMinutes,
        ...readBlock(read),
        type: 'dimension',
        dimension: {
          primary_key_column: primaryKey,
          ...(lastModified ? { last_modified_column: lastModified } : {}),
        },
      },
      existing.data.names,
    );
    return outcome.ok ? { ok: true, data: { created: [outcome.data] } } : outcome;
  },
);
