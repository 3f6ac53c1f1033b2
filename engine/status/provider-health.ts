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
import { foldHealthTallies, TALLIED_COUNTS } from './health-tallies';
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

type Row = Omit<ProviderHealth, 'id'> & {
  id: string | null;
  sort_name: string;
  counts: (Partial<HealthCounts> & { _rows?: number }) | null;
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
  // A part of the name or id, as a LIKE pattern (its own wildcards escaped), which the trigram
  // indexes of migration 023 serve.
  const search = request.search
    ? `%${request.search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`
    : null;
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
  const matches = '($1::text is null or lower(h.name) like $1 or lower(h.provider_id) like $1)';
  const direction = back ? 'desc' : 'asc';
  const order =
    `-h.severity ${direction}, coalesce(h.broken_since, 'infinity'::timestamptz) ${direction}, ` +
    `lower(h.name) ${direction}, h.provider_id ${direction}`;
  // Plain rows rather than a JSON aggregate (building the nested JSON in SQL costs more than the
  // query); one row with only the counts when the page is empty.
  const sql = `select counted.counts, page.* from (select ${
    search === null
      ? TALLIED_COUNTS
      : `(select jsonb_object_agg(health, n) from (select health, count(*) as n
          from provider_health h where ${matches} group by health) counted)`
  } as counts) counted
    left join lateral (
      select h.provider_id as id, h.name, h.health, h.severity,
        ${RFC3339('h.broken_since')} as broken_since, h.onboarding_step, h.problems,
        lower(h.name) as sort_name
      from provider_health h
      where ${matches} and ($2::int is null or -h.severity = $2)
        and ($3::int is null or ${key} ${back ? '<' : '>'} ($3::int, $4::timestamptz, $5::text,
          $6::text))
      order by ${order}
      limit $7
    ) page on true`;
  let found: Row[];
  try {
    found = (await db.query<Row>(sql, params)).rows;
  } catch (error) {
    // A forged cursor with a malformed timestamp reaches Postgres; that is the caller's mistake.
    if (['22007', '22008', '22P02'].includes((error as { code?: string }).code ?? ''))
      throw invalidCursor();
    throw error;
  }
  const { _rows: tallies, ...counts } = found[0]?.counts ?? {};
  if (tallies !== undefined) await foldHealthTallies(db, tallies);

  // Read in page order, or going back in reverse; the extra row is the one after the page (going
  // forward) or before it (going back).
  const read = found.filter((row) => row.id !== null);
  const more = read.length > request.pageSize;
  const rows = read.slice(0, request.pageSize);
  if (back) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const hasNext = back ? cursor !== null : more;
  const hasPrevious = back ? more : cursor !== null;
  const sortOf = (row: Row): Omit<Cursor, 'd'> => ({
    s: -row.severity,
    b: row.broken_since ?? 'infinity',
    n: row.sort_name,
    i: row.id!,
  });
  return {
    providers: rows.map(({ counts: _counts, sort_name: _name, id, ...provider }) => ({
      id: id!,
      ...provider,
    })),
    counts: { failing: 0, degraded: 0, onboarding_incomplete: 0, healthy: 0, ...counts },
    nextCursor: hasNext && last ? encodeCursor({ ...sortOf(last), d: 'next' }) : null,
    previousCursor: hasPrevious && first ? encodeCursor({ ...sortOf(first), d: 'previous' }) : null,
  };
}
