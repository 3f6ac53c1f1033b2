// Where a database source lives once its host has passed the host policy: the one address every
// connection uses.
import type { z } from 'zod';
import type { PostgresConnectionSchema } from '../../lib/prequel/contract/source';
import type { EngineContext } from '../engine-context';
import { parseHost, vetHost } from '../net/host-policy';
import { SourceConnectError } from './source-connect-error';

/** Postgres and MySQL sources share one connection block. */
export type DatabaseConnection = z.infer<typeof PostgresConnectionSchema>;
export type DatabaseVendor = 'postgres' | 'mysql';
export type HostPolicyContext = Pick<EngineContext, 'lookup' | 'allowPrivateHosts'>;

export const DEFAULT_CONNECTION_TIMEOUT_SECONDS = 10;

export interface SourceTarget {
  vendor: DatabaseVendor;
  connection: DatabaseConnection;
  /** The host as the customer wrote it: shown in messages and sent as the TLS server name. */
  host: string;
  /** The vetted IP address; nothing else is ever connected to. */
  address: string;
  port: number;
  timeoutMs: number;
}

export const VENDOR_LABEL: Record<DatabaseVendor, string> = {
  postgres: 'Postgres',
  mysql: 'MySQL',
};

/** `postgres.password_auth.password`: the request field a message belongs to. */
export const fieldOf = (vendor: DatabaseVendor, path: string) => `${vendor}.${path}`;

export async function resolveTarget(
  vendor: DatabaseVendor,
  connection: DatabaseConnection,
  engine: HostPolicyContext,
): Promise<SourceTarget> {
  if (connection.use_ssh_tunnel) {
    throw new SourceConnectError({
      check: 'dns',
      code: 'ssh_tunnel_not_supported',
      message: 'This engine does not open SSH tunnels yet.',
      hint:
        'Connect directly (allow this engine’s address in the database firewall) and unset ' +
        'use_ssh_tunnel.',
      field: fieldOf(vendor, 'use_ssh_tunnel'),
    });
  }
  const vetted = await vetHost(connection.host, engine);
  if (!vetted.ok) {
    const hint =
      vetted.reason === 'not_resolvable'
        ? 'Check the spelling of the host name, and that it is a public name (not one only your ' +
          'internal network knows).'
        : vetted.reason === 'invalid_host'
          ? 'Write only the host name or IP address, e.g. db.example.com.'
          : undefined;
    throw new SourceConnectError({
      check: 'dns',
      code: vetted.reason,
      message: vetted.message,
      hint,
      field: fieldOf(vendor, 'host'),
    });
  }
  return {
    vendor,
    connection,
    host: connection.host,
    address: vetted.address,
    port: connection.port,
    timeoutMs:
      (connection.connection_timeout_in_seconds ?? DEFAULT_CONNECTION_TIMEOUT_SECONDS) * 1000,
  };
}

/**
 * A vendor's connect from its open: resolves and vets the host, then connects to the vetted address
 * (never resolving it again).
 */
export function connectToVettedTarget<Options, Connection>(
  vendor: DatabaseVendor,
  open: (target: SourceTarget, options?: Options) => Promise<Connection>,
) {
  return async (
    connection: DatabaseConnection,
    engine: HostPolicyContext,
    options?: Options,
  ): Promise<Connection> => open(await resolveTarget(vendor, connection, engine), options);
}

/** The TLS server name: the host name as written, never an IP (RFC 6066 forbids IPs in SNI). */
export function serverNameOf(target: SourceTarget): string | undefined {
  const parsed = parseHost(target.host);
  return parsed.kind === 'name' ? parsed.name : undefined;
}
