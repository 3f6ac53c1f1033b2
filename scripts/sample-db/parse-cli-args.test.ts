import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './parse-cli-args';

const error = (argv: string[]) => {
  const result = parseCliArgs(argv);
  return result.ok ? null : result.error;
};

describe('parseCliArgs', () => {
  it('reads a Postgres URL with defaults', () => {
    const result = parseCliArgs(['--url', 'postgres://u:p@localhost:5432/app']);
    expect(result).toMatchObject({
      ok: true,
      value: {
        help: false,
        dialect: 'postgres',
        options: { customers: 1000, dropExisting: false },
      },
    });
  });

  it('reads every option and the MySQL dialect', () => {
    const result = parseCliArgs([
      '--url',
      'mysql://u:p@db:3306/shop',
      '--customers',
      '25000',
      '--seed',
      '7',
      '--events-per-customer',
      '2.5',
      '--drop',
    ]);
    expect(result).toMatchObject({
      ok: true,
      value: {
        dialect: 'mysql',
        options: { customers: 25000, seed: 7, eventsPerCustomer: 2.5, dropExisting: true },
      },
    });
    expect(parseCliArgs(['--url', 'postgresql://h/db', '--schema', 'crm'])).toMatchObject({
      ok: true,
      value: { options: { schema: 'crm' } },
    });
  });

  it('says what is wrong with bad flags', () => {
    expect(error([])).toMatch(/--url is required/);
    expect(error(['--url', 'postgres://h/db', '--customers', 'many'])).toMatch(
      /--customers must be a number/,
    );
    expect(error(['--url', 'postgres://h/db', '--customers', '1.5'])).toMatch(
      /--customers must be a whole number/,
    );
    expect(error(['--url', 'postgres://h/db', '--customers=-3'])).toMatch(
      /--customers must be 0 or more/,
    );
    expect(error(['--url', 'postgres://h/db', '--customers='])).toMatch(
      /--customers must be a number/,
    );
    expect(error(['--url', 'postgres://h/db', '--customers'])).toMatch(/argument missing/);
    expect(error(['--url', 'postgres://h/db', '--orders-per-customer', 'x'])).toMatch(
      /--orders-per-customer must be a number/,
    );
    expect(error(['--url', 'postgres://h/db', '--size', '3'])).toMatch(/Unknown option '--size'/);
    expect(error(['--url', 'sqlite:///tmp/x.db'])).toMatch(/must start with postgres:\/\//);
    expect(error(['--url', 'not a url'])).toMatch(/not a URL/);
    expect(error(['--url', 'mysql://h:3306/db', '--schema', 'x'])).toMatch(/Postgres only/);
    expect(error(['--url', 'mysql://h:3306'])).toMatch(/needs a database/);
  });

  it('asks for help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ ok: true, value: { help: true } });
  });
});
