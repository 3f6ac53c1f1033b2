// The only way a customer's SQL reaches Postgres: one statement over the extended protocol, inside
// a read-only transaction with a statement timeout, read through a cursor. Never spliced into other
// SQL (COPY would run a stack).
import net from 'node:net';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { UserQueryError } from '../user-query-error';

export interface SqlField {
  name: string;
  dataTypeID: number;
  dataTypeModifier: number;
}

/**
 * A row as the database's text forms (null for SQL NULL), in column order: exactly what COPY would
 * have written.
 */
export type SqlRow = (string | null)[];

export interface SqlCursor {
  readonly fields: SqlField[];
  /** Row batches of at most `batchRows` rows; the transaction ends after the last one. */
  batches(): AsyncGenerator<SqlRow[]>;
  /** Ends the read early (or after an error): closes the portal and rolls the transaction back. */
  close(): Promise<void>;
}

export interface SqlCursorOptions {
  /**
   * Bounds the whole read, server-side (statement_timeout) and client-side (cancel) in case the
   * query disabled it.
   */
  timeoutMs: number;
  batchRows?: number;
}

const textTypes = { getTypeParser: () => (value: string) => value };
const CANCEL_GRACE_MS = 1_000;

// pg hands COPY responses to the active query; QueryStream has no handlers for them and the process
// would crash.
class GuardedQueryStream extends QueryStream {
  copyAttempted = false;

  handleCopyInResponse(connection: pg.Connection) {
    this.copyAttempted = true;
    (connection as unknown as { sendCopyFail(message: string): void }).sendCopyFail(
      'COPY is not allowed in a SQL dataset',
    );
  }

  handleCopyData() {
    if (this.copyAttempted) return;
    this.copyAttempted = true;
    this.destroy(
      new UserQueryError(
        'invalid_query',
        'COPY is not allowed in a SQL dataset: write a SELECT that returns the rows.',
      ),
    );
  }
}

export async function openSqlCursor(
  client: pg.Client,
  query: string,
  options: SqlCursorOptions,
): Promise<SqlCursor> {
  const batchRows = options.batchRows ?? 1000;
  await client.query('begin read only');
  let timedOut = false;
  let finished = false;
  let stream: GuardedQueryStream | null = null;
  const deadline = setTimeout(() => {
    timedOut = true;
    void cancelRunningQuery(client).finally(() => {
      // Still running after the cancel (the server never got it): drop the connection.
      setTimeout(() => {
        if (!finished) client.connection.stream.destroy();
      }, CANCEL_GRACE_MS).unref();
    });
  }, options.timeoutMs + CANCEL_GRACE_MS);
  deadline.unref();

  const end = async (outcome: 'commit' | 'rollback') => {
    if (finished) return;
    finished = true;
    clearTimeout(deadline);
    if (stream && !stream.destroyed)
      await new Promise<void>((resolve) => stream!.destroy().once('close', resolve));
    await client.query(outcome).catch(() => {});
  };
  const fail = async (error: unknown): Promise<never> => {
    await end('rollback');
    throw toUserQueryError(error, timedOut, options.timeoutMs);
  };

  try {
    // Text forms that round-trip exactly, whatever the role's defaults.
    await client.query(
      `set local statement_timeout = ${Math.max(1, Math.round(options.timeoutMs))}; set local ` +
        `TimeZone = 'UTC'; set local DateStyle = 'ISO, YMD'; ` +
        `set local IntervalStyle = 'iso_8601'; set local extra_float_digits = 3`,
    );
    stream = client.query(
      new GuardedQueryStream(query, [], {
        batchSize: batchRows,
        rowMode: 'array',
        types: textTypes,
      }),
    );
  } catch (error) {
    return fail(error);
  }
  const rows = stream[Symbol.asyncIterator]() as AsyncIterator<SqlRow>;
  const readBatch = async (): Promise<SqlRow[]> => {
    const batch: SqlRow[] = [];
    while (batch.length < batchRows) {
      const next = await rows.next();
      if (next.done) break;
      batch.push(next.value);
    }
    return batch;
  };

  // Reading the first batch surfaces the query's errors now, and gives the row description.
  let first: SqlRow[];
  try {
    first = await readBatch();
  } catch (error) {
    return fail(error);
  }
  const fields = (
    (stream as unknown as { _result: { fields: SqlField[] } })._result.fields ?? []
  ).map(({ name, dataTypeID, dataTypeModifier }) => ({
    name,
    dataTypeID,
    dataTypeModifier,
  }));

  return {
    fields,
    async *batches() {
      let complete = false;
      try {
        let batch = first;
        while (batch.length) {
          yield batch;
          if (batch.length < batchRows) break;
          batch = await readBatch();
        }
        complete = true;
      } catch (error) {
        await fail(error);
      } finally {
        // Also reached when the consumer stops iterating early.
        await end(complete ? 'commit' : 'rollback');
      }
    },
    close: () => end('rollback'),
  };
}

/** Postgres's CancelRequest on a separate connection to the same (vetted) address. */
function cancelRunningQuery(client: pg.Client): Promise<void> {
  const { processID, secretKey } = client as unknown as {
    processID: number | null;
    secretKey: number | null;
  };
  if (processID === null || secretKey === null) return Promise.resolve();
  return new Promise((resolve) => {
    const socket = net.connect({ host: client.host, port: client.port });
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(CANCEL_GRACE_MS, done);
    socket.once('error', done);
    socket.once('connect', () => {
      const packet = Buffer.alloc(16);
      packet.writeInt32BE(16, 0);
      packet.writeInt32BE(80877102, 4);
      packet.writeInt32BE(processID, 8);
      packet.writeInt32BE(secretKey, 12);
      socket.end(packet, done);
    });
  });
}

interface PgError {
  code?: string;
  message?: string;
  severity?: string;
  position?: string;
}

/**
 * The database's own words, with what to do about them; errors that are not the query's fault pass
 * through.
 */
export function toUserQueryError(error: unknown, timedOut: boolean, timeoutMs: number): Error {
  if (error instanceof UserQueryError) return error;
  const { code, message = '', severity, position } = (error ?? {}) as PgError;
  if (timedOut || code === '57014') {
    return new UserQueryError(
      'query_timeout',
      `The query did not finish within ${timeoutMs / 1000} s and was cancelled: make it cheaper ` +
        `(filter, aggregate less) or read fewer rows.`,
    );
  }
  if (!severity) return error as Error;
  const at = position ? ` (at character ${position})` : '';
  switch (code) {
    case '42601':
      if (/multiple commands/.test(message)) {
        return new UserQueryError(
          'invalid_query',
          'The query contains more than one statement: send a single SELECT, without semicolons ' +
            'between statements.',
        );
      }
      return new UserQueryError(
        'invalid_query',
        `The database rejected the query: ${message}${at}.`,
        position ? Number(position) : undefined,
      );
    case '25006':
    case '25001':
      return new UserQueryError(
        'invalid_query',
        `The database rejected the query: ${message}. SQL datasets only read: write a single ` +
          `SELECT.`,
      );
    case '42501':
      return new UserQueryError(
        'invalid_query',
        `The database rejected the query: ${message}. The source's user is not allowed to do this.`,
      );
    default:
      return new UserQueryError(
        'invalid_query',
        `The database rejected the query: ${message}${at}.`,
        position ? Number(position) : undefined,
      );
  }
}
