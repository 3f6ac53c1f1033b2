// Builds a datalake → provider → source → dataset chain over the API and waits for extracts.
import { expect } from 'vitest';
import { isActive } from '../../lib/prequel/contract/job';
import { create, localDatalake, provider } from './fixtures';
import type { SourceDatabase } from './source-database';
import type { TestEngine } from './test-engine';

export type Extract = {
  id: string;
  status: string;
  records_processed: number;
  records_new_inserted: number;
  records_existing_updated: number;
  records_existing_unchanged: number;
  records_existing_deleted: number;
  records_errored: number;
  error: { error_code: string; blame: string; message: string } | null;
  progress: { rows_read: number; estimated_rows: number | null };
};

export async function createTableDataset(
  api: TestEngine,
  source: SourceDatabase,
  dataset: Record<string, unknown>,
) {
  const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
  const tenant = await create(api, '/import/providers', provider(lake.id), 'provider');
  const sourceRow = await create(
    api,
    '/import/sources',
    {
      source: {
        name: 'sample',
        vendor: 'postgres',
        provider_id: tenant.id,
        postgres: source.postgres,
      },
    },
    'source',
  );
  return create(
    api,
    '/import/datasets',
    { dataset: { source_id: sourceRow.id, method: 'table', frequency_minutes: 60, ...dataset } },
    'dataset',
  );
}

export async function startExtract(api: TestEngine, datasetId: string): Promise<Extract> {
  const response = await api.request<{ data: { extract: Extract } }>(
    'POST',
    `/import/datasets/${datasetId}/extract`,
  );
  expect(response.status, response.text).toBe(201);
  return response.body.data.extract;
}

export async function waitForExtract(
  api: TestEngine,
  extractId: string,
  timeoutMs = 60_000,
): Promise<Extract> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api.request<{ data: { extract: Extract } }>(
      'GET',
      `/import/extracts/${extractId}`,
    );
    const extract = response.body.data.extract;
    if (!isActive(extract)) return extract;
    if (Date.now() > deadline)
      throw new Error(`extract ${extractId} still ${extract.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Triggers an extract and waits for it to succeed. */
export async function extractNow(api: TestEngine, datasetId: string): Promise<Extract> {
  const extract = await waitForExtract(api, (await startExtract(api, datasetId)).id);
  expect(extract.error, JSON.stringify(extract.error)).toBeNull();
  expect(extract.status).toBe('succeeded');
  return extract;
}

/** A dimension dataset over the sample `customers` table, soft deletes included. */
export const customersDimension = {
  table: { source_table_namespace: 'public', source_table_name: 'customers' },
  type: 'dimension',
  dimension: {
    primary_key_column: 'id',
    last_modified_column: 'updated_at',
    is_deleted_column: 'is_deleted',
  },
};
