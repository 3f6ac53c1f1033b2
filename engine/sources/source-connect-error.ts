// A connection to a customer database that failed for a reason the customer can act on.
import type { CHECK_NAMES } from '../../lib/prequel/contract/source-actions';

export type CheckName = (typeof CHECK_NAMES)[number];

export interface ConnectFailure {
  /** The checklist step the failure belongs to. */
  check: CheckName;
  /** snake_case, stable: `connection_refused`, `auth_failed`, `tls_not_supported`… */
  code: string;
  /** What happened, in plain words. */
  message: string;
  /** What to do about it. */
  hint?: string;
  /** The request field concerned (`postgres.port`), so a form can show the message next to it. */
  field?: string;
}

export class SourceConnectError extends Error {
  readonly failure: ConnectFailure;

  constructor(failure: ConnectFailure) {
    super(failure.message);
    this.name = 'SourceConnectError';
    this.failure = failure;
  }

  get code() {
    return this.failure.code;
  }
}
