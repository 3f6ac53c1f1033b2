import { z } from 'zod';
import { NameSchema, TimestampSchema, UuidSchema } from './common';

/** The one rule for typed identifiers: provider ids and product names alike. */
const SlugSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'may contain letters, digits, ".", "_" and "-", starting with a letter or digit',
  );

export const ProviderIdSchema = SlugSchema;
export const ProductNameSchema = SlugSchema;

export const ProviderCreateSchema = z.object({
  id: ProviderIdSchema,
  name: NameSchema,
  datalake_id: UuidSchema,
  products: z
    .array(ProductNameSchema)
    .min(1, 'must name at least one product (["all"] for every destination)')
    .max(100),
});
export type ProviderCreate = z.infer<typeof ProviderCreateSchema>;

export const ProviderSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  datalake_id: z.string(),
  products: z.array(z.string()),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Provider = z.infer<typeof ProviderSchema>;
