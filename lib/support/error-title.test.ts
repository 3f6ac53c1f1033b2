import { describe, expect, test } from 'vitest';
import { errorTitle } from './error-title';

describe('an error code as support reads it', () => {
  test('a code we know reads as the customer’s words, about the customer', () => {
    expect(errorTitle({ code: 'source_auth_failed' })).toBe('The database refused the password');
    expect(errorTitle({ code: 'not_resolvable' })).toBe(
      "The database's host name does not resolve",
    );
    expect(errorTitle({ code: 'database_not_found' })).toBe(
      'The database server has no database by that name',
    );
  });

  test('the words depend on the message where the customer’s do (a timeout, an HTTP status)', () => {
    expect(
      errorTitle({ code: 'destination_unavailable', message: 'The endpoint answered 503.' }),
    ).toBe("The service's endpoint is failing (HTTP 503)");
    expect(
      errorTitle({
        code: 'destination_unavailable',
        message: 'The endpoint did not answer within 30 s (timed out).',
      }),
    ).toBe("The service's endpoint took longer than 30 s to answer");
  });

  test('a code we do not know keeps the title it came with, else is spelled out', () => {
    expect(errorTitle({ code: 'quota_exceeded', title: 'The monthly quota ran out' })).toBe(
      'The monthly quota ran out',
    );
    expect(errorTitle({ code: 'quota_exceeded' })).toBe('Quota exceeded');
  });
});
