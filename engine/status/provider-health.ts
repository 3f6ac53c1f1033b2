// Every provider's health in one set-based statement (the rules of
// lib/prequel/contract/health/tenant-health.ts, in SQL), searched, filtered and keyset-paged worst
// first; and the failures of every tenant grouped as lib/prequel/contract/health/error-groups.ts
// does.
import { z } from 'zod';
import {
  HEALTH_SEVERITY,
  type Health,
  type HealthCounts,
  type ProviderHealth,
} from '../../lib/prequel/contract/provider-health';
import {
  BLAMES_WITH_A_MOVE,
  KNOWN_ERROR_CODES,
  TEMPORARY_ERROR_CODES,
} from '../../lib/prequel/contract/health/whose-move';
import { badRequest } from '../http/api-error';
import type { Queryable } from '../store/db';

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

const RFC3339 = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
/**
 * When a job reached its outcome, as lib/prequel/contract/health/run-history.ts's runTime reads it.
 */
const RUN_TIME = 'coalesce(e.ended_at, e.started_at, e.submitted_at)';
/**
 * Whether a failure passes by itself: lib/prequel/contract/health/whose-move.ts's passesByItself,
 * with its lists as $3–$5.
 */
const PASSES_BY_ITSELF = (error: string) =>
  `(${error} is null or (case when ${error}->>'error_code' = any($4::text[]) then ` +
  `${error}->>'error_code' = any($3::text[]) else not coalesce(${error}->>'blame', '') = ` +
  `any($5::text[]) end))`;

/**
 * The newest finished job per dataset (extracts) or stream (loads); when it failed, the last
 * success and the failures since it. (A succeeded newest job is its own last success: no second
 * look.)
 */
function jobFacts(
  jobs: 'extracts' | 'loads',
  owner: 'dataset_id' | 'stream_id',
  ownerId: string,
): string {
  const finished =
    `from ${jobs} e where e.${owner} = ${ownerId} and e.status in ('succeeded', ` + `'failed')`;
  return `
    left join lateral (select e.status, e.error, e.records_errored, ${RUN_TIME} as at
      ${finished} order by ${RUN_TIME} desc limit 1) newest on true
    left join lateral (
      select ${RUN_TIME} as at ${finished} and e.status = 'succeeded' and newest.status =
        'failed' order by ${RUN_TIME} desc limit 1
    ) last_ok on true
    left join lateral (
      select count(*)::int as runs, min(${RUN_TIME}) as since ${finished} and e.status = 'failed'
        and newest.status = 'failed' and ${RUN_TIME} > coalesce(last_ok.at,
          '-infinity'::timestamptz)
    ) streak on true`;
}

/**
 * $1 now, $2 search (lower case) or null, $3 temporary codes, $4 known codes, $5 blames with a
 * move: the providers (`judged`) with their health and broken_since, and their problems
 * (`problems`), ordered as tenant-health.ts lists them.
 */
const JUDGED = `
candidates as materialized (
  select p.id, p.name from providers p
  where $2::text is null or strpos(lower(p.name), $2) > 0 or strpos(lower(p.id), $2) > 0
),
source_rows as (
  select s.id, s.provider_id, s.name, s.is_reachable, s.created_at from sources s join
    candidates c on c.id = s.provider_id
),
dataset_rows as materialized (
  select d.id, d.provider_id, d.name, d.created_at,
    coalesce((d.body->>'frequency_minutes')::int, 60) as frequency_minutes, d.schema_drift,
    newest.status as newest_status, newest.error as newest_error, newest.records_errored as
      newest_errored, newest.at as newest_at,
    coalesce(state.last_success_at, case when newest.status = 'succeeded' then newest.at end) as
      last_success_at, streak.runs, streak.since as streak_since
  from datasets d join candidates c on c.id = d.provider_id
  left join dataset_state state on state.dataset_id = d.id
  ${jobFacts('extracts', 'dataset_id', 'd.id')}
),
stream_rows as materialized (
  select st.id, st.provider_id, st.name, st.created_at,
    coalesce((st.body->>'is_enabled')::boolean, true) as is_enabled,
    st.disabled_reason, st.disabled_at,
    case when newest.status is not null then true else exists (select 1 from loads l where
      l.stream_id = st.id) end as ever_loaded,
    newest.status as newest_status, newest.error as newest_error, newest.records_errored as
      newest_errored, newest.at as newest_at,
    streak.runs, streak.since as streak_since, last_failed.at as last_failed_at
  from streams st join candidates c on c.id = st.provider_id
  ${jobFacts('loads', 'stream_id', 'st.id')}
  left join lateral (
    select ${RUN_TIME} as at from loads e where e.stream_id = st.id and st.disabled_reason is
      not null and e.status = 'failed'
    order by ${RUN_TIME} desc limit 1
  ) last_failed on true
),
problems as materialized (
  select provider_id, 0 as part, created_at, id::text as object_id, 0 as step, 0::bigint as
    position, 'degraded' as level, null::timestamptz as since,
    jsonb_build_object('kind', 'source_unreachable', 'object', jsonb_build_object('id', id,
      'name', name)) as detail
  from source_rows where is_reachable = false
  union all
  select provider_id, 1, created_at, id::text, 0, 0, case when
    ${PASSES_BY_ITSELF('newest_error')} then 'degraded' else 'failing' end, streak_since,
    jsonb_build_object('kind', 'extract_failed', 'object', jsonb_build_object('id', id, 'name',
      name), 'error', newest_error, 'runs', runs)
  from dataset_rows where newest_status = 'failed'
  union all
  -- A mapped column gone stops the deliveries that read it; one retyped may only refuse some
  -- records.
  select provider_id, 1, created_at, id::text, 1, drifted.position, case when
    drifted.value->>'change' = 'removed' then 'failing' else 'degraded' end, null,
    jsonb_build_object('kind', 'mapped_column_changed', 'object', jsonb_build_object('id', id,
      'name', name), 'column', drifted.value->>'name',
      'change', drifted.value->>'change', 'previous_type', drifted.value->'previous_type',
        'current_type', drifted.value->'current_type')
  from dataset_rows cross join lateral jsonb_array_elements(coalesce(schema_drift->'columns',
    '[]'::jsonb)) with ordinality as drifted(value, position)
  where newest_status is distinct from 'failed'
  union all
  select provider_id, 1, created_at, id::text, 2, 0, 'degraded', newest_at,
    jsonb_build_object('kind', 'rows_errored', 'object', jsonb_build_object('id', id, 'name',
      name), 'count', newest_errored)
  from dataset_rows where newest_status = 'succeeded' and newest_errored > 0
  union all
  -- Stale once the data is more than two refreshes old (whole minutes, as freshness.ts counts),
  -- since the second missed.
  select provider_id, 1, created_at, id::text, 3, 0, 'degraded', last_success_at +
    make_interval(mins => 2 * frequency_minutes),
    jsonb_build_object('kind', 'data_stale', 'object', jsonb_build_object('id', id, 'name', name),
      'last_success_at', ${RFC3339('last_success_at')}, 'frequency_minutes', frequency_minutes)
  from dataset_rows
  where newest_status is distinct from 'failed' and last_success_at is not null
    and floor(greatest(extract(epoch from $1::timestamptz - last_success_at), 0) / 60) > 2 *
      frequency_minutes
  union all
  select provider_id, 2, created_at, id::text, 0, 0, 'failing', coalesce(disabled_at,
    last_failed_at),
    jsonb_build_object('kind', 'stream_stopped', 'object', jsonb_build_object('id', id, 'name',
      name), 'disabled_reason', disabled_reason)
  from stream_rows where disabled_reason is not null
  union all
  select provider_id, 2, created_at, id::text, 0, 0, case when
    ${PASSES_BY_ITSELF('newest_error')} then 'degraded' else 'failing' end, streak_since,
    jsonb_build_object('kind', 'load_failed', 'object', jsonb_build_object('id', id, 'name',
      name), 'error', newest_error, 'runs', runs)
  from stream_rows where disabled_reason is null and is_enabled and newest_status = 'failed'
  union all
  select provider_id, 2, created_at, id::text, 0, 0, 'degraded', newest_at,
    jsonb_build_object('kind', 'records_errored', 'object', jsonb_build_object('id', id, 'name',
      name), 'count', newest_errored, 'error', newest_error)
  from stream_rows where disabled_reason is null and is_enabled and newest_status = 'succeeded'
    and newest_errored > 0
  union all
  -- Paused on purpose, but nothing reaches the SaaS.
  select provider_id, 3, null, '', 0, 0, 'degraded', null, jsonb_build_object('kind',
    'every_stream_paused')
  from stream_rows group by provider_id
  having not bool_or(disabled_reason is null and is_enabled) and not bool_or(disabled_reason is
    not null)
),
onboarding as (
  select c.id, c.name,
    case
      when not exists (select 1 from source_rows s where s.provider_id = c.id) then 'connect_source'
      when not exists (select 1 from dataset_rows d where d.provider_id = c.id) then 'choose_data'
      when not exists (select 1 from stream_rows t where t.provider_id = c.id) then 'save_mapping'
      when not exists (select 1 from stream_rows t where t.provider_id = c.id and (t.is_enabled
        or t.disabled_reason is not null or t.ever_loaded)) then 'launch'
    end as step
  from candidates c
),
aggregated as (
  select o.id, o.name, o.step, count(p.provider_id) as problem_count, bool_or(p.level =
    'failing') as any_failing,
    min(p.since) filter (where p.level = 'failing') as failing_since, min(p.since) as any_since
  from onboarding o left join problems p on p.provider_id = o.id and o.step is null
  group by o.id, o.name, o.step
),
judged as materialized (
  select id, name, step, health,
    case health when 'failing' then ${HEALTH_SEVERITY.failing} when 'degraded' then
      ${HEALTH_SEVERITY.degraded}
      when 'onboarding_incomplete' then ${HEALTH_SEVERITY.onboarding_incomplete} else
        ${HEALTH_SEVERITY.healthy} end as severity,
    broken_since
  from (
    select id, name, step,
      case when step is not null then 'onboarding_incomplete' when any_failing then 'failing'
        when problem_count > 0 then 'degraded' else 'healthy' end as health,
      case when step is not null then null when any_failing then failing_since else any_since
        end as broken_since
    from aggregated
  ) health
)`;

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
  const params: unknown[] = [
    request.now.toISOString(),
    request.search ? request.search.toLowerCase() : null,
    TEMPORARY_ERROR_CODES,
    [...KNOWN_ERROR_CODES],
    BLAMES_WITH_A_MOVE,
    request.health ?? null,
    cursor?.s ?? null,
    cursor?.b ?? null,
    cursor?.n ?? null,
    cursor?.i ?? null,
    request.pageSize + 1,
  ];
  // Every key ascending: -severity, broken_since with unknown as infinity, lower(name), id.
  const key = `(-severity, coalesce(broken_since, 'infinity'::timestamptz), lower(name), id)`;
  const direction = back ? 'desc' : 'asc';
  const sql = `with ${JUDGED},
    page as (
      select * from judged
      where ($6::text is null or health = $6)
        and ($7::int is null or ${key} ${back ? '<' : '>'} ($7::int, $8::timestamptz, $9::text,
          $10::text))
      order by -severity ${direction}, coalesce(broken_since, 'infinity'::timestamptz)
        ${direction}, lower(name) ${direction}, id ${direction}
      limit $11
    )
    select
      (select coalesce(jsonb_agg(jsonb_build_object(
          'id', page.id, 'name', page.name, 'health', page.health, 'severity', page.severity,
          'broken_since', ${RFC3339('page.broken_since')}, 'onboarding_step', page.step,
          'problems', coalesce(found.problems, '[]'::jsonb),
          'sort', jsonb_build_object('s', -page.severity, 'b',
            coalesce(${RFC3339('page.broken_since')}, 'infinity'), 'n', lower(page.name), 'i',
              page.id)
        ) order by -page.severity, coalesce(page.broken_since, 'infinity'::timestamptz),
          lower(page.name), page.id), '[]'::jsonb)
        from page
        left join lateral (
          select jsonb_agg(p.detail || jsonb_build_object('level', p.level, 'since',
            ${RFC3339('p.since')})
            order by (p.level = page.health) desc, p.part, p.created_at, p.object_id, p.step,
              p.position) as problems
          from problems p where p.provider_id = page.id and page.step is null
        ) found on true
      ) as providers,
      (select jsonb_object_agg(health, n) from (select health, count(*) as n from judged group
        by health) counted) as counts`;
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
