// Sources through the Import API: the customer's database connection, its tests, its schema and its
// tables.
import 'server-only';
import { z } from 'zod';
import { requireCapability } from './capabilities';
import { prequelFetch, type PrequelResult } from './client';
import {
  ConnectionCheckSchema,
  type GetSchemaRequest,
  SchemaColumnSchema,
  type SourceTable,
  SourceTableSchema,
  TestSourceResultSchema,
} from './contract/source-actions';
import { type SourceCreateSchema, SourceSchema } from './contract/source';
import { crudEndpoints, listOfProvider, type MergePatch, type ProviderScope } from './crud';
import {
  dataEnvelope,
  itemEnvelope,
  type Page,
  pageEnvelope,
  type PageQuery,
  pageParams,
} from './envelope';

export type SourceInput = z.input<typeof SourceCreateSchema>;

const sources = crudEndpoints<typeof SourceSchema, SourceInput>({
  key: 'source',
  plural: 'sources',
  path: '/import/sources',
  schema: SourceSchema,
});
export const createSource = sources.create;
export const getSource = sources.get;
/**
 * A merge patch: send only what changes; `{postgres: {password_auth: {password}}}` replaces the
 * password alone.
 */
export const updateSource = sources.update;
export const deleteSource = sources.remove;
export const listSources = (query: PageQuery & ProviderScope = {}) =>
  listOfProvider(sources.list, query);

// `checks` is (ext): the hosted API answers the outcome and its message only.
const TestSourceOutcomeSchema = TestSourceResultSchema.extend({
  checks: z.array(ConnectionCheckSchema).optional(),
});
export type TestSourceOutcome = z.infer<typeof TestSourceOutcomeSchema>;
const testOutcome = dataEnvelope(TestSourceOutcomeSchema);

/** Tests a connection before it is saved; a failed check is an outcome (200), not an error. */
export function testNewSource(source: SourceInput): Promise<PrequelResult<TestSourceOutcome>> {
  return prequelFetch('/import/test-source', testOutcome, { method: 'POST', body: { source } });
}

/**
 * Tests a saved source, or the saved source with unsaved changes (a new password) merged over it.
 */
export function testSavedSource(
  id: string,
  changes?: MergePatch<SourceInput>,
): Promise<PrequelResult<TestSourceOutcome>> {
  return prequelFetch(`/import/sources/${encodeURIComponent(id)}/test-source`, testOutcome, {
    method: 'POST',
    body: changes ? { source: changes } : {},
  });
}

const schemaColumns = itemEnvelope('schema', z.array(SchemaColumnSchema));
export type SourceColumn = z.infer<typeof SchemaColumnSchema>;

/** The columns of a table, or of a SQL query (validates the query without reading its rows). */
export function getSourceSchema(
  id: string,
  request: GetSchemaRequest,
): Promise<PrequelResult<SourceColumn[]>> {
  return prequelFetch(`/import/sources/${encodeURIComponent(id)}/get-schema`, schemaColumns, {
    method: 'POST',
    body: request,
  });
}

const tablePage = pageEnvelope('tables', SourceTableSchema);

/**
 * One page of a source's tables, with dataset suggestions (ext: `not_supported` on an API without
 * the table browser).
 */
export async function listSourceTables(
  id: string,
  { namespace, search, ...query }: PageQuery & { namespace?: string; search?: string } = {},
): Promise<PrequelResult<Page<SourceTable>>> {
  const supported = await requireCapability(
    'tables',
    'a table browser (GET /import/sources/{id}/tables): enter the schema and table name instead',
  );
  if (!supported.ok) return supported;
  return prequelFetch(`/import/sources/${encodeURIComponent(id)}/tables`, tablePage, {
    query: { ...pageParams(query), namespace, search },
  });
}
