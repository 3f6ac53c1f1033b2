import {
  ProviderCreateSchema,
  ProviderSchema,
  type ProviderCreate,
} from '../../lib/prequel/contract/provider';
import { unprocessable } from '../http/api-error';
import { requireReference } from './references';
import type { ResourceDefinition } from './resource-definition';

export const providers: ResourceDefinition<ProviderCreate> = {
  key: 'provider',
  plural: 'providers',
  table: 'providers',
  path: '/import/providers',
  idType: 'text',
  eventPrefix: 'IMPORT_PROVIDER',
  createSchema: ProviderCreateSchema,
  responseSchema: ProviderSchema,
  immutable: ['id', 'datalake_id'],
  callerChosenId: (input) => input.id,
  prepare: async ({ client, input }) => {
    await requireReference(
      client,
      'datalakes',
      input.datalake_id,
      'provider.datalake_id',
      'datalake',
    );
    const known = new Set(
      (
        await client.query<{ name: string }>('select name from products where name = any($1)', [
          input.products,
        ])
      ).rows.map((r) => r.name),
    );
    const details = input.products
      .map((name, index) => ({ name, index }))
      .filter(({ name }) => !known.has(name))
      .map(({ name, index }) => ({
        path: `provider.products.${index}`,
        message: `no product named "${name}"`,
      }));
    if (details.length) {
      throw unprocessable(
        'unknown_reference',
        `Unknown product${details.length > 1 ? 's' : ''}: create them first, or use "all".`,
        details,
      );
    }
    return { name: input.name, datalake_id: input.datalake_id };
  },
  afterWrite: async (client, id, input) => {
    await client.query('delete from provider_products where provider_id = $1', [id]);
    await client.query(
      `insert into provider_products (provider_id, product_name, position)
       select $1, name, position from unnest($2::text[]) with ordinality as p(name, position) on
         conflict do nothing`,
      [id, input.products],
    );
  },
  toResponse: (row) => {
    const { id: _id, ...body } = row.body;
    return { id: row.id, ...body, created_at: row.created_at, updated_at: row.updated_at };
  },
  references: [
    {
      what: 'sources',
      sql: 'select name as label from sources where provider_id = $1 order by created_at limit 10',
    },
  ],
};
