import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
const { customerJobError, customerSafe } = await import('./customer-failure');

const jobError = (blame: string) => ({
  error_code: 'datalake_write_failed',
  title: 'The import could not be saved',
  message: 'EACCES: permission denied, open /var/lib/inlet/lake/acme/part-7.parquet',
  blame,
  documentation_url: '',
  trace: 'Error: EACCES\n    at write (/srv/engine/datalake/local-datalake.ts:40:11)',
});

describe('what a customer sees of a failure', () => {
  afterEach(() => vi.restoreAllMocks());

  it('replaces the installation’s own failures with a generic message and a reference, and logs the detail under it', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const shown = customerSafe(
      {
        code: 'unreachable',
        message: 'The Import API at http://10.1.2.3:4100 is not reachable',
        status: null,
      },
      'route',
    );
    expect(shown.message).not.toContain('10.1.2.3');
    const reference = /Reference: ([0-9A-F]{12})\./.exec(shown.message)?.[1];
    expect(reference).toBeDefined();
    expect(log.mock.calls[0]?.[0]).toContain(reference!);
    expect(log.mock.calls[0]?.[0]).toContain('10.1.2.3');
  });

  it('keeps failures the customer can act on as they are', () => {
    const refused = { code: 'invalid_request', message: 'The port must be a number.', status: 422 };
    expect(customerSafe(refused, 'action')).toEqual(refused);
  });

  it('hides an engine job error’s detail and every trace, with the job id as the reference', () => {
    const engine = customerJobError(jobError('engine'), 'job-123')!;
    expect(engine.message).not.toContain('/var/lib');
    expect(engine.message).toContain('job-123');
    expect(engine.trace).toBe('');
    const source = customerJobError(jobError('source'), 'job-123')!;
    expect(source.message).toBe(jobError('source').message);
    expect(source.trace).toBe('');
  });
});
