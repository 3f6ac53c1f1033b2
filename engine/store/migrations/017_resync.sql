-- (ext) Re-sync: an extract asked for with full_refresh reads the whole table again (from no cursor); a load of mode
-- 'redeliver' sends every current record again, and the ledger rows it writes say so (the tracer shows it).
alter table extracts add column full_refresh boolean not null default false;
alter table loads drop constraint loads_mode_check, add constraint loads_mode_check check (mode in ('pending', 'retry', 'redeliver'));
alter table stream_records add column redelivery boolean not null default false;
