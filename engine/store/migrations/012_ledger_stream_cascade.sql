-- stream_records loses its foreign key to streams: the key was checked once per row, which cost a ledger write
-- (1,000 rows) more than the rows themselves. The ledger's write now takes the same lock on its stream once per page
-- (FOR KEY SHARE, as the key check did), writes nothing for a stream that is gone, and a statement trigger deletes a
-- deleted stream's rows as the cascade did.
alter table stream_records drop constraint stream_records_stream_id_fkey;

create function delete_stream_records() returns trigger language plpgsql as $$
begin
  delete from stream_records r using deleted_streams d where r.stream_id = d.id;
  return null;
end
$$;

create trigger streams_delete_records after delete on streams
  referencing old table as deleted_streams for each statement execute function delete_stream_records();
