// Turns the customer-fixable failures of source actions into the API's one error shape (422s, never
// 500s).
import { ApiError, unprocessable } from '../http/api-error';
import { SourceConnectError } from './source-connect-error';
import { TableNotFoundError } from './table-not-found-error';
import { UserQueryError } from './user-query-error';

export function toSourceActionError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof SourceConnectError) {
    const { message, hint, field } = error.failure;
    return unprocessable(
      'source_connection_failed',
      `Could not connect to the source: ${message}${hint ? ` ${hint}` : ''}`,
      [{ path: field ? `source.${field}` : 'source', message }],
    );
  }
  if (error instanceof UserQueryError) {
    return unprocessable(error.code, error.message, [
      {
        path: 'sql.query',
        message: error.position ? `error at character ${error.position}` : error.code,
      },
    ]);
  }
  if (error instanceof TableNotFoundError) {
    const path = error.namespaceExists ? 'table.source_table_name' : 'table.source_table_namespace';
    return unprocessable('table_not_found', error.message, [{ path, message: 'does not exist' }]);
  }
  return error;
}

/** Runs a source action, rethrowing its expected failures as API errors. */
export async function sourceAction<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toSourceActionError(error);
  }
}
