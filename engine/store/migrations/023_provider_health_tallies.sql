-- The overview's counts and error groups without reading every provider's health: statement
-- triggers on provider_health append what each change adds to the counts per health, and a random
-- bump whenever the failures or names the error groups read change. The counts are the sums of
-- the rows; equal sums of the bumps mean the same changes committed, so an engine keeps its
-- grouped failures while the sum stays the same. Appending never waits on a lock (a single counter
-- row would serialise every judgement); readers fold the rows into one now and then
-- (engine/status/health-tallies.ts).
create table provider_health_tallies (
  failing bigint not null default 0,
  degraded bigint not null default 0,
  onboarding_incomplete bigint not null default 0,
  healthy bigint not null default 0,
  failures_digest numeric not null default 0
);

insert into provider_health_tallies (failing, degraded, onboarding_incomplete, healthy)
select count(*) filter (where health = 'failing'), count(*) filter (where health = 'degraded'),
  count(*) filter (where health = 'onboarding_incomplete'),
  count(*) filter (where health = 'healthy')
from provider_health;

-- What a judgement contributes to the tallies.
create type provider_health_tally_row as (provider_id text, name text, health text,
  failures jsonb);

create function provider_health_tally(added provider_health_tally_row[],
  removed provider_health_tally_row[]) returns void language sql as $$
  with delta as (
    select sum(case when health = 'failing' then n end) as failing,
      sum(case when health = 'degraded' then n end) as degraded,
      sum(case when health = 'onboarding_incomplete' then n end) as onboarding_incomplete,
      sum(case when health = 'healthy' then n end) as healthy
    from (select health, 1 as n from unnest(added) union all
      select health, -1 from unnest(removed)) rows
  ),
  grouped_changed as (
    select exists (
      (select provider_id, name, failures from unnest(added) where failures is not null
       except all select provider_id, name, failures from unnest(removed) where failures is not null)
      union all
      (select provider_id, name, failures from unnest(removed) where failures is not null
       except all select provider_id, name, failures from unnest(added) where failures is not null)
    ) as changed
  )
  insert into provider_health_tallies (failing, degraded, onboarding_incomplete, healthy,
    failures_digest)
  select coalesce(failing, 0), coalesce(degraded, 0), coalesce(onboarding_incomplete, 0),
    coalesce(healthy, 0), case when changed then floor(random() * 2 ^ 52)::numeric + 1 else 0 end
  from delta, grouped_changed
  where changed or coalesce(failing, 0) <> 0 or coalesce(degraded, 0) <> 0
    or coalesce(onboarding_incomplete, 0) <> 0 or coalesce(healthy, 0) <> 0
$$;

create function provider_health_tally_inserted() returns trigger language plpgsql as $$
begin
  perform provider_health_tally(array(select row(provider_id, name, health, failures)::
    provider_health_tally_row from new_rows), '{}');
  return null;
end $$;

create function provider_health_tally_updated() returns trigger language plpgsql as $$
begin
  perform provider_health_tally(array(select row(provider_id, name, health, failures)::
    provider_health_tally_row from new_rows), array(select row(provider_id, name, health,
    failures)::provider_health_tally_row from old_rows));
  return null;
end $$;

create function provider_health_tally_deleted() returns trigger language plpgsql as $$
begin
  perform provider_health_tally('{}', array(select row(provider_id, name, health, failures)::
    provider_health_tally_row from old_rows));
  return null;
end $$;

create trigger provider_health_tally_insert after insert on provider_health
  referencing new table as new_rows
  for each statement execute function provider_health_tally_inserted();
create trigger provider_health_tally_update after update on provider_health
  referencing old table as old_rows new table as new_rows
  for each statement execute function provider_health_tally_updated();
create trigger provider_health_tally_delete after delete on provider_health
  referencing old table as old_rows
  for each statement execute function provider_health_tally_deleted();

-- Search by a part of the name or id through trigram indexes where the server has pg_trgm (a
-- contrib module most installations ship); without it the search reads every judgement.
do $$
begin
  create extension if not exists pg_trgm;
exception when others then
  raise notice 'pg_trgm is not available (%): the provider search scans', sqlerrm;
end $$;

do $$
begin
  if exists (select from pg_extension where extname = 'pg_trgm') then
    -- Without a pending list (fastupdate): entries added since the last vacuum would be read one
    -- by one on every search, and the planner, costing them, would scan the table instead.
    create index provider_health_name_trgm_idx on provider_health
      using gin (lower(name) gin_trgm_ops) with (fastupdate = off);
    create index provider_health_id_trgm_idx on provider_health
      using gin (lower(provider_id) gin_trgm_ops) with (fastupdate = off);
  end if;
end $$;
