-- Credential headers of destinations (Authorization, Proxy-Authorization, *-Key, *-Token, or listed in
-- secret_headers) are write-only secrets: sealed in `secrets` like source passwords, never in `body`.
-- Rows written before keep their clear values in `body` until their next write seals them (the engine reads both,
-- and never returns or audits them); the encryption key is not available to SQL. Past audit entries are scrubbed
-- here: the values go, their names are listed in the template's secret_headers.
alter table destinations add column if not exists secrets bytea;

create function pg_temp.inlet_is_secret_header(name text) returns boolean language sql immutable as $$
  select name ~* '^(proxy-)?authorization$' or name ~* '-(key|token)$'
$$;

create function pg_temp.inlet_public_template(template jsonb) returns jsonb language sql immutable as $$
  select case
    when jsonb_typeof(template -> 'headers') is distinct from 'object'
      or not exists (select 1 from jsonb_object_keys(template -> 'headers') as name where pg_temp.inlet_is_secret_header(name))
      then template
    else template
      || jsonb_build_object(
        'headers', (select coalesce(jsonb_object_agg(h.key, h.value), '{}'::jsonb) from jsonb_each(template -> 'headers') as h where not pg_temp.inlet_is_secret_header(h.key)),
        'secret_headers', (
          select coalesce(jsonb_agg(distinct n.name), '[]'::jsonb)
          from (
            select h.key as name from jsonb_each(template -> 'headers') as h where pg_temp.inlet_is_secret_header(h.key)
            union
            select s.value as name from jsonb_array_elements_text(case when jsonb_typeof(template -> 'secret_headers') = 'array' then template -> 'secret_headers' else '[]'::jsonb end) as s
          ) as n
        )
      )
  end
$$;

create function pg_temp.inlet_public_destination(object jsonb) returns jsonb language sql immutable as $$
  select case
    when object is null or jsonb_typeof(object) <> 'object' then object
    else object
      || case when jsonb_typeof(object #> '{webhook_record,request_template}') = 'object'
           then jsonb_build_object('webhook_record', (object -> 'webhook_record') || jsonb_build_object('request_template', pg_temp.inlet_public_template(object #> '{webhook_record,request_template}')))
           else '{}'::jsonb end
      || case when jsonb_typeof(object #> '{webhook_batch,request_template}') = 'object'
           then jsonb_build_object('webhook_batch', (object -> 'webhook_batch') || jsonb_build_object('request_template', pg_temp.inlet_public_template(object #> '{webhook_batch,request_template}')))
           else '{}'::jsonb end
  end
$$;

update audit_logs
set object = pg_temp.inlet_public_destination(object), previous_object = pg_temp.inlet_public_destination(previous_object)
where event_type like 'IMPORT_DESTINATION_%';

drop function pg_temp.inlet_public_destination(jsonb);
drop function pg_temp.inlet_public_template(jsonb);
drop function pg_temp.inlet_is_secret_header(text);
