// Identifier quoting for both dialects: table, column and schema names are never interpolated raw.

export function quotePostgres(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteMysql(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
