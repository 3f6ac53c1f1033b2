-- Every dataset has its schedule row (dataset_state) from its creation, due at once, so the
-- scheduler finds due datasets through dataset_state_next_run_idx instead of scanning every dataset
-- for one without a row (engine/extract/trigger-extract.ts, scheduleDueExtracts).
alter table dataset_state alter column next_run_at set default '-infinity';

create function dataset_state_schedule_new() returns trigger language plpgsql as $$
begin
  insert into dataset_state (dataset_id) select id from new_rows on conflict (dataset_id) do nothing;
  return null;
end $$;

create trigger dataset_state_schedule after insert on datasets referencing new table as new_rows
  for each statement execute function dataset_state_schedule_new();

insert into dataset_state (dataset_id)
select d.id from datasets d where not exists (select from dataset_state s where s.dataset_id = d.id);
