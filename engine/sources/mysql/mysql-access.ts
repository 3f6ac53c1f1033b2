// What the signed-in MySQL account may read, from the privilege tables it can see about itself.
import type mysql from 'mysql2/promise';

export interface MysqlAccess {
  /** `'reader'@'%'`: the account as GRANT statements name it. */
  account: string;
  /** Global privileges (SELECT, FILE, SUPER…). */
  global: Set<string>;
  canRead(schema: string, table?: string): boolean;
}

const rows = async (connection: mysql.Connection, sql: string, params: unknown[] = []) =>
  (await connection.query<mysql.RowDataPacket[]>(sql, params))[0];

export async function readMysqlAccess(
  connection: mysql.Connection,
  schemas: string[],
): Promise<MysqlAccess> {
  const current = String(
    (await rows(connection, 'SELECT CURRENT_USER() AS account'))[0]?.account ?? '',
  );
  const at = current.lastIndexOf('@');
  const account = `'${current.slice(0, at)}'@'${current.slice(at + 1)}'`;
  // Privileges granted through a role do not appear in the information_schema views for the member;
  // with a role active we cannot tell, and assume the account may read what it can see.
  const roleActive = await rows(connection, 'SELECT CURRENT_ROLE() AS role')
    .then((result) => {
      const role = result[0]?.role as string | null | undefined;
      return Boolean(role) && role !== 'NONE';
    })
    .catch(() => false);
  const global = new Set(
    (
      await rows(
        connection,
        'SELECT PRIVILEGE_TYPE AS p FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?',
        [account],
      )
    ).map((r) => String(r.p)),
  );
  const schemaPatterns = (
    await rows(
      connection,
      `SELECT TABLE_SCHEMA AS s FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ? AND ` +
        `PRIVILEGE_TYPE = 'SELECT'`,
      [account],
    )
  ).map((r) => likePattern(String(r.s)));
  const tables = schemas.length
    ? new Set(
        (
          await rows(
            connection,
            `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLE_PRIVILEGES ` +
              `WHERE GRANTEE = ? AND PRIVILEGE_TYPE = 'SELECT' AND TABLE_SCHEMA IN (?)`,
            [account, schemas],
          )
        ).map((r) => `${String(r.s)}\u0000${String(r.t)}`),
      )
    : new Set<string>();
  const schemaReadable = (schema: string) =>
    roleActive || global.has('SELECT') || schemaPatterns.some((pattern) => pattern.test(schema));
  return {
    account,
    global,
    canRead: (schema, table) =>
      schemaReadable(schema) || (table !== undefined && tables.has(`${schema}\u0000${table}`)),
  };
}

/** Database names in grants are LIKE patterns (`app\_%`). */
function likePattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const RISKY = ['FILE', 'SUPER', 'INSERT', 'UPDATE', 'DELETE', 'DROP', 'ALTER', 'CREATE'];

/**
 * A warning when the account can do far more than read: customers should give us a SELECT-only
 * user.
 */
export function mysqlAccountWarning(
  access: MysqlAccess,
  user: string,
  database: string,
): string | undefined {
  const risky = RISKY.filter((privilege) => access.global.has(privilege));
  if (!risky.length) return undefined;
  const reach = access.global.has('FILE')
    ? 'it can read files on the database server'
    : 'it can change data in every database';
  return (
    `"${user}" has global ${risky.join(', ')} privileges: ${reach}. Use a read-only user, ` +
    `e.g. CREATE USER 'inlet_reader'@'%' IDENTIFIED BY '…'; GRANT SELECT ON ` +
    `\`${database.replaceAll('`', '``')}\`.* TO 'inlet_reader'@'%';`
  );
}
