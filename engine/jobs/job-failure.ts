// The one way an extract or a load fails: a code, a title and a message for people, and who must
// act (blame). It becomes the job's error, the contract's JobError.
import type { JobError } from '../../lib/prequel/contract/job';

/**
 * Who must act on a failure the engine reports (the hosted API may name others: JobError's blame is
 * any string).
 */
export type Blame = 'source' | 'destination' | 'configuration' | 'engine';

export class JobFailure extends Error {
  constructor(
    readonly blame: Blame,
    readonly code: string,
    readonly title: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The job's error for a failure. An extract's links to its code's entry of the errors page and
 * names its cause in a short, secret-free trace (the error class and code, never a stack or
 * values); a load's links to the loads entry.
 */
export function jobErrorOf(failure: JobFailure, job: 'extract' | 'load'): JobError {
  return {
    error_code: failure.code,
    title: failure.title,
    message: failure.message,
    blame: failure.blame,
    documentation_url: job === 'extract' ? `/docs/errors#${failure.code}` : '/docs/errors#load',
    trace:
      job === 'extract'
        ? [failure.name, (failure.cause as { code?: string } | undefined)?.code]
            .filter(Boolean)
            .join(' ')
        : '',
  };
}
