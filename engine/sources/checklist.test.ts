import { describe, expect, test } from 'vitest';
import { redactSecrets, runChecklist } from './checklist';
import { SourceConnectError } from './source-connect-error';
import { toSourceActionError } from './source-action-error';
import { TableNotFoundError } from './table-not-found-error';
import { UserQueryError } from './user-query-error';
import { ApiError } from '../http/api-error';

describe('runChecklist', () => {
  test('after the first failure the remaining checks are skipped, and the failure is the summary', async () => {
    const ran: string[] = [];
    const result = await runChecklist(
      [
        { name: 'dns', run: async () => (ran.push('dns'), { status: 'passed', message: 'ok' }) },
        {
          name: 'tcp',
          run: async () => {
            ran.push('tcp');
            throw new SourceConnectError({
              check: 'tcp',
              code: 'connection_refused',
              message: 'Refused.',
              hint: 'Check the port.',
              field: 'postgres.port',
            });
          },
        },
        { name: 'tls', run: async () => (ran.push('tls'), { status: 'passed', message: 'never' }) },
      ],
      { success: 'All good.' },
    );
    expect(ran).toEqual(['dns', 'tcp']);
    expect(result).toMatchObject({
      code: 'failure',
      message: 'Refused.',
      checks: [
        { name: 'dns', status: 'passed' },
        {
          name: 'tcp',
          status: 'failed',
          message: 'Refused.',
          hint: 'Check the port.',
          field: 'postgres.port',
        },
        {
          name: 'tls',
          status: 'skipped',
          message: 'Not run: the tcp check failed.',
          duration_ms: 0,
        },
      ],
    });
  });

  test('an unexpected error fails its check with its message', async () => {
    const result = await runChecklist(
      [{ name: 'auth', run: async () => Promise.reject(new Error('socket hang up')) }],
      { success: 'x' },
    );
    expect(result.checks[0]).toMatchObject({
      status: 'failed',
      message: 'The check failed unexpectedly: socket hang up.',
    });
  });

  test('all passed is a success with the summary', async () => {
    const result = await runChecklist(
      [{ name: 'dns', run: async () => ({ status: 'passed', message: 'ok', hint: 'heads up' }) }],
      { success: 'All good.' },
    );
    expect(result).toEqual({
      code: 'success',
      message: 'All good.',
      checks: [
        {
          name: 'dns',
          status: 'passed',
          message: 'ok',
          hint: 'heads up',
          duration_ms: expect.any(Number),
        },
      ],
    });
  });
});

test('redactSecrets removes every occurrence, even JSON-escaped', () => {
  const secret = 'p"w\\rd-1234';
  const value = { message: `failed with ${secret}`, nested: [{ hint: `again ${secret}` }] };
  const redacted = redactSecrets(value, [secret]);
  expect(JSON.stringify(redacted)).not.toContain('1234');
  expect(redacted.message).toBe('failed with [redacted]');
});

describe('source action errors are 422s with a path', () => {
  test.each([
    [
      new SourceConnectError({
        check: 'auth',
        code: 'auth_failed',
        message: 'Refused.',
        hint: 'Check it.',
        field: 'postgres.password_auth.password',
      }),
      'source_connection_failed',
      'source.postgres.password_auth.password',
    ],
    [new UserQueryError('query_timeout', 'Too slow.'), 'query_timeout', 'sql.query'],
    [new UserQueryError('invalid_query', 'Bad.', 7), 'invalid_query', 'sql.query'],
    [
      new TableNotFoundError(
        { namespace: 'public', name: 'userz' },
        [{ namespace: 'public', name: 'users' }],
        true,
      ),
      'table_not_found',
      'table.source_table_name',
    ],
    [
      new TableNotFoundError({ namespace: 'nope', name: 'users' }, [], false),
      'table_not_found',
      'table.source_table_namespace',
    ],
  ])('%s', (error, code, path) => {
    const mapped = toSourceActionError(error) as ApiError;
    expect(mapped).toBeInstanceOf(ApiError);
    expect(mapped.status).toBe(422);
    expect(mapped.toBody().error).toMatchObject({ code, details: [{ path }] });
  });

  test('anything else passes through', () => {
    const error = new Error('boom');
    expect(toSourceActionError(error)).toBe(error);
  });
});
