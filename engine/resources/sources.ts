import { READABLE_VENDORS, SourceCreateSchema, SourceSchema, type SourceCreate } from '../../lib/prequel/contract/source';
import { unprocessable } from '../http/api-error';
import { isPlainObject } from '../secrets/split-secrets';
import { requireReference } from './references';
import type { ResourceDefinition } from './resource-definition';

const READABLE: ReadonlySet<string> = new Set(READABLE_VENDORS);

export const sources: ResourceDefinition<SourceCreate> = {
  key: 'source',
  plural: 'sources',
  table: 'sources',
  path: '/import/sources',
  idType: 'uuid',
  eventPrefix: 'IMPORT_SOURCE',
  createSchema: SourceCreateSchema,
  responseSchema: SourceSchema,
  filters: { provider_id: 'provider_id' },
  immutable: ['provider_id'],
  prepare: async ({ client, input }) => {
    if (!READABLE.has(input.vendor)) {
      throw unprocessable(
        'vendor_not_supported',
        `This engine cannot read ${input.vendor} sources yet; it reads ${READABLE_VENDORS.join(' and ')}. Use the hosted Prequel API for ${input.vendor}.`,
        [{ path: 'source.vendor', message: 'is not supported by this engine' }],
      );
    }
    await requireReference(client, 'providers', input.provider_id, 'source.provider_id', 'provider');
    // A changed connection must be tested again before it counts as reachable.
    return { provider_id: input.provider_id, name: input.name, vendor: input.vendor, is_reachable: null, is_valid: null };
  },
  toResponse: (row) => {
    const vendor = String(row.vendor);
    const block = isPlainObject(row.body[vendor]) ? row.body[vendor] : {};
    const username = isPlainObject(block.password_auth) ? block.password_auth.username : undefined;
    return {
      id: row.id,
      ...row.body,
      [vendor]: { ...block, ...(username !== undefined ? { username } : {}), is_valid: row.is_valid ?? null },
      is_reachable: row.is_reachable ?? null,
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  },
  references: [{ what: 'datasets', sql: 'select name as label from datasets where source_id = $1 order by created_at limit 10' }],
};
