// Turns what went wrong in an extract into the contract's error object, saying whose move it is.
import { DatalakeError } from '../datalake/datalake-error';
import { SourceConnectError } from '../sources/source-connect-error';
import { TableNotFoundError } from '../sources/table-not-found-error';
import { UserQueryError } from '../sources/user-query-error';
import type { JobError } from './extract-record';

export type ExtractPhase = 'source' | 'datalake' | 'engine';

export class ExtractFailure extends Error {
  constructor(
    readonly phase: ExtractPhase,
    readonly code: string,
    readonly title: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Wraps a step so its errors are attributed to the right party. */
export async function inPhase<T>(phase: ExtractPhase, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ExtractFailure) throw error;
    throw classify(phase, error);
  }
}

function classify(phase: ExtractPhase, error: unknown): ExtractFailure {
  // The sources and datalake modules already say what happened and what to do.
  if (error instanceof SourceConnectError) {
    const { code, message, hint } = error.failure;
    return new ExtractFailure('source', code, 'Could not connect to the source', hint ? `${message} ${hint}` : message, { cause: error });
  }
  if (error instanceof UserQueryError) {
    return new ExtractFailure('source', error.code, 'The dataset query failed', error.message, { cause: error });
  }
  if (error instanceof TableNotFoundError) {
    return new ExtractFailure('source', 'source_schema_changed', 'The table is missing', error.message, { cause: error });
  }
  if (error instanceof DatalakeError) {
    return new ExtractFailure('datalake', error.code, 'The datalake refused a write', error.hint ? `${error.message} ${error.hint}` : error.message, { cause: error });
  }
  const cause = error as { code?: string; message?: string };
  const message = cause?.message ?? String(error);
  if (phase === 'source') {
    if (cause.code === '57014') return new ExtractFailure('source', 'source_query_timeout', 'The source query timed out', `The database cancelled the read: ${message}. Add an index on the cursor columns or raise the statement timeout.`, { cause: error });
    if (cause.code === '57P01' || /terminat|connection.*(lost|closed|ended)|ECONNRESET/i.test(message)) {
      return new ExtractFailure('source', 'source_connection_lost', 'The connection to the source was lost', `The database closed the connection during the read (${message}). The next run resumes from the last checkpoint.`, { cause: error });
    }
    if (cause.code === '28P01' || cause.code === '28000' || /password|authentication/i.test(message)) {
      return new ExtractFailure('source', 'source_auth_failed', 'The source refused the credentials', 'The database refused the username or password. Update the credentials of the source.', { cause: error });
    }
    if (cause.code === '42P01' || cause.code === '42703' || cause.code === 'ER_NO_SUCH_TABLE' || cause.code === 'ER_BAD_FIELD_ERROR') {
      return new ExtractFailure('source', 'source_schema_changed', 'A table or column is missing', `The source no longer has what the dataset reads: ${message}. Update the dataset or restore the column.`, { cause: error });
    }
    if (cause.code === '42501' || cause.code === 'ER_TABLEACCESS_DENIED_ERROR') {
      return new ExtractFailure('source', 'source_permission_denied', 'The source user may not read the table', `${message}. Grant SELECT on the table to the import user.`, { cause: error });
    }
    if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|timeout/i.test(message) || /^(ECONN|ENOT|EHOST|ETIMEDOUT)/.test(cause.code ?? '')) {
      return new ExtractFailure('source', 'source_unreachable', 'The source database is unreachable', `Could not connect to the database (${message}). Check that it is running and allows connections from the import service.`, { cause: error });
    }
    return new ExtractFailure('source', 'source_read_failed', 'Reading the source failed', message, { cause: error });
  }
  if (phase === 'datalake') {
    return new ExtractFailure('datalake', 'datalake_write_failed', 'Writing to the datalake failed', `The datalake refused a write (${message}). Check its bucket, credentials and free space.`, { cause: error });
  }
  return new ExtractFailure('engine', 'engine_error', 'The import engine failed', message, { cause: error });
}

const BLAME = { source: 'source', datalake: 'configuration', engine: 'engine' } as const;

export function toJobError(error: unknown): JobError {
  const failure = error instanceof ExtractFailure ? error : classify('engine', error);
  return {
    error_code: failure.code,
    title: failure.title,
    message: failure.message,
    blame: BLAME[failure.phase],
    documentation_url: `/docs/errors#${failure.code}`,
    // A short, secret-free trace: the error class and code of the cause, never its stack or values.
    trace: [failure.name, (failure.cause as { code?: string } | undefined)?.code].filter(Boolean).join(' '),
  };
}
