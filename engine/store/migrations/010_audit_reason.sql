-- (ext) Who acted and why as the caller said (X-Inlet-Actor, X-Inlet-Reason), and the tenant each entry is about, so
-- a tenant's timeline is one indexed query. Null provider_id: shared configuration (datalakes, destinations, ...).
alter table audit_logs add column actor_label text, add column reason text, add column provider_id text;

update audit_logs
set provider_id = case
  when event_type like 'IMPORT\_PROVIDER\_%' then resource_id
  else coalesce(object->>'provider_id', previous_object->>'provider_id')
end;

create index audit_logs_provider_idx on audit_logs (provider_id, created_at, id) where provider_id is not null;
