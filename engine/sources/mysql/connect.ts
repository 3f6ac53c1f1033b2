// Connects to a customer's MySQL or MariaDB at its vetted address only, with TLS unless
// disable_ssl, and explains failures.
import net from 'node:net';
import mysql from 'mysql2/promise';
import {
  type ConnectStage,
  connectionClosedFailure,
  connectTimeoutFailure,
  tlsNotSupportedFailure,
} from '../connect-failures';
import { networkFailure } from '../open-socket';
import { type ConnectFailure, SourceConnectError } from '../source-connect-error';
import { connectToVettedTarget, fieldOf, serverNameOf, type SourceTarget } from '../source-target';

export interface MysqlConnectOptions {
  /**
   * Bounds every SELECT on this connection (max_statement_time on MariaDB, max_execution_time on
   * MySQL).
   */
  statementTimeoutMs?: number;
  /** The driver's value conversion, for readers that want every value as the server's text. */
  typeCast?: mysql.ConnectionOptions['typeCast'];
}

export type MysqlFlavor = 'mariadb' | 'mysql';

export const connectMysql = connectToVettedTarget('mysql', openMysqlConnection);

export async function openMysqlConnection(
  target: SourceTarget,
  options: MysqlConnectOptions = {},
  stage: ConnectStage = { tcpConnected: false },
): Promise<mysql.Connection> {
  const { connection: config } = target;
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({
      // The driver connects through this socket to the vetted address; `host` only names the server
      // for TLS (SNI), which the driver leaves out for an IP.
      host: serverNameOf(target) ?? target.address,
      port: target.port,
      stream: () => net.connect({ host: target.address, port: target.port }).setNoDelay(true),
      user: config.password_auth.username,
      password: config.password_auth.password,
      database: config.database,
      // Our decision: TLS like sslmode=require. Encrypted, certificate not verified: managed
      // databases use CAs Node lacks.
      ssl: config.disable_ssl ? undefined : { rejectUnauthorized: false },
      connectTimeout: target.timeoutMs,
      multipleStatements: false,
      // Values stay exact: big integers and decimals as strings, dates as the server's text.
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      dateStrings: true,
      charset: 'utf8mb4',
      ...(options.typeCast ? { typeCast: options.typeCast } : {}),
    });
  } catch (error) {
    throw new SourceConnectError(describeMysqlConnectError(error, target, stage));
  }
  // A connection dropped while idle must not crash the process; the next query reports it.
  connection.on('error', () => {});
  try {
    // TIMESTAMP values read in UTC, the form the extract's typed values expect.
    await connection.query(`SET time_zone = '+00:00'`);
    if (options.statementTimeoutMs)
      await setMysqlStatementTimeout(connection, options.statementTimeoutMs);
  } catch (error) {
    connection.destroy();
    throw error;
  }
  return connection;
}

export async function mysqlFlavor(connection: mysql.Connection): Promise<MysqlFlavor> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version');
  return /mariadb/i.test(String(rows[0]?.version)) ? 'mariadb' : 'mysql';
}

export async function setMysqlStatementTimeout(
  connection: mysql.Connection,
  timeoutMs: number,
): Promise<void> {
  const flavor = await mysqlFlavor(connection);
  const ms = Math.max(1, Math.round(timeoutMs));
  await connection.query(
    flavor === 'mariadb'
      ? `SET SESSION max_statement_time = ${ms / 1000}`
      : `SET SESSION max_execution_time = ${ms}`,
  );
}

interface MysqlErrorFields {
  code?: string;
  errno?: number;
  message?: string;
  sqlMessage?: string;
  fatal?: boolean;
}

/**
 * A failed connect as the checklist step it belongs to, the customer's words and the form field
 * concerned.
 */
export function describeMysqlConnectError(
  error: unknown,
  target: SourceTarget,
  stage: ConnectStage = { tcpConnected: false },
): ConnectFailure {
  const { code, errno, message = '', sqlMessage } = (error ?? {}) as MysqlErrorFields;
  const field = (path: string) => fieldOf('mysql', path);
  const user = target.connection.password_auth.username;
  const database = target.connection.database;

  if (code === 'HANDSHAKE_NO_SSL_SUPPORT') return tlsNotSupportedFailure('mysql');
  if (code === 'HANDSHAKE_SSL_ERROR' || code === 'EPROTO' || code?.startsWith('ERR_SSL')) {
    return {
      check: 'tls',
      code: 'tls_failed',
      message: `The TLS handshake with ${target.host}:${target.port} failed (${message}).`,
      field: field('port'),
    };
  }
  if (code === 'ETIMEDOUT') return connectTimeoutFailure(target, stage);
  if (code === 'PROTOCOL_CONNECTION_LOST') return connectionClosedFailure(target);
  // Server errors carry a SQL message; socket errors (whose errno is Node's negative number) do
  // not.
  if (!sqlMessage || errno === undefined) return networkFailure({ code, message }, target);

  switch (errno) {
    case 1045:
      return {
        check: 'auth',
        code: 'auth_failed',
        message: `MySQL refused the user name or password for "${user}".`,
        hint:
          `Check the password. If it is right, check the user name, and that "${user}" may ` +
          `connect from this engine’s address: MySQL gives the same answer for a wrong password, ` +
          `an unknown user, and a user limited to other hosts.`,
        field: field('password_auth.password'),
      };
    case 1044:
      return {
        check: 'auth',
        code: 'database_access_denied',
        message: `User "${user}" may not use database "${database}", or it does not exist.`,
        hint:
          `Check the database name (case-sensitive on most servers), then run GRANT SELECT ` +
          `ON \`${database.replaceAll('`', '``')}\`.* TO '${user}'@'%'.`,
        field: field('database'),
      };
    case 1049:
      return {
        check: 'auth',
        code: 'database_not_found',
        message: `The database "${database}" does not exist on this server.`,
        hint: 'Check the database name; SHOW DATABASES lists them.',
        field: field('database'),
      };
    case 1130:
      return {
        check: 'auth',
        code: 'host_not_allowed',
        message: 'The server does not accept connections from this engine’s address.',
        hint:
          `Allow this engine’s address for "${user}" (CREATE USER '${user}'@'<address>' or ` +
          `'%'), or check the provider’s network settings.`,
        field: field('host'),
      };
    case 3159:
      return {
        check: 'auth',
        code: 'tls_required',
        message: 'The server only accepts encrypted connections, and this source has TLS disabled.',
        hint: 'Unset disable_ssl so the connection uses TLS.',
        field: field('disable_ssl'),
      };
    case 1040:
    case 1203:
      return {
        check: 'auth',
        code: 'too_many_connections',
        message: 'The server has no free connection slots right now.',
        hint: 'Try again later, or raise max_connections.',
      };
    case 1251:
      return {
        check: 'auth',
        code: 'auth_method_not_supported',
        message:
          `The server asks for a sign-in method this engine does not support ` + `(${sqlMessage}).`,
        hint: `Use mysql_native_password or caching_sha2_password for "${user}".`,
        field: field('password_auth.username'),
      };
    default:
      return {
        check: 'auth',
        code: 'connection_failed',
        message: `MySQL refused the connection: ${sqlMessage}.`,
      };
  }
}
