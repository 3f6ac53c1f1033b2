// `npm run sample-db -- --url … [--customers n] [--seed n] [--schema s] [--drop]`: creates the
// sample database.
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createSampleDatabase } from './create-sample-db';
import { parseCliArgs, USAGE } from './parse-cli-args';
import { SampleDbError } from './sample-db-error';
import type { RowCounts } from './sample-tables';
import type { SampleTarget } from './sample-target';

async function main(): Promise<number> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(`sample-db: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.value.help) {
    console.log(USAGE);
    return 0;
  }
  const { url, dialect, options } = parsed.value;
  const started = performance.now();
  const counts = await withTarget(dialect, url, (target) => createSampleDatabase(target, options));
  const seconds = (performance.now() - started) / 1000;
  console.log(report(url, options.schema, counts, seconds));
  return 0;
}

async function withTarget<T>(
  dialect: 'postgres' | 'mysql',
  url: URL,
  work: (target: SampleTarget) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') {
    // A pool of three lends two connections to the load, so the biggest table loads beside the
    // others.
    const client = new pg.Pool({
      connectionString: url.toString(),
      application_name: 'inlet-sample-db',
      max: 3,
    });
    try {
      return await work({ dialect, client });
    } finally {
      await client.end();
    }
  }
  const connection = await mysql.createConnection({
    uri: url.toString().replace(/^mariadb:/, 'mysql:'),
    charset: 'utf8mb4',
  });
  try {
    return await work({ dialect, connection });
  } finally {
    await connection.end();
  }
}

function report(url: URL, schema: string | undefined, counts: RowCounts, seconds: number): string {
  const total = Object.values(counts).reduce((sum, value) => sum + value, 0);
  // maxRSS is the process's peak resident set in KiB, so no sampling is needed.
  const peakMb = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
  // Never the URL as given: it carries the password.
  const inSchema = schema ? ` (schema ${schema})` : '';
  const target = `${url.protocol}//${url.host}${url.pathname}${inSchema}`;
  const lines = Object.entries(counts).map(
    ([table, rows]) => `  ${table.padEnd(10)} ${rows.toLocaleString('en-US').padStart(14)}`,
  );
  const rate = seconds > 0 ? Math.round(total / seconds).toLocaleString('en-US') : '–';
  return [
    `Sample database ready at ${target} in ${seconds.toFixed(1)} s ` +
      `(${total.toLocaleString('en-US')} rows, ${rate} rows/s, peak RSS ${peakMb} MB)`,
    ...lines,
  ].join('\n');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Our own errors and the database's or network's (they carry a code: ECONNREFUSED, 28P01,
    // ER_ACCESS_DENIED_ERROR…) are for the user to fix and need no stack trace; anything else is a
    // bug and keeps it.
    const expected = error instanceof SampleDbError || (error instanceof Error && 'code' in error);
    console.error(expected ? `sample-db: ${(error as Error).message}` : error);
    process.exit(1);
  },
);
