// Turns what went wrong in an extract into a JobFailure, saying whose move it is by the step that
// failed.
import type { JobError } from '../../lib/prequel/contract/job';
import { DatalakeError } from '../datalake/datalake-error';
import { JobFailure, jobErrorOf } from '../jobs/job-failure';
import { SourceConnectError } from '../sources/source-connect-error';
import { TableNotFoundError } from '../sources/table-not-found-error';
import { UserQueryError } from '../sources/user-query-error';

/**
 * The step of an extract that failed: reading the source, writing the datalake, or the engine's own
 * work. A datalake that refuses a write is misconfigured (its bucket, credentials, space): the
 * failure blames the configuration.
 */
export type ExtractPhase = 'source' | 'datalake' | 'engine';

/** Wraps a step so its errors are attributed to the right party. */
export async function inPhase<T>(phase: ExtractPhase, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof JobFailure) throw error;
    throw classify(phase, error);
  }
}

function classify(phase: ExtractPhase, error: unknown): JobFailure {
  // The sources and datalake modules already say what happened and what to do.
  if (error instanceof SourceConnectError) {
    const { code, message, hint } = error.failure;
    return new JobFailure(
      'source',
      code,
      'Could not connect to the source',
      hint ? `${message} ${hint}` : message,
      { cause: error },
    );
  }
  if (error instanceof UserQueryError) {
    return new JobFailure('source', error.code, 'The dataset query failed', error.message, {
      cause: error,
    });
  }
  if (error instanceof TableNotFoundError) {
    return new JobFailure(
      'source',
      'source_schema_changed',
      'The table is missing',
      error.message,
      { cause: error },
    );
  }
  if (error instanceof DatalakeError) {
    return new JobFailure(
      'configuration',
      error.code,
      'The datalake refused a write',
      error.hint ? `${error.message} ${error.hint}` : error.message,
      { cause: error },
    );
  }
  const cause = error as { code?: string; message?: string };
  const message = cause?.message ?? String(error);
  if (phase === 'source') {
    if (cause.code === '57014')
      return new JobFailure(
        'source',
        'source_query_timeout',
        'The source query timed out',
        `The database cancelled the read: ${message}. Add an index on the cursor columns or ` +
          `raise the statement timeout.`,
        { cause: error },
      );
    // pg answers "…not queryable" to a query on a connection the server closed while it was idle.
    if (
      cause.code === '57P01' ||
      /terminat|connection.*(lost|closed|ended)|ECONNRESET|not queryable/i.test(message)
    ) {
      return new JobFailure(
        'source',
        'source_connection_lost',
        'The connection to the source was lost',
        `The database closed the connection during the read (${message}). The next run resumes ` +
          `from the last checkpoint.`,
        { cause: error },
      );
    }
    if (
      cause.code === '28P01' ||
      cause.code === '28000' ||
      /password|authentication/i.test(message)
    ) {
      return new JobFailure(
        'source',
        'source_auth_failed',
        'The source refused the credentials',
        'The database refused the username or password. Update the credentials of the source.',
        { cause: error },
      );
    }
    if (
      cause.code === '42P01' ||
      cause.code === '42703' ||
      cause.code === 'ER_NO_SUCH_TABLE' ||
      cause.code === 'ER_BAD_FIELD_ERROR'
    ) {
      return new JobFailure(
        'source',
        'source_schema_changed',
        'A table or column is missing',
        `The source no longer has what the dataset reads: ${message}. Update the dataset or ` +
          `restore the column.`,
        { cause: error },
      );
    }
    if (cause.code === '42501' || cause.code === 'ER_TABLEACCESS_DENIED_ERROR') {
      return new JobFailure(
        'source',
        'source_permission_denied',
        'The source user may not read the table',
        `${message}. Grant SELECT on the table to the import user.`,
        { cause: error },
      );
    }
    if (
      /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|timeout/i.test(message) ||
      /^(ECONN|ENOT|EHOST|ETIMEDOUT)/.test(cause.code ?? '')
    ) {
      return new JobFailure(
        'source',
        'source_unreachable',
        'The source database is unreachable',
        `Could not connect to the database (${message}). Check that it is running and allows ` +
          `connections from the import service.`,
        { cause: error },
      );
    }
    return new JobFailure('source', 'source_read_failed', 'Reading the source failed', message, {
      cause: error,
    });
  }
  if (phase === 'datalake') {
    return new JobFailure(
      'configuration',
      'datalake_write_failed',
      'Writing to the datalake failed',
      `The datalake refused a write (${message}). Check its bucket, credentials and free space.`,
      { cause: error },
    );
  }
  return new JobFailure('engine', 'engine_error', 'The import engine failed', message, {
    cause: error,
  });
}

export function toJobError(error: unknown): JobError {
  return jobErrorOf(error instanceof JobFailure ? error : classify('engine', error), 'extract');
}
