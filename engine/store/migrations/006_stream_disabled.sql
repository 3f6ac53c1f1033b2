-- Why the engine disabled a stream (its endpoint answered 410 Gone), and when. Null for a stream the engine never
-- disabled; cleared when the stream is enabled again.
alter table streams add column disabled_reason text, add column disabled_at timestamptz;
