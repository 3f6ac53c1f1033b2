// One page of the table browser: the request, its keyset cursor (the last namespace and name seen),
// the result.
import { z } from 'zod';
import type { SourceTable } from '../../lib/prequel/contract/source-actions';
import { badRequest } from '../http/api-error';

export const TablesQuerySchema = z.object({
  namespace: z.string().min(1).max(255).optional(),
  search: z.string().trim().min(1).max(255).optional(),
  page_size: z.coerce.number().int().min(1).max(100).default(10),
  order: z.enum(['asc', 'desc']).default('asc'),
  cursor: z.string().max(1100).optional(),
});
export type TablesQuery = z.infer<typeof TablesQuerySchema>;

export interface TablePosition {
  namespace: string;
  name: string;
}

export interface TablePageRequest {
  namespace?: string;
  search?: string;
  pageSize: number;
  order: 'asc' | 'desc';
  after: TablePosition | null;
}

export interface TablePage {
  tables: SourceTable[];
  /** Where the next page starts, or null on the last page. */
  next: TablePosition | null;
}

const CursorSchema = z.object({ n: z.string().max(255), t: z.string().max(255) });

export function encodeTableCursor(position: TablePosition): string {
  return Buffer.from(JSON.stringify({ n: position.namespace, t: position.name })).toString(
    'base64url',
  );
}

export function toTablePageRequest(query: TablesQuery): TablePageRequest {
  return {
    namespace: query.namespace,
    search: query.search,
    pageSize: query.page_size,
    order: query.order,
    after: query.cursor ? decode(query.cursor) : null,
  };
}

function decode(cursor: string): TablePosition {
  try {
    const { n, t } = CursorSchema.parse(
      JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')),
    );
    return { namespace: n, name: t };
  } catch {
    throw badRequest(
      'invalid_cursor',
      'The cursor is not one this API issued: follow next_url from a previous page.',
      [{ path: 'cursor', message: 'is not a valid cursor' }],
    );
  }
}

/**
 * `%term%` for LIKE/ILIKE, with the term's own wildcards escaped (backslash is the default escape).
 */
export const likeContains = (term: string) => `%${term.replace(/[\\%_]/g, '\\$&')}%`;
