import { describe, expect, test } from 'vitest';
import { errorSignature, groupErrors } from './error-groups';
import { at, jobError } from './fixtures.test-helpers';

const signature = (message: string, error_code = 'some_code') =>
  errorSignature({ error_code, message });

describe('errorSignature blanks what varies between tenants', () => {
  test.each([
    [
      'quoted names',
      'Postgres refused the password for user "alice".',
      'Postgres refused the password for user "bob".',
      'some_code: Postgres refused the password for user "<name>".',
    ],
    [
      'single-quoted and backticked names',
      "The database 'sales' does not exist on `eu-1`.",
      "The database 'crm' does not exist on `us`.",
      'some_code: The database "<name>" does not exist on "<name>".',
    ],
    [
      'host names with ports',
      'Nothing accepts connections on db.acme-corp.com:5432: the connection was refused.',
      'Nothing accepts connections on pg.eu.example.io:6543: the connection was refused.',
      'some_code: Nothing accepts connections on <host>: the connection was refused.',
    ],
    [
      'IP addresses',
      'Nothing accepts connections on 10.0.12.5:5432.',
      'Nothing accepts connections on 192.168.1.20:80.',
      'some_code: Nothing accepts connections on <host>.',
    ],
    [
      'a bare host with a port',
      'Could not connect to localhost:5432 (EADDRNOTAVAIL).',
      'Could not connect to mysql:3306 (EADDRNOTAVAIL).',
      'some_code: Could not connect to <host> (EADDRNOTAVAIL).',
    ],
    [
      'IPv6 literals',
      'Could not connect to [2001:db8::1]:5432.',
      'Could not connect to [::1]:5433.',
      'some_code: Could not connect to <host>.',
    ],
    [
      'uuids',
      'No datalake with id "7f0c9a4e-2b1d-4c3e-9f8a-1b2c3d4e5f60" exists for dataset 3fa85f64-5717-4562-b3fc-2c963f66afa6.',
      'No datalake with id "x" exists for dataset 00000000-0000-4000-8000-000000000000.',
      'some_code: No datalake with id "<name>" exists for dataset <id>.',
    ],
    [
      'timestamps',
      'Token expired at 2025-03-04T13:59:58.123Z.',
      'Token expired at 2024-12-31 23:00:00+01:00.',
      'some_code: Token expired at <time>.',
    ],
    [
      'dates and clock times',
      'Quota reset on 2025-03-04 at 14:05.',
      'Quota reset on 2025-04-01 at 9:30.',
      'some_code: Quota reset on <time> at <time>.',
    ],
    [
      'emails',
      'Permission denied for ops@acme.com.',
      'Permission denied for jane.doe+import@corp.example.org.',
      'some_code: Permission denied for <email>.',
    ],
    [
      'URLs',
      'POST https://hooks.acme.com/t/123/ingest failed.',
      'POST http://10.1.1.1:8080/x failed.',
      'some_code: POST <url> failed.',
    ],
    [
      'counts and durations',
      '3 record(s) not delivered: db did not answer within 10 s.',
      '1,250 record(s) not delivered: db did not answer within 30 s.',
      'some_code: <n> record(s) not delivered: db did not answer within <n> s.',
    ],
    [
      'generated ids',
      'Request req_8f3k2j1a9z failed (trace 9f86d081884c7d659a2f).',
      'Request req_77aa00bb11 failed (trace 0123456789abcdef).',
      'some_code: Request <id> failed (trace <id>).',
    ],
    [
      'whitespace',
      '  permission denied\n  for table orders  ',
      'permission denied for table orders',
      'some_code: permission denied for table orders',
    ],
  ])('%s', (_, first, second, expected) => {
    expect(signature(first)).toBe(expected);
    expect(signature(second)).toBe(expected);
  });

  test('keeps what tells failures apart: the code, HTTP statuses, error names, table names', () => {
    expect(signature('the endpoint answered 503', 'destination_unavailable')).toBe(
      'destination_unavailable: the endpoint answered 503',
    );
    expect(signature('the endpoint answered 503')).not.toBe(signature('the endpoint answered 500'));
    expect(signature('the endpoint rejected the record with 422')).toBe(
      'some_code: the endpoint rejected the record with 422',
    );
    expect(signature('HTTP 404 from the endpoint')).toBe('some_code: HTTP 404 from the endpoint');
    expect(signature('x', 'a')).not.toBe(signature('x', 'b'));
    expect(signature('code 28P01: password authentication failed (ECONNRESET)')).toBe(
      'some_code: code 28P01: password authentication failed (ECONNRESET)',
    );
    expect(signature('permission denied for table orders')).not.toBe(
      signature('permission denied for table invoices'),
    );
  });

  test('an apostrophe is not a quote', () => {
    expect(
      signature("the endpoint's TLS certificate was not accepted; the engine's address is allowed"),
    ).toBe(
      "some_code: the endpoint's TLS certificate was not accepted; the engine's address is allowed",
    );
  });

  test('a very long message is cut', () => {
    expect(signature('word '.repeat(200)).length).toBe(240);
  });
});

describe('groupErrors', () => {
  const refused = (user: string) =>
    jobError(
      'auth_failed',
      'source',
      `Postgres refused the password for user "${user}".`,
      'Could not connect to the source',
    );
  const unavailable = jobError(
    'destination_unavailable',
    'destination',
    '20 record(s) not delivered: the endpoint answered 503.',
  );

  test('one group per failure, tenants once each, the most widespread first', () => {
    const groups = groupErrors([
      { tenantId: 'acme', error: refused('acme_ro'), at: at(50) },
      { tenantId: 'globex', error: refused('globex'), at: at(30) },
      { tenantId: 'acme', error: refused('acme_ro'), at: at(10) },
      { tenantId: 'initech', error: unavailable, at: at(1) },
      { tenantId: 'hooli', error: refused('h'), at: at(120) },
    ]);
    expect(groups).toEqual([
      {
        signature: 'auth_failed: Postgres refused the password for user "<name>".',
        code: 'auth_failed',
        example: 'Postgres refused the password for user "acme_ro".',
        title: 'Could not connect to the source',
        tenants: ['acme', 'globex', 'hooli'],
        count: 4,
        firstSeen: at(120),
        lastSeen: at(10),
      },
      {
        signature:
          'destination_unavailable: <n> record(s) not delivered: the endpoint answered 503.',
        code: 'destination_unavailable',
        example: '20 record(s) not delivered: the endpoint answered 503.',
        title: 'The job failed',
        tenants: ['initech'],
        count: 1,
        firstSeen: at(1),
        lastSeen: at(1),
      },
    ]);
  });

  test('with as many tenants, the most recent first; then by signature', () => {
    const groups = groupErrors([
      { tenantId: 'a', error: jobError('engine_error', 'engine', 'boom'), at: at(90) },
      { tenantId: 'b', error: unavailable, at: at(5) },
      { tenantId: 'c', error: jobError('x_code', 'engine', 'same time'), at: at(90) },
    ]);
    expect(groups.map((group) => group.code)).toEqual([
      'destination_unavailable',
      'engine_error',
      'x_code',
    ]);
  });

  test('nothing to group', () => {
    expect(groupErrors([])).toEqual([]);
  });
});
