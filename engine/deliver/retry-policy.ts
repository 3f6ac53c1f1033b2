// Pure: what a delivery attempt's outcome means (delivered, retry later, or give up on the record)
// and when to retry.

export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfter?: string | null }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'connection_error'; code?: string };

export type Verdict =
  | { action: 'delivered' }
  | { action: 'retry'; reason: string; notBeforeMs?: number }
  | { action: 'reject'; reason: string }
  /**
   * 410: the endpoint is gone for good; the stream is disabled rather than failing record after
   * record.
   */
  | { action: 'gone'; reason: string };

const RETRYABLE_STATUS = new Set([408, 429]);

/** 5000 → "5", 1500 → "1.5". */
const seconds = (ms: number) => String(Math.round(ms / 100) / 10);

/**
 * 2xx delivered; 408, 429, 5xx, timeouts and connection errors are retried (honouring Retry-After);
 * 410 means the endpoint is gone; redirects are never followed and, like every other 4xx, reject
 * the record: retrying would not change the answer.
 */
export function judgeAttempt(outcome: AttemptOutcome, now = Date.now()): Verdict {
  if (outcome.kind === 'timeout')
    return {
      action: 'retry',
      reason:
        `the request timed out: the endpoint did not answer within ` +
        `${seconds(outcome.afterMs)} s`,
    };
  if (outcome.kind === 'connection_error')
    return { action: 'retry', reason: describeConnectionError(outcome.code) };
  const { status } = outcome;
  if (status >= 200 && status < 300) return { action: 'delivered' };
  if (status === 410)
    return { action: 'gone', reason: 'the endpoint answered 410 Gone: it no longer exists' };
  if (RETRYABLE_STATUS.has(status) || status >= 500) {
    const notBefore = parseRetryAfter(outcome.retryAfter ?? null, now);
    return {
      action: 'retry',
      reason: `the endpoint answered ${status}`,
      ...(notBefore !== null ? { notBeforeMs: notBefore } : {}),
    };
  }
  if (status >= 300 && status < 400) {
    return {
      action: 'reject',
      reason:
        `the endpoint answered ${status} (a redirect); redirects are not followed: set the ` +
        `destination URI to the final address`,
    };
  }
  return { action: 'reject', reason: `the endpoint rejected the record with ${status}` };
}

/**
 * Node's error codes for a certificate it would not accept (self-signed, expired, wrong host,
 * unknown issuer).
 */
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;
/**
 * …and for a handshake that failed before any certificate was judged (not TLS at all, no common
 * protocol).
 */
const HANDSHAKE_CODE = /^(EPROTO|ERR_SSL_|ERR_TLS_)/;

/**
 * The reason a connection failed, naming TLS when it was TLS, so whoever runs the endpoint knows
 * what to fix.
 */
export function describeConnectionError(code = 'network error'): string {
  if (CERTIFICATE_CODE.test(code))
    return `the connection failed: the endpoint's TLS certificate was not accepted (${code})`;
  if (HANDSHAKE_CODE.test(code))
    return `the connection failed: the TLS handshake with the endpoint failed (${code})`;
  return `the connection failed (${code})`;
}

const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * `Retry-After` as seconds or an HTTP date → an absolute time in ms (capped at an hour), or null.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  let delay: number | null = null;
  if (/^\d+$/.test(trimmed)) delay = Number(trimmed) * 1000;
  else if (/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) {
    // Only the IMF-fixdate form of an HTTP date (RFC 9110); Date.parse alone would accept "-5" as a
    // year.
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) delay = date - now;
  }
  if (delay === null) return null;
  return now + Math.min(Math.max(delay, 0), MAX_RETRY_AFTER_MS);
}

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** [0, 1): injectable for tests. */
  random?: () => number;
}

/** Exponential backoff with full jitter: a random delay in [0, min(max, base · 2^(attempt-1))]. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 5 * 60_000;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round((options.random ?? Math.random)() * ceiling);
}

/**
 * The wait before the next attempt: the server's Retry-After when it gave one, else the jittered
 * backoff.
 */
export function nextAttemptAt(
  attempt: number,
  verdict: Extract<Verdict, { action: 'retry' }>,
  now = Date.now(),
  options: BackoffOptions = {},
): number {
  return Math.max(verdict.notBeforeMs ?? 0, now + backoffDelay(attempt, options));
}
