// What a customer may see of a failure that is not theirs to fix: a generic message and a
// reference. The detail (the engine's address, file paths, bucket names, traces) goes to the server
// log under that reference, and to the support console, which reads it from the Import API itself.
import 'server-only';
import { randomBytes } from 'node:crypto';
import type { PrequelErrorCode } from '@/lib/prequel/client';
import type { JobError } from '@/lib/prequel/contract/job';

/**
 * Failures of the installation, not of anything the customer typed: the customer cannot act on
 * their detail.
 */
const UNEXPECTED: ReadonlySet<string> = new Set<PrequelErrorCode>([
  'not_configured',
  'unreachable',
  'unauthorized',
  'invalid_response',
  'api_error',
]);

export const GENERIC_FAILURE =
  'Something went wrong on our side. Your saved work is safe: try again in a minute, and if it ' +
  'keeps happening, contact support with the reference below.';

export function newReference(): string {
  return randomBytes(6).toString('hex').toUpperCase();
}

export function isUnexpectedFailure(error: { code: string; status?: number | null }): boolean {
  return (
    UNEXPECTED.has(error.code) ||
    (error.status !== undefined && error.status !== null && error.status >= 500)
  );
}

/** Logs the failure's detail under a new reference and answers the message to show instead. */
export function reportUnexpected(
  error: { code: string; message: string; status?: number | null },
  where: string,
): { message: string; reference: string } {
  const reference = newReference();
  console.error(
    JSON.stringify({
      event: 'customer_failure',
      reference,
      where,
      code: error.code,
      status: error.status ?? null,
      message: error.message,
      at: new Date().toISOString(),
    }),
  );
  return { reference, message: `${GENERIC_FAILURE} Reference: ${reference}.` };
}

/**
 * An error as the customer may see it: unchanged when it is theirs to act on, generic with a
 * reference otherwise.
 */
export function customerSafe<E extends { code: string; message: string; status?: number | null }>(
  error: E,
  where: string,
): E {
  return isUnexpectedFailure(error)
    ? { ...error, message: reportUnexpected(error, where).message }
    : error;
}

/**
 * A job's error as the customer sees it: the engine's own failures become generic, with the job's
 * id as the reference (support finds it in the console); the trace never leaves the server.
 */
export function customerJobError(error: JobError | null, jobId: string): JobError | null {
  if (!error) return null;
  if (error.blame !== 'engine') return { ...error, trace: '' };
  return { ...error, message: `${GENERIC_FAILURE} Reference: ${jobId}.`, trace: '' };
}

export function customerJob<Job extends { id: string; error: JobError | null }>(job: Job): Job;
export function customerJob<Job extends { id: string; error: JobError | null }>(
  job: Job | null,
): Job | null;
export function customerJob<Job extends { id: string; error: JobError | null }>(
  job: Job | null,
): Job | null {
  return job && { ...job, error: customerJobError(job.error, job.id) };
}
