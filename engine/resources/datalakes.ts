import { DatalakeCreateSchema, DatalakeSchema } from '../../lib/prequel/contract/datalake';
import type { ResourceDefinition } from './resource-definition';

export const datalakes: ResourceDefinition = {
  key: 'datalake',
  plural: 'datalakes',
  table: 'datalakes',
  path: '/import/datalakes',
  idType: 'uuid',
  eventPrefix: 'IMPORT_DATALAKE',
  createSchema: DatalakeCreateSchema,
  responseSchema: DatalakeSchema,
  prepare: async ({ input }) => ({ name: input.name }),
  toResponse: (row) => ({ id: row.id, ...row.body, created_at: row.created_at, updated_at: row.updated_at }),
  references: [{ what: 'providers', sql: 'select id as label from providers where datalake_id = $1 order by id limit 10' }],
};
