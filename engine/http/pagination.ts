// Keyset pagination over (created_at, id) with opaque cursors and a next_url that can be followed
// as is.
import type { Context } from 'hono';
import { z } from 'zod';
import type { ListQuery } from '../../lib/prequel/contract/common';
import type { Queryable } from '../store/db';
import { badRequest } from './api-error';

const CursorSchema = z.object({ t: z.string().max(64), i: z.string().max(256) });

export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify({ t: createdAt, i: id })).toString('base64url');
}

function decodeCursor(cursor: string): { t: string; i: string } {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw badRequest(
      'invalid_cursor',
      'The cursor is not one this API issued: follow next_url from a previous page.',
      [{ path: 'cursor', message: 'is not a valid cursor' }],
    );
  }
}

export interface PageRequest {
  table: string;
  idType: 'uuid' | 'text';
  /** Extra conditions, already parameterised from $1 upwards in order of `params`. */
  where: { sql: string; params: unknown[] }[];
  query: ListQuery;
}

export interface Page<Row> {
  rows: Row[];
  nextCursor: string | null;
}

export async function fetchPage<Row extends { id: string; created_at: string }>(
  db: Queryable,
  request: PageRequest,
): Promise<Page<Row>> {
  const params: unknown[] = [];
  const conditions: string[] = [];
  for (const condition of request.where) {
    const offset = params.length;
    conditions.push(condition.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`));
    params.push(...condition.params);
  }
  const descending = request.query.order === 'desc';
  if (request.query.cursor) {
    const cursor = decodeCursor(request.query.cursor);
    params.push(cursor.t, cursor.i);
    const op = descending ? '<' : '>';
    conditions.push(
      `(created_at, id) ${op} ($${params.length - 1}::timestamptz, ` +
        `$${params.length}::${request.idType})`,
    );
  }
  params.push(request.query.page_size + 1);
  const direction = descending ? 'desc' : 'asc';
  const sql = `select * from ${request.table}
    ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
    order by created_at ${direction}, id ${direction} limit $${params.length}`;
  let rows: Row[];
  try {
    rows = (await db.query<Row>(sql, params)).rows;
  } catch (error) {
    // A forged cursor with a malformed timestamp or id reaches Postgres; that is the caller's
    // mistake.
    if (
      (error as { code?: string }).code === '22007' ||
      (error as { code?: string }).code === '22P02'
    ) {
      throw badRequest(
        'invalid_cursor',
        'The cursor is not one this API issued: follow next_url from a previous page.',
        [{ path: 'cursor', message: 'is not a valid cursor' }],
      );
    }
    throw error;
  }
  const hasNext = rows.length > request.query.page_size;
  const pageRows = hasNext ? rows.slice(0, request.query.page_size) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    rows: pageRows,
    nextCursor: hasNext && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

/**
 * The URL of the next page: the request's own URL with the new cursor (and the effective page size
 * and order).
 */
export function nextUrl(
  c: Context,
  publicUrl: string | undefined,
  cursor: string | null,
  query: ListQuery,
): string | null {
  if (!cursor) return null;
  return pageUrl(c, publicUrl, { page_size: String(query.page_size), order: query.order, cursor });
}

/**
 * The request's own URL, on the public base when one is set, with `set` replacing its query
 * parameters of those names.
 */
export function pageUrl(
  c: Context,
  publicUrl: string | undefined,
  set: Record<string, string>,
): string {
  const requested = new URL(c.req.url);
  const base = publicUrl
    ? new URL(requested.pathname, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`)
    : requested;
  const url = new URL(base.pathname, base);
  for (const [key, value] of requested.searchParams) url.searchParams.set(key, value);
  for (const [key, value] of Object.entries(set)) url.searchParams.set(key, value);
  return url.toString();
}
