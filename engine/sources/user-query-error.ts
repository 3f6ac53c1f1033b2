// A customer's SQL that the database refused, or that ran out of time: the customer's to fix, never
// a 500.

export class UserQueryError extends Error {
  constructor(
    readonly code: 'invalid_query' | 'query_timeout',
    message: string,
    /** 1-based character of the query the database pointed at, when it did. */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'UserQueryError';
  }
}
