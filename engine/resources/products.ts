import {
  BUILTIN_PRODUCT_NAME,
  ProductCreateSchema,
  ProductSchema,
  type ProductCreate,
} from '../../lib/prequel/contract/product';
import { unprocessable } from '../http/api-error';
import type { ResourceDefinition } from './resource-definition';

export const products: ResourceDefinition<ProductCreate> = {
  key: 'product',
  plural: 'products',
  table: 'products',
  path: '/import/products',
  idType: 'uuid',
  eventPrefix: 'IMPORT_PRODUCT',
  createSchema: ProductCreateSchema,
  responseSchema: ProductSchema,
  // Providers refer to products by name.
  immutable: ['name'],
  prepare: async ({ client, input }) => {
    const unique = [...new Set(input.destinations)];
    const known = new Set(
      (
        await client.query<{ id: string }>(
          'select id::text from destinations where id = any($1::uuid[])',
          [unique],
        )
      ).rows.map((r) => r.id),
    );
    const details = input.destinations
      .map((id, index) => ({ id, index }))
      .filter(({ id }) => !known.has(id))
      .map(({ id, index }) => ({
        path: `product.destinations.${index}`,
        message: `no destination with id "${id}"`,
      }));
    if (details.length)
      throw unprocessable(
        'unknown_reference',
        'A product can only list existing destinations.',
        details,
      );
    return { name: input.name };
  },
  afterWrite: async (client, id, input) => {
    await client.query('delete from product_destinations where product_id = $1', [id]);
    await client.query(
      `insert into product_destinations (product_id, destination_id, position)
       select $1, d, position from unnest($2::uuid[]) with ordinality as p(d, position) on
         conflict do nothing`,
      [id, input.destinations],
    );
  },
  toResponse: async (row, db) => {
    const isBuiltin = row.is_builtin === true;
    const destinations = isBuiltin
      ? (
          await db.query<{ id: string }>(
            'select id::text from destinations order by created_at, id',
          )
        ).rows.map((r) => r.id)
      : [...new Set((row.body.destinations as string[] | undefined) ?? [])];
    return {
      id: row.id,
      name: isBuiltin ? BUILTIN_PRODUCT_NAME : row.body.name,
      destinations,
      is_builtin: isBuiltin,
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  },
  isProtected: (row) =>
    row.is_builtin === true
      ? `The built-in product "${BUILTIN_PRODUCT_NAME}" always covers every destination and ` +
        `cannot be changed or deleted.`
      : null,
  references: [
    {
      what: 'providers',
      sql:
        'select provider_id as label from provider_products pp join products p on p.name = ' +
        'pp.product_name where p.id = $1 order by provider_id limit 10',
    },
  ],
};
