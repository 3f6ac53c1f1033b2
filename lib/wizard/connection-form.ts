// Pure: the connect step's form, what it becomes in the Import API, and where the API's complaints
// land on it.
import { z } from 'zod';
import type { MergePatch } from '@/lib/prequel/crud';
import type { SourceInput } from '@/lib/prequel/sources';

/** Only the databases the engine can read: a customer never picks one that cannot connect. */
export const CONNECT_VENDORS = [
  { id: 'postgres', label: 'PostgreSQL', defaultPort: 5432 },
  { id: 'mysql', label: 'MySQL / MariaDB', defaultPort: 3306 },
] as const;

export type ConnectVendor = (typeof CONNECT_VENDORS)[number]['id'];

const optionalText = z
  .string()
  .trim()
  .max(255)
  .optional()
  .transform((value) => (value ? value : undefined));

export const ConnectionFormSchema = z
  .object({
    vendor: z.enum(['postgres', 'mysql'], { error: 'Choose the database you use.' }),
    name: z.string().trim().min(1, 'Give the connection a name.').max(255),
    host: z
      .string()
      .trim()
      .min(1, 'Enter the host name or IP address of the database server.')
      .max(253),
    port: z.coerce
      .number({ error: 'Enter a port number.' })
      .int('Enter a whole number.')
      .min(1, 'Ports run from 1 to 65535.')
      .max(65535, 'Ports run from 1 to 65535.'),
    database: z.string().trim().min(1, 'Enter the name of the database.').max(255),
    schema: optionalText,
    username: z.string().trim().min(1, 'Enter the user name Inlet signs in with.').max(255),
    /** Empty when editing a saved connection: the saved password stays. */
    password: z.string().max(1024).optional(),
    requireSsl: z.boolean(),
    // The form does not offer a tunnel yet; a caller that sends none gets a direct connection.
    useSshTunnel: z.boolean().default(false),
    sshHost: optionalText,
    sshPort: z.coerce.number().int().min(1).max(65535).optional(),
    sshUsername: optionalText,
  })
  .superRefine((form, context) => {
    if (form.useSshTunnel && !form.sshHost)
      context.addIssue({
        code: 'custom',
        path: ['sshHost'],
        message: 'Enter the SSH bastion host, or turn the tunnel off.',
      });
    if (form.useSshTunnel && !form.sshUsername)
      context.addIssue({
        code: 'custom',
        path: ['sshUsername'],
        message: 'Enter the SSH user name.',
      });
  });

export type ConnectionForm = z.input<typeof ConnectionFormSchema>;
export type ConnectionFormValues = z.output<typeof ConnectionFormSchema>;

export const defaultPort = (vendor: ConnectVendor): number =>
  CONNECT_VENDORS.find((option) => option.id === vendor)!.defaultPort;

export function emptyConnectionForm(vendor: ConnectVendor = 'postgres'): ConnectionForm {
  return {
    vendor,
    name: vendor === 'postgres' ? 'Production Postgres' : 'Production MySQL',
    host: '',
    port: defaultPort(vendor),
    database: '',
    schema: '',
    username: '',
    password: '',
    requireSsl: true,
    useSshTunnel: false,
    sshHost: '',
    sshPort: 22,
    sshUsername: '',
  };
}

function connectionBlock(form: ConnectionFormValues, password: string | undefined) {
  return {
    host: form.host,
    port: form.port,
    database: form.database,
    ...(form.schema ? { schema: form.schema } : {}),
    auth_method: 'password_auth' as const,
    password_auth: { username: form.username, ...(password !== undefined ? { password } : {}) },
    disable_ssl: !form.requireSsl,
    use_ssh_tunnel: form.useSshTunnel,
    ...(form.useSshTunnel && form.sshHost && form.sshUsername
      ? {
          ssh_tunnel: {
            ssh_tunnel_host: form.sshHost,
            ssh_tunnel_port: form.sshPort ?? 22,
            ssh_tunnel_username: form.sshUsername,
          },
        }
      : {}),
  };
}

/** A new source; the password is required here (the form allows it empty only when editing). */
export function toSourceInput(form: ConnectionFormValues, providerId: string): SourceInput {
  const block = connectionBlock(form, form.password ?? '');
  return form.vendor === 'postgres'
    ? { name: form.name, provider_id: providerId, vendor: 'postgres', postgres: block as never }
    : { name: form.name, provider_id: providerId, vendor: 'mysql', mysql: block as never };
}

/**
 * Changes to a saved source: everything the form shows, and the password only when one was typed.
 */
export function toSourcePatch(form: ConnectionFormValues): MergePatch<SourceInput> {
  const password = form.password ? form.password : undefined;
  return {
    name: form.name,
    [form.vendor]: connectionBlock(form, password),
  } as MergePatch<SourceInput>;
}

/** The saved source as the form shows it; the password is write-only and never comes back. */
export function fromSource(
  source: { name: string; vendor: string } & Record<string, unknown>,
): ConnectionForm | null {
  if (source.vendor !== 'postgres' && source.vendor !== 'mysql') return null;
  const block = source[source.vendor] as Record<string, unknown> | undefined;
  if (!block) return null;
  const auth = (block.password_auth ?? {}) as { username?: string };
  const tunnel = (block.ssh_tunnel ?? {}) as {
    ssh_tunnel_host?: string;
    ssh_tunnel_port?: number;
    ssh_tunnel_username?: string;
  };
  return {
    vendor: source.vendor,
    name: source.name,
    host: String(block.host ?? ''),
    port: Number(block.port ?? (source.vendor === 'postgres' ? 5432 : 3306)),
    database: String(block.database ?? ''),
    schema: typeof block.schema === 'string' ? block.schema : '',
    username: auth.username ?? '',
    password: '',
    requireSsl: block.disable_ssl !== true,
    useSshTunnel: block.use_ssh_tunnel === true,
    sshHost: tunnel.ssh_tunnel_host ?? '',
    sshPort: tunnel.ssh_tunnel_port ?? 22,
    sshUsername: tunnel.ssh_tunnel_username ?? '',
  };
}

/**
 * What a saved password is bound to (the engine answers 422 secret_required otherwise): a change to
 * any of these would send the saved password somewhere else, so the customer types it again.
 */
const PASSWORD_ENDPOINT: { field: keyof ConnectionForm; label: string }[] = [
  { field: 'host', label: 'host' },
  { field: 'port', label: 'port' },
  { field: 'database', label: 'database' },
  { field: 'username', label: 'user name' },
  { field: 'requireSsl', label: 'SSL setting' },
];
const TUNNEL_FIELDS: (keyof ConnectionForm)[] = ['sshHost', 'sshPort', 'sshUsername'];

const comparable = (value: unknown) =>
  typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : value;

/** The endpoint settings (by their label) that differ from the saved connection's. */
export function endpointChanges(saved: ConnectionForm, current: ConnectionForm): string[] {
  const changed = PASSWORD_ENDPOINT.filter(
    ({ field }) => comparable(saved[field]) !== comparable(current[field]),
  ).map(({ label }) => label);
  const tunnelChanged =
    Boolean(saved.useSshTunnel) !== Boolean(current.useSshTunnel) ||
    (Boolean(current.useSshTunnel) &&
      TUNNEL_FIELDS.some((field) => comparable(saved[field]) !== comparable(current[field])));
  return tunnelChanged ? [...changed, 'SSH tunnel'] : changed;
}

/**
 * Why the password field must be filled in, or null when an empty one keeps the saved password:
 * always for a new connection, and for a saved one once its host, port, database, user, SSL setting
 * or tunnel changes.
 */
export function passwordNeeded(
  saved: ConnectionForm | null,
  current: ConnectionForm,
): string | null {
  if (!saved) return 'Enter the password of the database user.';
  const changes = endpointChanges(saved, current);
  if (!changes.length) return null;
  const list =
    changes.length < 2
      ? changes[0]
      : `${changes.slice(0, -1).join(', ')} and ${changes[changes.length - 1]}`;
  return `Enter the password again: the ${list} changed.`;
}

const FIELD_OF_API_PATH: Record<string, keyof ConnectionForm> = {
  name: 'name',
  host: 'host',
  port: 'port',
  database: 'database',
  schema: 'schema',
  'password_auth.username': 'username',
  'password_auth.password': 'password',
  disable_ssl: 'requireSsl',
  'ssh_tunnel.ssh_tunnel_host': 'sshHost',
  'ssh_tunnel.ssh_tunnel_port': 'sshPort',
  'ssh_tunnel.ssh_tunnel_username': 'sshUsername',
};

/** `source.postgres.password_auth.password` or `postgres.password_auth.password` → `password`. */
export function formFieldOf(apiPath: string): keyof ConnectionForm | null {
  const withoutRoot = apiPath.replace(/^source\./, '');
  if (withoutRoot === 'name') return 'name';
  const withoutVendor = withoutRoot.replace(/^(postgres|mysql)\./, '');
  return FIELD_OF_API_PATH[withoutVendor] ?? null;
}

/** The least-privilege user to create, per vendor, for the copy button. */
export function readOnlyUserSql(
  vendor: ConnectVendor,
  { database, schema, username }: { database: string; schema?: string; username: string },
): string {
  const user = username || 'inlet_reader';
  const db = database || 'your_database';
  if (vendor === 'postgres') {
    const ns = schema || 'public';
    return [
      `CREATE USER ${user} WITH PASSWORD '<a strong password>';`,
      `GRANT CONNECT ON DATABASE ${db} TO ${user};`,
      `GRANT USAGE ON SCHEMA ${ns} TO ${user};`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA ${ns} TO ${user};`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${ns} GRANT SELECT ON TABLES TO ${user};`,
    ].join('\n');
  }
  return [
    `CREATE USER '${user}'@'%' IDENTIFIED BY '<a strong password>';`,
    `GRANT SELECT, SHOW VIEW ON ${db}.* TO '${user}'@'%';`,
  ].join('\n');
}
