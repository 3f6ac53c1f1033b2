import {
  DatasetCreateSchema,
  DatasetSchema,
  type DatasetCreate,
} from '../../lib/prequel/contract/dataset';
import { unprocessable } from '../http/api-error';
import { requireReference } from './references';
import type { ResourceDefinition } from './resource-definition';

const FILE_VENDORS = new Set(['s3', 'gcs', 'abs', 'sftp']);

function defaultName(input: DatasetCreate): string {
  if (input.method === 'table' && input.table) return input.table.source_table_name;
  if (input.method === 'glob' && input.glob) return input.glob.pattern;
  return 'sql-query';
}

export const datasets: ResourceDefinition<DatasetCreate> = {
  key: 'dataset',
  plural: 'datasets',
  table: 'datasets',
  path: '/import/datasets',
  idType: 'uuid',
  eventPrefix: 'IMPORT_DATASET',
  createSchema: DatasetCreateSchema,
  responseSchema: DatasetSchema,
  filters: { provider_id: 'provider_id', source_id: 'source_id::text' },
  // The cached data belongs to one source; a new source means a new dataset.
  immutable: ['source_id'],
  prepare: async ({ client, input }) => {
    const source = await requireReference<{ provider_id: string; vendor: string; name: string }>(
      client,
      'sources',
      input.source_id,
      'dataset.source_id',
      'source',
    );
    const readsFiles = FILE_VENDORS.has(source.vendor);
    if ((input.method === 'glob') !== readsFiles) {
      throw unprocessable(
        'method_not_supported',
        readsFiles
          ? `Source "${source.name}" holds files: use method "glob".`
          : `Source "${source.name}" is a ${source.vendor} database: use method "table" or "sql".`,
        [{ path: 'dataset.method', message: `is not available for ${source.vendor} sources` }],
      );
    }
    input.name ??= defaultName(input);
    return { source_id: input.source_id, provider_id: source.provider_id, name: input.name };
  },
  toResponse: (row) => ({
    id: row.id,
    ...row.body,
    provider_id: row.provider_id,
    // (ext) Mapped columns that disappeared or changed type at the source, and columns new since
    // the mappings were saved.
    schema_drift: row.schema_drift ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }),
  references: [
    {
      what: 'streams',
      sql: 'select name as label from streams where dataset_id = $1 order by created_at limit 10',
    },
  ],
};
