-- Records a load could not deliver (the endpoint unavailable) are retried on a schedule of their own
-- (engine/loads/retry-schedule.ts): the step the next retry uses and when it is due, per stream. A retry is a load
-- of mode 'retry' (only those records); 'pending' is every other load (what changed, or the ids asked for).
alter table stream_state add column retry_step int not null default 0, add column next_retry_at timestamptz;
create index stream_state_next_retry_idx on stream_state (next_retry_at) where next_retry_at is not null;
alter table loads add column mode text not null default 'pending' check (mode in ('pending', 'retry'));
