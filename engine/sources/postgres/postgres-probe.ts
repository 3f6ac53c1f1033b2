// The Postgres-specific steps of the connection checklist: TLS, sign-in, and what the role may
// read.
import type pg from 'pg';
import type { StepResult } from '../checklist';
import { SourceConnectError } from '../source-connect-error';
import { fieldOf } from '../source-target';
import type { VendorProbe } from '../vendor-probe';
import { openPostgresClient } from './connect';
import { quoteIdent } from './quote';
import { probePostgresTls } from './tls-probe';

const CHECK_STATEMENT_TIMEOUT_MS = 10_000;
const EXAMPLES = 5;

interface SchemaAccess {
  schema: string;
  usable: boolean;
  tables: number;
  unreadable: number;
  examples: string[] | null;
}

export const postgresProbe: VendorProbe<pg.Client> = {
  probeTls: probePostgresTls,

  async signIn(target) {
    const client = await openPostgresClient(
      target,
      { statementTimeoutMs: CHECK_STATEMENT_TIMEOUT_MS },
      { tcpConnected: true },
    );
    try {
      const { version } = (
        await client.query<{ version: string }>(
          `select current_setting('server_version') as version`,
        )
      ).rows[0]!;
      const { connection } = target;
      return {
        session: client,
        message:
          `Signed in to database "${connection.database}" as ` +
          `"${connection.password_auth.username}" (Postgres ${version}).`,
      };
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  },

  async checkPrivileges(client, target) {
    const user = target.connection.password_auth.username;
    const configured = target.connection.schema ?? null;
    const access = (
      await client.query<SchemaAccess>(
        `with scope as (
           select n.oid, n.nspname, has_schema_privilege(n.oid, 'USAGE') as usable from
             pg_namespace n
           where case when $1::text is null
             then n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~
               '^pg_(toast|temp_)'
             else n.nspname = $1 end
         )
         select s.nspname as schema, s.usable, count(c.oid)::int as tables,
           count(c.oid) filter (where not (s.usable and has_table_privilege(c.oid,
             'SELECT')))::int as unreadable,
           (array_agg(c.relname::text order by c.relname) filter (where not (s.usable and
             has_table_privilege(c.oid, 'SELECT'))))[1:${EXAMPLES}] as examples
         from scope s left join pg_class c on c.relnamespace = s.oid and c.relkind in ('r', 'p',
           'v', 'm', 'f') and not c.relispartition
         group by s.nspname, s.usable order by s.nspname`,
        [configured],
      )
    ).rows;
    if (configured !== null && access.length === 0) {
      throw new SourceConnectError({
        check: 'privileges',
        code: 'schema_not_found',
        message:
          `The schema "${configured}" does not exist in database ` +
          `"${target.connection.database}".`,
        hint:
          'Check the schema name (names are case-sensitive), or leave it empty to read every ' +
          'schema.',
        field: fieldOf('postgres', 'schema'),
      });
    }
    const relevant = access.filter((schema) => schema.tables > 0 || schema.schema === configured);
    const denied = relevant.filter((schema) => !schema.usable);
    const partial = relevant.filter((schema) => schema.usable && schema.unreadable > 0);
    if (denied.length || partial.length) {
      const sentences = [
        ...denied.map(
          (schema) =>
            `"${user}" may not use schema ` +
            `${schema.schema}${schema.tables ? ` (${schema.tables} tables)` : ''}.`,
        ),
        ...partial.map(
          (schema) =>
            `"${user}" cannot read ${schema.unreadable} of ${schema.tables} tables in ` +
            `${schema.schema}: ${examplesOf(schema)}.`,
        ),
      ];
      const grants = [
        ...denied.map(
          (schema) => `GRANT USAGE ON SCHEMA ${quoteIdent(schema.schema)} TO ${quoteIdent(user)};`,
        ),
        ...[...denied, ...partial].map(
          (schema) =>
            `GRANT SELECT ON ALL TABLES IN SCHEMA ${quoteIdent(schema.schema)} TO ` +
            `${quoteIdent(user)};`,
        ),
      ];
      throw new SourceConnectError({
        check: 'privileges',
        code: 'missing_privileges',
        message: sentences.join(' '),
        hint: `Run ${grants.join(' ')} (or set schema to the one schema to import from).`,
        field: fieldOf('postgres', 'password_auth.username'),
      });
    }
    return {
      status: 'passed',
      ...summarise(relevant, configured),
      ...(await roleWarning(client, user)),
    };
  },

  async close(client) {
    await client.end().catch(() => {});
  },
};

function examplesOf(schema: SchemaAccess): string {
  const names = (schema.examples ?? []).join(', ');
  const more = schema.unreadable - (schema.examples?.length ?? 0);
  return more > 0 ? `${names} and ${more} more` : names;
}

function summarise(
  schemas: SchemaAccess[],
  configured: string | null,
): Pick<StepResult, 'message' | 'hint'> {
  const tables = schemas.reduce((sum, schema) => sum + schema.tables, 0);
  const where =
    configured ?? (schemas.length === 1 ? schemas[0]!.schema : `${schemas.length} schemas`);
  if (tables === 0) {
    return {
      message: `There are no tables in ${configured ?? 'this database'} yet.`,
      hint: 'Create the tables to import, or check the database and schema names.',
    };
  }
  return { message: `Can read all ${tables} table${tables === 1 ? '' : 's'} in ${where}.` };
}

async function roleWarning(client: pg.Client, user: string): Promise<Pick<StepResult, 'hint'>> {
  const role = (
    await client.query<{ rolsuper: boolean; risky: string[] }>(
      `select r.rolsuper, array(
         select m.rolname::text from pg_roles m
         where m.rolname in ('pg_read_server_files', 'pg_write_server_files',
           'pg_execute_server_program') and pg_has_role(current_user, m.oid, 'MEMBER')
         order by 1) as risky
       from pg_roles r where r.rolname = current_user`,
    )
  ).rows[0];
  if (!role || (!role.rolsuper && role.risky.length === 0)) return {};
  const what = role.rolsuper
    ? `"${user}" is a superuser: it can read any file on the database server and run programs ` +
      `there.`
    : `"${user}" is a member of ${role.risky.join(', ')}: it can reach files or programs on the ` +
      `database server.`;
  return {
    hint:
      `${what} Use a role that can only read the tables to import, e.g. CREATE ROLE ` +
      `inlet_reader LOGIN PASSWORD '…'; GRANT USAGE ON SCHEMA public TO inlet_reader; GRANT ` +
      `SELECT ON ALL TABLES IN SCHEMA public TO inlet_reader;`,
  };
}
