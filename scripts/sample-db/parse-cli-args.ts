// Pure: the sample-db command line → connection URL and sample options, or a message saying what is
// wrong.
import { z } from 'zod';
import { parseFlags } from '../lib/parse-flags';
import { DEFAULT_SEED, type SampleOptions } from './create-sample-db';
import { DEFAULT_SCHEMA } from './sample-target';

export const USAGE = `Usage: npm run sample-db -- --url <postgres://…|mysql://…> [options]

  --url <url>                  Postgres (postgres://, postgresql://) or MySQL/MariaDB
                               (mysql://, mariadb://, with a database)
  --customers <n>              customers to create (default 1000)
  --accounts-per-customer <x>  average accounts per customer (default 1.5)
  --orders-per-customer <x>    average orders per customer (default 4)
  --events-per-customer <x>    average events per customer (default 10)
  --seed <n>                   same seed, same data (default ${DEFAULT_SEED})
  --schema <name>              Postgres schema (default ${DEFAULT_SCHEMA})
  --drop                       replace the sample tables if they exist
  --help                       show this text`;

export type CliArgs =
  { help: true } | { help: false; url: URL; dialect: 'postgres' | 'mysql'; options: SampleOptions };

export type ParseResult = { ok: true; value: CliArgs } | { ok: false; error: string };

const DIALECTS: Record<string, 'postgres' | 'mysql'> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/** A flag's text as a number; an empty or non-numeric value is an error, not a silent 0 or NaN. */
const numeric = (flag: string) =>
  z
    .string()
    .refine(
      (text) => text.trim() !== '' && Number.isFinite(Number(text)),
      `${flag} must be a number`,
    )
    .transform(Number);
const integer = (flag: string) =>
  numeric(flag).pipe(z.number().int(`${flag} must be a whole number`));
const average = (flag: string) =>
  numeric(flag)
    .pipe(z.number().nonnegative(`${flag} must be 0 or more`))
    .optional();

const flagsSchema = z.object({
  url: z.string({ error: '--url is required' }).min(1, '--url is required'),
  customers: integer('--customers')
    .pipe(z.number().nonnegative('--customers must be 0 or more'))
    .default(1000),
  'accounts-per-customer': average('--accounts-per-customer'),
  'orders-per-customer': average('--orders-per-customer'),
  'events-per-customer': average('--events-per-customer'),
  seed: integer('--seed').optional(),
  schema: z.string().min(1, '--schema must not be empty').optional(),
  drop: z.boolean().default(false),
});

export function parseCliArgs(argv: readonly string[]): ParseResult {
  const parsed = parseFlags(
    argv,
    {
      url: { type: 'string' },
      customers: { type: 'string' },
      'accounts-per-customer': { type: 'string' },
      'orders-per-customer': { type: 'string' },
      'events-per-customer': { type: 'string' },
      seed: { type: 'string' },
      schema: { type: 'string' },
      drop: { type: 'boolean' },
    },
    flagsSchema,
  );
  if (!parsed.ok) return parsed;
  if (parsed.help) return { ok: true, value: { help: true } };
  const flags = parsed.flags;

  let url: URL;
  try {
    url = new URL(flags.url);
  } catch {
    return { ok: false, error: `--url is not a URL: ${flags.url}` };
  }
  const dialect = DIALECTS[url.protocol];
  if (!dialect)
    return {
      ok: false,
      error:
        `--url must start with postgres://, postgresql://, mysql:// or mariadb:// (got ` +
        `${url.protocol}//)`,
    };
  if (dialect === 'mysql' && flags.schema !== undefined)
    return {
      ok: false,
      error: '--schema applies to Postgres only; for MySQL put the database in the URL',
    };
  if (dialect === 'mysql' && url.pathname.length <= 1)
    return {
      ok: false,
      error: 'A MySQL URL needs a database: mysql://user:pass@host:3306/database',
    };

  return {
    ok: true,
    value: {
      help: false,
      url,
      dialect,
      options: {
        customers: flags.customers,
        accountsPerCustomer: flags['accounts-per-customer'],
        ordersPerCustomer: flags['orders-per-customer'],
        eventsPerCustomer: flags['events-per-customer'],
        seed: flags.seed,
        schema: flags.schema,
        dropExisting: flags.drop,
      },
    },
  };
}
