// Every provider's health (the rules of lib/prequel/contract/health/tenant-health.ts, in SQL, kept
// judged by refresh-provider-health.ts), searched, filtered and keyset-paged worst first: one page
// and the counts read from provider_health, whatever the number of providers.
import { z } from 'zod';
import {
  HEALTH_SEVERITY,
  type Health,
  type HealthCounts,
  type ProviderHealth,
} from '../../lib/prequel/contract/provider-health';
import { badRequest } from '../http/api-error';
import type { Queryable } from '../store/db';
import { refreshProviderHealth, RFC3339 } from './refresh-provider-health';

/** A position in the order: after (or, going back, before) the provider with these sort keys. */
const CursorSchema = z.object({
  s: z.number().int().min(-3).max(0),
  b: z.string().max(64),
  n: z.string().max(1024),
  i: z.string().max(256),
  d: z.enum(['next', 'previous']),
});
type Cursor = z.infer<typeof CursorSchema>;

const invalidCursor = () =>
  badRequest(
    'invalid_cursor',
    'The cursor is not one this API issued: follow next_url or previous_url from a previous page.',
    [{ path: 'cursor', message: 'is not a valid cursor' }],
  );

export function decodeHealthCursor(cursor: string): Cursor {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalidCursor();
  }
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

export interface HealthPageRequest {
  /** The clock the rules judge staleness by (a test pins it). */
  now: Date;
  search?: string;
  health?: Health;
  pageSize: number;
  cursor?: string;
}

export interface HealthPage {
  providers: ProviderHealth[];
  counts: HealthCounts;
  nextCursor: string | null;
  previousCursor: string | null;
}

type Row = {
  providers: (ProviderHealth & { sort: Omit<Cursor, 'd'> })[];
  counts: Partial<HealthCounts> | null;
};

/**
 * One page of providers' health, worst first, then broken longest first (unknown last), then by
 * name and id.
 */
export async function readProviderHealth(
  db: Queryable,
  request: HealthPageRequest,
): Promise<HealthPage> {
  const cursor = request.cursor ? decodeHealthCursor(request.cursor) : null;
  const back = cursor?.d === 'previous';
  const search = request.search ? request.search.toLowerCase() : null;
  const params: unknown[] = [
    search,
    request.health === undefined ? null : -HEALTH_SEVERITY[request.health],
    cursor?.s ?? null,
    cursor?.b ?? null,
    cursor?.n ?? null,
    cursor?.i ?? null,
    request.pageSize + 1,
  ];
  await refreshProviderHealth(db, request.now);
  // Every key ascending, as provider_health_order_idx holds them: -severity, broken_since with
  // unknown as infinity, lower(name), id.
  const key =
    `(-h.severity, coalesce(h.broken_since, 'infinity'::timestamptz), lower(h.name), ` +
    `h.provider_id)`;
  const matches =
    '($1::text is null or strpos(lower(h.name), $1) > 0 or strpos(lower(h.provider_id), $1) > 0)';
  const direction = back ? 'desc' : 'asc';
  const order =
    `-h.severity ${direction}, coalesce(h.broken_since, 'infinity'::timestamptz) ${direction}, ` +
    `lower(h.name) ${direction}, h.provider_id ${direction}`;
  const sql = `select
      (select coalesce(jsonb_agg(jsonb_build_object(
          'id', page.provider_id, 'name', page.name, 'health', page.health,
          'severity', page.severity, 'broken_since', ${RFC3339('page.broken_since')},
          'onboarding_step', page.onboarding_step, 'problems', page.problems,
          'sort', jsonb_build_object('s', -page.severity, 'b',
            coalesce(${RFC3339('page.broken_since')}, 'infinity'), 'n', lower(page.name), 'i',
              page.provider_id)
        ) order by -page.severity, coalesce(page.broken_since, 'infinity'::timestamptz),
          lower(page.name), page.provider_id), '[]'::jsonb)
        from (
          select * from provider_health h
          where ${matches} and ($2::int is null or -h.severity = $2)
            and ($3::int is null or ${key} ${back ? '<' : '>'} ($3::int, $4::timestamptz,
              $5::text, $6::text))
          order by ${order}
          limit $7
        ) page
      ) as providers,
      (select jsonb_object_agg(health, n) from (select health, count(*) as n from provider_health h
        where ${matches} group by health) counted) as counts`;
  let row: Row;
  try {
    row = (await db.query<Row>(sql, params)).rows[0]!;
  } catch (error) {
    // A forged cursor with a malformed timestamp reaches Postgres; that is the caller's mistake.
    if (['22007', '22008', '22P02'].includes((error as { code?: string }).code ?? ''))
      throw invalidCursor();
    throw error;
  }

  // In page order either way; going back, the extra row is the one before the page, going forward
  // the one after it.
  const more = row.providers.length > request.pageSize;
  const rows = back ? row.providers.slice(more ? 1 : 0) : row.providers.slice(0, request.pageSize);
  const first = rows[0];
  const last = rows[rows.length - 1];
  const hasNext = back ? cursor !== null : more;
  const hasPrevious = back ? more : cursor !== null;
  return {
    providers: rows.map(({ sort: _sort, ...provider }) => provider),
    counts: { failing: 0, degraded: 0, onboarding_incomplete: 0, healthy: 0, ...row.counts },
    nextCursor: hasNext && last ? encodeCursor({ ...last.sort, d: 'next' }) : null,
    previousCursor: hasPrevious && first ? encodeCursor({ ...first.sort, d: 'previous' }) : null,
  };
}
