-- Loads (a stream's deliveries) and the per-stream delivery ledger.

create table loads (
  id uuid primary key,
  stream_id uuid not null references streams (id) on delete cascade,
  status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  trigger text not null default 'api',
  actor_id text,
  actor_type text,
  record_ids text[],
  submitted_at timestamptz not null default clock_timestamp(),
  started_at timestamptz,
  ended_at timestamptz,
  records_processed bigint not null default 0,
  records_transformed bigint not null default 0,
  records_valid bigint not null default 0,
  records_loaded bigint not null default 0,
  records_errored bigint not null default 0,
  error jsonb,
  worker_id text,
  created_at timestamptz not null default clock_timestamp()
);
-- At most one load per stream is queued or running.
create unique index loads_one_active_per_stream on loads (stream_id) where status in ('queued', 'running');
create index loads_stream_idx on loads (stream_id, created_at, id);
create index loads_created_idx on loads (created_at, id);

-- How far a stream has delivered its dataset: every record version at or below is settled (delivered or recorded
-- in stream_records with its error).
create table stream_state (
  stream_id uuid primary key references streams (id) on delete cascade,
  settled_version bigint not null default 0,
  updated_at timestamptz not null default clock_timestamp()
);

-- The latest outcome per record and stream: what lineage shows, and what retries pick up.
create table stream_records (
  stream_id uuid not null references streams (id) on delete cascade,
  record_id text not null,
  version bigint not null,
  status text not null check (status in ('delivered', 'transform_error', 'schema_error', 'rejected', 'retry')),
  transformed jsonb,
  error jsonb,
  attempts int not null default 0,
  load_id uuid,
  updated_at timestamptz not null default clock_timestamp(),
  primary key (stream_id, record_id)
);
create index stream_records_retry_idx on stream_records (stream_id) where status = 'retry';
