// Postgres identifiers for the statements we print in hints and generate for catalog reads.

const SIMPLE = /^[a-z_][a-z0-9_$]*$/;
// Keywords a customer could plausibly have as a role or schema name; quoting them keeps the hint
// runnable.
const RESERVED = new Set([
  'all',
  'analyse',
  'analyze',
  'user',
  'table',
  'group',
  'order',
  'select',
  'from',
  'where',
  'to',
  'grant',
  'role',
  'schema',
  'default',
  'current_user',
  'session_user',
  'column',
  'check',
  'limit',
  'offset',
  'union',
  'end',
]);

export function quoteIdent(name: string): string {
  return SIMPLE.test(name) && !RESERVED.has(name) ? name : `"${name.replaceAll('"', '""')}"`;
}
