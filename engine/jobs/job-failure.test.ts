import { describe, expect, test } from 'vitest';
import { JobFailure, jobErrorOf } from './job-failure';

describe('a failure as the job error people see', () => {
  const cause = Object.assign(new Error('password authentication failed for user "app"'), {
    code: '28P01',
  });
  const failure = new JobFailure(
    'source',
    'source_auth_failed',
    'The source refused the credentials',
    'Update the credentials of the source.',
    { cause },
  );

  test("an extract's links to its code and names its cause's class and code, never the cause's message", () => {
    const error = jobErrorOf(failure, 'extract');
    expect(error).toEqual({
      error_code: 'source_auth_failed',
      title: 'The source refused the credentials',
      message: 'Update the credentials of the source.',
      blame: 'source',
      documentation_url: '/docs/errors#source_auth_failed',
      trace: 'Error 28P01',
    });
  });

  test("a load's links to the loads entry and carries no trace", () => {
    expect(jobErrorOf(failure, 'load')).toMatchObject({
      error_code: 'source_auth_failed',
      blame: 'source',
      documentation_url: '/docs/errors#load',
      trace: '',
    });
  });
});
