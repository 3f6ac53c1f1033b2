import { z } from 'zod';
import {
  HostSchema,
  NameSchema,
  PortSchema,
  SecretSchema,
  TimestampSchema,
  UuidSchema,
} from './common';
import { ProviderIdSchema } from './provider';

/**
 * Vendors the engine reads today; the others are accepted by the schema and refused with
 * `vendor_not_supported`.
 */
export const READABLE_VENDORS = ['postgres', 'mysql'] as const;
export const DOCUMENTED_VENDORS = [
  'postgres',
  'mysql',
  'redshift',
  'redshift_serverless',
  'bigquery',
  'snowflake',
  's3',
  'gcs',
  'abs',
  'sftp',
] as const;
export type Vendor = (typeof DOCUMENTED_VENDORS)[number];

const SshTunnelSchema = z.object({
  ssh_tunnel_host: HostSchema,
  ssh_tunnel_port: PortSchema.default(22),
  ssh_tunnel_username: z.string().trim().min(1).max(255),
});

/** Postgres and MySQL share one connection shape. */
const DatabaseConnectionSchema = (defaultPort: number) =>
  z.object({
    host: HostSchema,
    port: PortSchema.default(defaultPort),
    database: z.string().trim().min(1).max(255),
    schema: z.string().trim().min(1).max(255).optional(),
    auth_method: z
      .literal('password_auth', { error: 'must be "password_auth"' })
      .default('password_auth'),
    /**
     * The password is write-only. A PATCH or test-source override may leave it out (or empty) to
     * keep the saved one only while host, port, database, username, disable_ssl and the SSH tunnel
     * stay the same; otherwise the engine answers 422 `secret_required` on
     * `…password_auth.password`, so a saved password is never sent to a new server.
     */
    password_auth: z.object({
      username: z.string().trim().min(1).max(255),
      password: SecretSchema,
    }),
    disable_ssl: z.boolean().optional(),
    use_ssh_tunnel: z.boolean().optional(),
    ssh_tunnel: SshTunnelSchema.optional(),
    connection_timeout_in_seconds: z.number().int().min(1).max(300).optional(),
  });

export const PostgresConnectionSchema = DatabaseConnectionSchema(5432);
export const MysqlConnectionSchema = DatabaseConnectionSchema(3306);

const OpaqueBlock = z.record(z.string(), z.unknown());

const base = { name: NameSchema, provider_id: ProviderIdSchema };

/**
 * A vendor the engine does not read: its block is passed through (typed per vendor, so `{vendor:
 * "snowflake", snowflake: {...}}` type-checks).
 */
const opaqueVendor = <V extends string>(vendor: V) =>
  z.object({
    ...base,
    vendor: z.literal(vendor),
    ...({ [vendor]: OpaqueBlock } as { [K in V]: typeof OpaqueBlock }),
  });

export const SourceCreateSchema = z.discriminatedUnion(
  'vendor',
  [
    z.object({ ...base, vendor: z.literal('postgres'), postgres: PostgresConnectionSchema }),
    z.object({ ...base, vendor: z.literal('mysql'), mysql: MysqlConnectionSchema }),
    opaqueVendor('redshift'),
    opaqueVendor('redshift_serverless'),
    opaqueVendor('bigquery'),
    opaqueVendor('snowflake'),
    opaqueVendor('s3'),
    opaqueVendor('gcs'),
    opaqueVendor('abs'),
    opaqueVendor('sftp'),
  ],
  { error: `must be one of: ${DOCUMENTED_VENDORS.join(', ')}` },
);
export type SourceCreate = z.infer<typeof SourceCreateSchema>;

export const SourceSchema = z.looseObject({
  id: UuidSchema,
  name: z.string(),
  vendor: z.string(),
  provider_id: z.string(),
  is_reachable: z.boolean().nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Source = z.infer<typeof SourceSchema>;
