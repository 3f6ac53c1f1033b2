-- The transformed records the ledger keeps for lineage, one compressed row per ledger write instead of a jsonb value
-- per record: building and storing a jsonb per record cost Postgres more than the rest of a load together.
-- `records` is a brotli-compressed JSON array; a stream_records row points at its record with (transformed_page,
-- transformed_index). `live` counts the rows that still point here: the ledger deletes a page when the last one is
-- overwritten. stream_records.transformed keeps what older versions wrote until that record is written again.
create table transformed_pages (
  id bigint generated always as identity primary key,
  stream_id uuid not null references streams (id) on delete cascade,
  records bytea not null,
  live int not null check (live > 0)
);
-- Already compressed: Postgres would only try again.
alter table transformed_pages alter column records set storage external;
create index transformed_pages_stream_idx on transformed_pages (stream_id);

alter table stream_records add column transformed_page bigint, add column transformed_index int;
