import { z } from 'zod';
import { NameSchema, SecretSchema, TimestampSchema, UuidSchema } from './common';

const BucketSchema = z.string().trim().min(3).max(255);
const PrefixSchema = z.string().max(512).optional();

const S3Schema = z.object({
  bucket_name: BucketSchema,
  bucket_region: z.string().trim().min(1).max(64),
  prefix: PrefixSchema,
  auth_method: z.enum(['aws_iam_role', 'aws_access_keys']),
  aws_iam_role: z.object({ aws_iam_role_arn: z.string().trim().min(1).max(2048) }).optional(),
  aws_access_keys: z
    .object({ access_id: z.string().trim().min(1).max(256), secret_key: SecretSchema })
    .optional(),
});

/**
 * Secret keys are write-only. A PATCH may leave one out to keep it only while its bucket stays
 * where it was (bucket and region for s3, bucket and endpoint for s3_compatible); otherwise 422
 * `secret_required` on the secret_key. An s3_compatible endpoint passes the engine's host policy
 * (no loopback, private or metadata address unless allowed).
 */
const S3CompatibleSchema = z.object({
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048),
  bucket_name: BucketSchema,
  region: z.string().trim().min(1).max(64).default('us-east-1'),
  prefix: PrefixSchema,
  access_id: z.string().trim().min(1).max(256),
  secret_key: SecretSchema,
  force_path_style: z.boolean().default(true),
});

/** A directory relative to the engine's data directory (ext). */
const LocalSchema = z.object({
  path: z
    .string()
    .max(512)
    .regex(
      /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]*$/,
      'must be a relative path inside the engine data directory',
    )
    .default('datalake'),
});

const OpaqueBlock = z.record(z.string(), z.unknown());

export const DATALAKE_STORAGES = ['s3', 's3_compatible', 'gcs', 'abs', 'local'] as const;

export const DatalakeCreateSchema = z
  .object({
    name: NameSchema,
    storage: z.enum(DATALAKE_STORAGES),
    s3: S3Schema.optional(),
    s3_compatible: S3CompatibleSchema.optional(),
    gcs: OpaqueBlock.optional(),
    abs: OpaqueBlock.optional(),
    local: LocalSchema.optional(),
    retention_window_days: z.number().int().min(1).max(3650).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.storage !== 'local' && value[value.storage] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [value.storage],
        message: `is required when storage is "${value.storage}"`,
      });
    }
    if (value.s3?.auth_method === 'aws_iam_role' && !value.s3.aws_iam_role) {
      ctx.addIssue({
        code: 'custom',
        path: ['s3', 'aws_iam_role'],
        message: 'is required when auth_method is "aws_iam_role"',
      });
    }
    if (value.s3?.auth_method === 'aws_access_keys' && !value.s3.aws_access_keys) {
      ctx.addIssue({
        code: 'custom',
        path: ['s3', 'aws_access_keys'],
        message: 'is required when auth_method is "aws_access_keys"',
      });
    }
  });
export type DatalakeCreate = z.infer<typeof DatalakeCreateSchema>;

export const DatalakeSchema = z.looseObject({
  id: UuidSchema,
  name: z.string(),
  storage: z.enum(DATALAKE_STORAGES),
  retention_window_days: z.number().optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Datalake = z.infer<typeof DatalakeSchema>;
