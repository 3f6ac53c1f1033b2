// Connects to a customer's Postgres at its vetted address only, with TLS unless disable_ssl, and
// explains failures.
import pg from 'pg';
import {
  type ConnectStage,
  connectionClosedFailure,
  connectTimeoutFailure,
  tlsNotSupportedFailure,
} from '../connect-failures';
import { networkFailure } from '../open-socket';
import { type ConnectFailure, SourceConnectError } from '../source-connect-error';
import { connectToVettedTarget, fieldOf, serverNameOf, type SourceTarget } from '../source-target';
import { quoteIdent } from './quote';

export interface PostgresConnectOptions {
  /**
   * Applied to the session (`SET statement_timeout`): bounds every statement run on this client.
   */
  statementTimeoutMs?: number;
  /**
   * Value parsers; by default Postgres's text form is kept wherever a JS Date or number would alter
   * the value.
   */
  types?: pg.CustomTypesConfig;
}

// Values that a JS Date or number would alter stay in Postgres's own text form.
const TEXT_OIDS = new Set([20, 1082, 1083, 1114, 1184, 1186, 1266]);
const exactTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (TEXT_OIDS.has(oid)) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
};

export const connectPostgres = connectToVettedTarget('postgres', openPostgresClient);

export async function openPostgresClient(
  target: SourceTarget,
  options: PostgresConnectOptions = {},
  stage: ConnectStage = { tcpConnected: false },
): Promise<pg.Client> {
  const { connection } = target;
  const serverName = serverNameOf(target);
  const client = new pg.Client({
    host: target.address,
    port: target.port,
    user: connection.password_auth.username,
    password: connection.password_auth.password,
    database: connection.database,
    // Our decision: TLS like sslmode=require. Encrypted, certificate not verified: managed
    // databases use CAs Node lacks.
    ssl: connection.disable_ssl
      ? false
      : { rejectUnauthorized: false, ...(serverName ? { servername: serverName } : {}) },
    connectionTimeoutMillis: target.timeoutMs,
    application_name: 'inlet',
    keepAlive: true,
    types: options.types ?? exactTypes,
  });
  // A connection dropped while idle must not crash the process; the next query reports it.
  client.on('error', () => {});
  try {
    await client.connect();
    if (options.statementTimeoutMs)
      await client.query(
        `set statement_timeout = ${Math.max(1, Math.round(options.statementTimeoutMs))}`,
      );
  } catch (error) {
    await client.end().catch(() => {});
    throw new SourceConnectError(describePostgresConnectError(error, target, stage));
  }
  return client;
}

interface PgErrorFields {
  code?: string;
  message?: string;
  severity?: string;
}

/**
 * A failed connect as the checklist step it belongs to, the customer's words and the form field
 * concerned.
 */
export function describePostgresConnectError(
  error: unknown,
  target: SourceTarget,
  stage: ConnectStage = { tcpConnected: false },
): ConnectFailure {
  const { code, message = '', severity } = (error ?? {}) as PgErrorFields;
  const field = (path: string) => fieldOf('postgres', path);
  const user = target.connection.password_auth.username;
  const database = target.connection.database;

  if (message === 'The server does not support SSL connections')
    return tlsNotSupportedFailure('postgres');
  if (/SSL|TLS/i.test(message) || code === 'EPROTO' || code?.startsWith('ERR_SSL')) {
    return {
      check: 'tls',
      code: 'tls_failed',
      message: `The TLS handshake with ${target.host}:${target.port} failed (${message}).`,
      hint: 'Check that this port belongs to Postgres and that its TLS configuration is valid.',
      field: field('port'),
    };
  }
  if (/timeout expired|connection timeout/i.test(message))
    return connectTimeoutFailure(target, stage);
  if (/terminated unexpectedly/i.test(message)) return connectionClosedFailure(target);
  if (!severity) return networkFailure({ code, message }, target);

  switch (code) {
    case '28P01':
      return {
        check: 'auth',
        code: 'auth_failed',
        message: `Postgres refused the password for user "${user}".`,
        hint:
          `Check the password. If it is right, check the user name: Postgres gives the same ` +
          `answer when the user "${user}" does not exist.`,
        field: field('password_auth.password'),
      };
    case '28000':
      if (
        /pg_hba\.conf/.test(message) &&
        /no encryption/.test(message) &&
        target.connection.disable_ssl
      ) {
        return {
          check: 'auth',
          code: 'tls_required',
          message:
            `The server only accepts encrypted connections from user "${user}", and this ` +
            `source has TLS disabled.`,
          hint: 'Unset disable_ssl so the connection uses TLS.',
          field: field('disable_ssl'),
        };
      }
      if (/pg_hba\.conf/.test(message)) {
        return {
          check: 'auth',
          code: 'host_not_allowed',
          message:
            `The server’s access rules (pg_hba.conf) do not let user "${user}" connect to ` +
            `database "${database}" from this engine’s address.`,
          hint:
            'Add a host (or hostssl) rule for this user, database and our address to ' +
            'pg_hba.conf, or to the provider’s network settings.',
          field: field('host'),
        };
      }
      if (/does not exist/.test(message)) {
        return {
          check: 'auth',
          code: 'unknown_user',
          message: `The user "${user}" does not exist on this server.`,
          hint: 'Check the user name.',
          field: field('password_auth.username'),
        };
      }
      if (/not permitted to log in/.test(message)) {
        return {
          check: 'auth',
          code: 'login_not_permitted',
          message: `The role "${user}" exists but may not log in.`,
          hint: `Run ALTER ROLE ${quoteIdent(user)} LOGIN, or use a role that can.`,
          field: field('password_auth.username'),
        };
      }
      return {
        check: 'auth',
        code: 'auth_failed',
        message: `Postgres refused the sign-in: ${message}.`,
        field: field('password_auth.username'),
      };
    case '3D000':
      return {
        check: 'auth',
        code: 'database_not_found',
        message: `The database "${database}" does not exist on this server.`,
        hint: 'Check the database name; names are case-sensitive (psql’s \\l lists them).',
        field: field('database'),
      };
    case '42501':
      return {
        check: 'auth',
        code: 'database_access_denied',
        message: `User "${user}" may not connect to database "${database}".`,
        hint: `Run GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO ${quoteIdent(user)}.`,
        field: field('database'),
      };
    case '53300':
      return {
        check: 'auth',
        code: 'too_many_connections',
        message: 'The server has no free connection slots right now.',
        hint: 'Try again later, or raise max_connections (or connect through a pooler).',
      };
    case '57P03':
      return {
        check: 'auth',
        code: 'server_unavailable',
        message: 'The server is starting up or shutting down.',
        hint: 'Try again in a minute.',
      };
    default:
      return {
        check: 'auth',
        code: 'connection_failed',
        message: `Postgres refused the connection: ${message}.`,
      };
  }
}
