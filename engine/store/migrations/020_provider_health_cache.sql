-- (ext) GET /import/status/providers reads every provider's health from provider_health, judged
-- ahead of time (engine/status/refresh-provider-health.ts), instead of judging every dataset's and
-- stream's history on each request: the overview reads one page and the counts, whatever the number
-- of tenants. The triggers below bump a provider's `changed` whenever something its health reads
-- changes; the next read judges again the providers whose `changed` is past what was `judged`, and
-- those whose judgement has expired (data turns stale as time passes: valid_from/valid_until).
create sequence provider_health_change_seq;

create table provider_health_changes (
  provider_id text primary key references providers (id) on delete cascade,
  changed bigint not null,
  judged bigint not null default 0
);
create index provider_health_changes_pending_idx on provider_health_changes (provider_id)
  where changed > judged;

create table provider_health (
  provider_id text primary key references providers (id) on delete cascade,
  name text not null,
  health text not null,
  severity int not null,
  broken_since timestamptz,
  onboarding_step text,
  -- In the order the API lists them, each with its level and since.
  problems jsonb not null,
  -- The newest job of each dataset and stream when it failed ({error, at}), for the error groups.
  failures jsonb,
  -- The provider_health_changes.changed this judgement saw.
  judged bigint not null,
  -- The judgement holds while valid_from <= now < valid_until.
  valid_from timestamptz not null,
  valid_until timestamptz not null
);
-- The overview's order: worst first, broken longest first (unknown last), then name and id.
create index provider_health_order_idx on provider_health
  ((-severity), (coalesce(broken_since, 'infinity'::timestamptz)), (lower(name)), provider_id);
create index provider_health_valid_from_idx on provider_health (valid_from);
create index provider_health_valid_until_idx on provider_health (valid_until);
create index provider_health_failures_idx on provider_health (provider_id)
  where failures is not null;

create function provider_health_touch(provider text) returns void language sql as $$
  insert into provider_health_changes (provider_id, changed)
  select provider, nextval('provider_health_change_seq') where provider is not null
  on conflict (provider_id) do update set changed = excluded.changed
$$;

create function provider_health_touch_provider() returns trigger language plpgsql as $$
begin
  perform provider_health_touch(new.id);
  return null;
end $$;

-- Rows that carry their provider_id (sources, datasets, streams).
create function provider_health_touch_row() returns trigger language plpgsql as $$
begin
  if tg_op <> 'INSERT' then
    perform provider_health_touch(old.provider_id);
  end if;
  if tg_op <> 'DELETE' then
    perform provider_health_touch(new.provider_id);
  end if;
  return null;
end $$;

-- Rows of a dataset (dataset_state, extracts); a dataset deleted has touched its provider itself.
create function provider_health_touch_dataset() returns trigger language plpgsql as $$
begin
  if tg_op <> 'INSERT' then
    perform provider_health_touch((select provider_id from datasets where id = old.dataset_id));
  end if;
  if tg_op <> 'DELETE' then
    perform provider_health_touch((select provider_id from datasets where id = new.dataset_id));
  end if;
  return null;
end $$;

-- Loads, rows of a stream.
create function provider_health_touch_stream() returns trigger language plpgsql as $$
begin
  if tg_op <> 'INSERT' then
    perform provider_health_touch((select provider_id from streams where id = old.stream_id));
  end if;
  if tg_op <> 'DELETE' then
    perform provider_health_touch((select provider_id from streams where id = new.stream_id));
  end if;
  return null;
end $$;

-- New rows, once per statement (a bulk insert touches each provider once, not once per row).
create function provider_health_touch_new_rows() returns trigger language plpgsql as $$
begin
  perform provider_health_touch(provider_id) from (select distinct provider_id from new_rows)
    touched;
  return null;
end $$;

create function provider_health_touch_new_dataset_rows() returns trigger language plpgsql as $$
begin
  perform provider_health_touch(provider_id) from (select distinct d.provider_id from new_rows n
    join datasets d on d.id = n.dataset_id) touched;
  return null;
end $$;

create function provider_health_touch_new_loads() returns trigger language plpgsql as $$
begin
  perform provider_health_touch(provider_id) from (select distinct s.provider_id from new_rows n
    join streams s on s.id = n.stream_id) touched;
  return null;
end $$;

create trigger provider_health_insert after insert on providers
  for each row execute function provider_health_touch_provider();
create trigger provider_health_update after update on providers
  for each row when (old.name is distinct from new.name)
  execute function provider_health_touch_provider();

create trigger provider_health_insert after insert on sources referencing new table as new_rows
  for each statement execute function provider_health_touch_new_rows();
create trigger provider_health_delete after delete on sources
  for each row execute function provider_health_touch_row();
create trigger provider_health_update after update on sources
  for each row when ((old.provider_id, old.name, old.is_reachable, old.created_at)
    is distinct from (new.provider_id, new.name, new.is_reachable, new.created_at))
  execute function provider_health_touch_row();

create trigger provider_health_insert after insert on datasets referencing new table as new_rows
  for each statement execute function provider_health_touch_new_rows();
create trigger provider_health_delete after delete on datasets
  for each row execute function provider_health_touch_row();
create trigger provider_health_update after update on datasets
  for each row when ((old.provider_id, old.name, old.created_at, old.schema_drift,
    old.body->>'frequency_minutes') is distinct from (new.provider_id, new.name, new.created_at,
    new.schema_drift, new.body->>'frequency_minutes'))
  execute function provider_health_touch_row();

create trigger provider_health_insert after insert on streams referencing new table as new_rows
  for each statement execute function provider_health_touch_new_rows();
create trigger provider_health_delete after delete on streams
  for each row execute function provider_health_touch_row();
create trigger provider_health_update after update on streams
  for each row when ((old.provider_id, old.name, old.created_at, old.disabled_reason,
    old.disabled_at, old.body->>'is_enabled') is distinct from (new.provider_id, new.name,
    new.created_at, new.disabled_reason, new.disabled_at, new.body->>'is_enabled'))
  execute function provider_health_touch_row();

create trigger provider_health_insert after insert on dataset_state
  referencing new table as new_rows
  for each statement execute function provider_health_touch_new_dataset_rows();
create trigger provider_health_delete after delete on dataset_state
  for each row execute function provider_health_touch_dataset();
create trigger provider_health_update after update on dataset_state
  for each row when (old.last_success_at is distinct from new.last_success_at)
  execute function provider_health_touch_dataset();

-- A job matters once finished (health reads finished jobs; the error groups, the newest job, read
-- only failed ones): its progress while queued or running does not.
create trigger provider_health_insert after insert on extracts
  referencing new table as new_rows
  for each statement execute function provider_health_touch_new_dataset_rows();
create trigger provider_health_delete after delete on extracts
  for each row execute function provider_health_touch_dataset();
create trigger provider_health_update after update on extracts
  for each row when ((old.status in ('succeeded', 'failed') or new.status in ('succeeded',
    'failed')) and (old.dataset_id, old.status, old.error, old.records_errored, old.submitted_at,
    old.started_at, old.ended_at, old.created_at) is distinct from (new.dataset_id, new.status,
    new.error, new.records_errored, new.submitted_at, new.started_at, new.ended_at,
    new.created_at))
  execute function provider_health_touch_dataset();

create trigger provider_health_insert after insert on loads
  referencing new table as new_rows
  for each statement execute function provider_health_touch_new_loads();
create trigger provider_health_delete after delete on loads
  for each row execute function provider_health_touch_stream();
create trigger provider_health_update after update on loads
  for each row when ((old.status in ('succeeded', 'failed') or new.status in ('succeeded',
    'failed')) and (old.stream_id, old.status, old.error, old.records_errored, old.submitted_at,
    old.started_at, old.ended_at, old.created_at) is distinct from (new.stream_id, new.status,
    new.error, new.records_errored, new.submitted_at, new.started_at, new.ended_at,
    new.created_at))
  execute function provider_health_touch_stream();

-- Every provider is judged at the first read.
insert into provider_health_changes (provider_id, changed)
select id, nextval('provider_health_change_seq') from providers;
