// Tenant setup through the Import API: datalakes, providers (the SaaS's customers) and products.
import 'server-only';
import type { z } from 'zod';
import { type DatalakeCreateSchema, DatalakeSchema } from './contract/datalake';
import { type ProductCreateSchema, ProductSchema } from './contract/product';
import { type ProviderCreateSchema, ProviderSchema } from './contract/provider';
import { crudEndpoints } from './crud';

const datalakes = crudEndpoints<typeof DatalakeSchema, z.input<typeof DatalakeCreateSchema>>({
  key: 'datalake',
  plural: 'datalakes',
  path: '/import/datalakes',
  schema: DatalakeSchema,
});
export const createDatalake = datalakes.create;
export const listDatalakes = datalakes.list;
export const getDatalake = datalakes.get;
export const updateDatalake = datalakes.update;
export const deleteDatalake = datalakes.remove;

const providers = crudEndpoints<typeof ProviderSchema, z.input<typeof ProviderCreateSchema>>({
  key: 'provider',
  plural: 'providers',
  path: '/import/providers',
  schema: ProviderSchema,
});
export const createProvider = providers.create;
export const listProviders = providers.list;
export const getProvider = providers.get;
export const updateProvider = providers.update;
export const deleteProvider = providers.remove;

const products = crudEndpoints<typeof ProductSchema, z.input<typeof ProductCreateSchema>>({
  key: 'product',
  plural: 'products',
  path: '/import/products',
  schema: ProductSchema,
});
export const createProduct = products.create;
export const listProducts = products.list;
export const getProduct = products.get;
export const updateProduct = products.update;
export const deleteProduct = products.remove;
