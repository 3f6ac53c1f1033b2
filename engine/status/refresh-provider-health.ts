// Judges again the providers whose health may have changed since it was last judged (something it
// reads changed: migration 020's triggers say so; or time made data stale), with the rules of
// lib/prequel/contract/health/tenant-health.ts in SQL, and keeps the judgement in provider_health
// for the overview to read a page of.
import { HEALTH_SEVERITY } from '../../lib/prequel/contract/provider-health';
import {
  BLAMES_WITH_A_MOVE,
  KNOWN_ERROR_CODES,
  TEMPORARY_ERROR_CODES,
} from '../../lib/prequel/contract/health/whose-move';
import type { Queryable } from '../store/db';

/** Judgements in one read that bring the table's statistics up to date. */
const ANALYZE_AFTER = 1_000;

export const RFC3339 = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
/**
 * When a job reached its outcome, as lib/prequel/contract/health/run-history.ts's runTime reads it.
 */
const RUN_TIME = 'coalesce(e.ended_at, e.started_at, e.submitted_at)';
/**
 * Whether a failure passes by itself: lib/prequel/contract/health/whose-move.ts's passesByItself,
 * with its lists as $2–$4.
 */
const PASSES_BY_ITSELF = (error: string) =>
  `(${error} is null or (case when ${error}->>'error_code' = any($3::text[]) then ` +
  `${error}->>'error_code' = any($2::text[]) else not coalesce(${error}->>'blame', '') = ` +
  `any($4::text[]) end))`;

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
 * $1 now, $2 temporary codes, $3 known codes, $4 blames with a move, $5 the ids of the providers to
 * judge (`candidates`: changed since last judged, or judged for another time), their health and
 * broken_since (`judged`), and their problems (`problems`), ordered as tenant-health.ts lists them.
 */
const JUDGED = `
-- Given as an array, so that the planner knows how many there are: a few are read by index, all of
-- them by scans.
candidates as materialized (
  select p.id, p.name, c.changed from unnest($5::text[]) due(id)
  join providers p on p.id = due.id
  join provider_health_changes c on c.provider_id = due.id
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
-- Set-based (a correlated exists per provider would scan the rows above once per provider).
onboarding as (
  select c.id, c.name,
    case
      when sources.provider_id is null then 'connect_source'
      when datasets.provider_id is null then 'choose_data'
      when streams.provider_id is null then 'save_mapping'
      when not streams.live then 'launch'
    end as step
  from candidates c
  left join (select distinct provider_id from source_rows) sources on sources.provider_id = c.id
  left join (select distinct provider_id from dataset_rows) datasets on datasets.provider_id = c.id
  left join (
    select provider_id, bool_or(is_enabled or disabled_reason is not null or ever_loaded) as live
    from stream_rows group by provider_id
  ) streams on streams.provider_id = c.id
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

/**
 * When data turns stale (no longer fresh at two missed refreshes, in whole minutes): a judgement
 * holds from the last such moment passed to the next one to come.
 */
const WINDOWS = `
turns as (
  select provider_id, last_success_at + make_interval(mins => 2 * frequency_minutes + 1) as at
  from dataset_rows
  where newest_status is distinct from 'failed' and last_success_at is not null
    and frequency_minutes >= 0
),
windows as (
  select provider_id, max(at) filter (where at <= $1) as valid_from,
    min(at) filter (where at > $1) as valid_until
  from turns group by provider_id
)`;

/**
 * The newest job by creation of each dataset and stream when it failed, as the per-object path
 * reads extracts[0] and loads[0]: what the error groups count.
 */
const FAILURES = `
newest_failures as (
  select d.provider_id, e.error, coalesce(e.ended_at, e.submitted_at) as at, e.id
  from datasets d join candidates c on c.id = d.provider_id
  cross join lateral (select id, status, error, ended_at, submitted_at from extracts where
    dataset_id = d.id order by created_at desc, id desc limit 1) e
  where e.status = 'failed' and e.error is not null
  union all
  select s.provider_id, l.error, coalesce(l.ended_at, l.submitted_at), l.id
  from streams s join candidates c on c.id = s.provider_id
  cross join lateral (select id, status, error, ended_at, submitted_at from loads where
    stream_id = s.id order by created_at desc, id desc limit 1) l
  where l.status = 'failed' and l.error is not null
),
failures as (
  select provider_id, jsonb_agg(jsonb_build_object('error', error, 'at', ${RFC3339('at')})
    order by at desc, id) as failures
  from newest_failures group by provider_id
)`;

/**
 * Judges the providers due (see JUDGED) and saves their judgement, unless a newer one was saved
 * meanwhile; a provider changed while it was judged stays due. Returns how many were judged.
 */
export async function refreshProviderHealth(db: Queryable, now: Date): Promise<number> {
  const due = await db.query<{ provider_id: string }>(
    `select provider_id from provider_health_changes where changed > judged
     union
     select provider_id from provider_health where valid_until <= $1 or valid_from > $1`,
    [now.toISOString()],
  );
  if (!due.rows.length) return 0;
  const saved = await db.query(
    `with ${JUDGED}, ${WINDOWS}, ${FAILURES},
    problem_lists as (
      select p.provider_id, jsonb_agg(p.detail || jsonb_build_object('level', p.level, 'since',
        ${RFC3339('p.since')})
        order by (p.level = j.health) desc, p.part, p.created_at, p.object_id, p.step,
          p.position) as problems
      from problems p join judged j on j.id = p.provider_id and j.step is null
      group by p.provider_id
    ),
    saved as (
      insert into provider_health (provider_id, name, health, severity, broken_since,
        onboarding_step, problems, failures, judged, valid_from, valid_until)
      select j.id, j.name, j.health, j.severity, j.broken_since, j.step,
        coalesce(found.problems, '[]'::jsonb), f.failures, c.changed,
        coalesce(w.valid_from, '-infinity'), coalesce(w.valid_until, 'infinity')
      from judged j join candidates c on c.id = j.id
      left join windows w on w.provider_id = j.id
      left join failures f on f.provider_id = j.id
      left join problem_lists found on found.provider_id = j.id
      order by j.id
      on conflict (provider_id) do update set name = excluded.name, health = excluded.health,
        severity = excluded.severity, broken_since = excluded.broken_since,
        onboarding_step = excluded.onboarding_step, problems = excluded.problems,
        failures = excluded.failures, judged = excluded.judged, valid_from = excluded.valid_from,
        valid_until = excluded.valid_until
      where provider_health.judged <= excluded.judged
      returning provider_id, judged
    ),
    -- A provider whose change is still being written is left due (never waited for).
    unlocked as (
      select c.provider_id from provider_health_changes c
      where c.provider_id in (select provider_id from saved)
      for update skip locked
    )
    update provider_health_changes c set judged = greatest(c.judged, s.judged)
    from saved s where s.provider_id = c.provider_id
      and c.provider_id in (select provider_id from unlocked)`,
    [
      now.toISOString(),
      TEMPORARY_ERROR_CODES,
      [...KNOWN_ERROR_CODES],
      BLAMES_WITH_A_MOVE,
      due.rows.map((row) => row.provider_id),
    ],
  );
  const judged = saved.rowCount ?? 0;
  // After many judgements at once (the first read after a bulk import, or after an upgrade) the
  // planner's statistics would describe the table as it was until autovacuum comes by: a search
  // could then read every judgement in order instead of its few matches.
  if (judged >= ANALYZE_AFTER) await db.query('analyze provider_health');
  return judged;
}
