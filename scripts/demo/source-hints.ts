// Pure: how a customer reaches a demo database, as the connect form asks for it and as the Import
// API takes it.

/**
 * How a customer reaches a demo database: what the connect form asks for, and what its hints show.
 */
export interface PostgresSourceHints {
  vendor: 'postgres';
  host: string;
  port: number;
  database: string;
  schema: 'public';
  username: string;
  password: string;
  /** The embedded Postgres has no certificate: connect without TLS. */
  disable_ssl: true;
}

export function hintsFor(
  adminUrl: string,
  spec: { database: string; role: string; password: string },
): PostgresSourceHints {
  const url = new URL(adminUrl);
  return {
    vendor: 'postgres',
    host: url.hostname,
    port: Number(url.port || 5432),
    database: spec.database,
    schema: 'public',
    username: spec.role,
    password: spec.password,
    disable_ssl: true,
  };
}

/** The source block of a postgres source for these hints, as the Import API takes it. */
export function postgresConnection(hints: PostgresSourceHints) {
  return {
    host: hints.host,
    port: hints.port,
    database: hints.database,
    schema: hints.schema,
    disable_ssl: hints.disable_ssl,
    auth_method: 'password_auth' as const,
    password_auth: { username: hints.username, password: hints.password },
  };
}
