// The MySQL-specific steps of the connection checklist: TLS, sign-in, and what the account may
// read.
import type mysql from 'mysql2/promise';
import { SourceConnectError } from '../source-connect-error';
import { fieldOf } from '../source-target';
import type { VendorProbe } from '../vendor-probe';
import { mysqlFlavor, openMysqlConnection } from './connect';
import { mysqlAccountWarning, readMysqlAccess } from './mysql-access';
import { probeMysqlTls } from './tls-probe';

const CHECK_STATEMENT_TIMEOUT_MS = 10_000;
const EXAMPLES = 5;

export const mysqlProbe: VendorProbe<mysql.Connection> = {
  probeTls: probeMysqlTls,

  async signIn(target) {
    const connection = await openMysqlConnection(
      target,
      { statementTimeoutMs: CHECK_STATEMENT_TIMEOUT_MS },
      { tcpConnected: true },
    );
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version');
      const flavor = (await mysqlFlavor(connection)) === 'mariadb' ? 'MariaDB' : 'MySQL';
      const version = String(rows[0]?.version ?? '').replace(/-.*$/, '');
      const { connection: config } = target;
      return {
        session: connection,
        message:
          `Signed in to database "${config.database}" as ` +
          `"${config.password_auth.username}" (${flavor} ${version}).`,
      };
    } catch (error) {
      connection.destroy();
      throw error;
    }
  },

  async checkPrivileges(connection, target) {
    const { database, password_auth } = target.connection;
    const user = password_auth.username;
    const access = await readMysqlAccess(connection, [database]);
    const [visible] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY ' +
        'TABLE_NAME',
      [database],
    );
    const names = visible.map((row) => String(row.name));
    const grant = `GRANT SELECT ON \`${database.replaceAll('`', '``')}\`.* TO ${access.account}`;
    if (names.length === 0) {
      if (access.canRead(database)) {
        return {
          status: 'passed',
          message: `There are no tables in ${database} yet.`,
          hint: 'Create the tables to import, or check the database name.',
        };
      }
      throw new SourceConnectError({
        check: 'privileges',
        code: 'missing_privileges',
        message: `"${user}" cannot see any table in database ${database}.`,
        hint: `Run ${grant}.`,
        field: fieldOf('mysql', 'password_auth.username'),
      });
    }
    const unreadable = names.filter((name) => !access.canRead(database, name));
    if (unreadable.length) {
      const more = unreadable.length - EXAMPLES;
      throw new SourceConnectError({
        check: 'privileges',
        code: 'missing_privileges',
        message:
          `"${user}" cannot read ${unreadable.length} of ${names.length} tables in ` +
          `${database}: ` +
          `${unreadable.slice(0, EXAMPLES).join(', ')}${more > 0 ? ` and ${more} more` : ''}.`,
        hint: `Run ${grant}.`,
        field: fieldOf('mysql', 'password_auth.username'),
      });
    }
    const warning = mysqlAccountWarning(access, user, database);
    return {
      status: 'passed',
      message: `Can read all ${names.length} table${names.length === 1 ? '' : 's'} in ${database}.`,
      ...(warning ? { hint: warning } : {}),
    };
  },

  async close(connection) {
    await connection.end().catch(() => connection.destroy());
  },
};
