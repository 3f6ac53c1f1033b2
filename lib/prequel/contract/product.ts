import { z } from 'zod';
import { TimestampSchema, UuidSchema } from './common';
import { ProductNameSchema } from './provider';

export const BUILTIN_PRODUCT_NAME = 'all';

export const ProductCreateSchema = z.object({
  name: ProductNameSchema,
  destinations: z.array(UuidSchema).max(1000).default([]),
});
export type ProductCreate = z.infer<typeof ProductCreateSchema>;

export const ProductSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  destinations: z.array(z.string()),
  is_builtin: z.boolean().optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Product = z.infer<typeof ProductSchema>;
