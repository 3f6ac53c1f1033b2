-- Extracts, the datalake manifest of each dataset, and the incremental cursor that advances with it.

create table extracts (
  id uuid primary key,
  dataset_id uuid not null references datasets (id) on delete cascade,
  status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  trigger text not null default 'api',
  submitted_at timestamptz not null default clock_timestamp(),
  started_at timestamptz,
  ended_at timestamptz,
  records_processed bigint not null default 0,
  records_new_inserted bigint not null default 0,
  records_existing_updated bigint not null default 0,
  records_existing_unchanged bigint not null default 0,
  records_existing_deleted bigint not null default 0,
  records_errored bigint not null default 0,
  rows_read bigint not null default 0,
  estimated_rows bigint,
  error jsonb,
  worker_id text,
  created_at timestamptz not null default clock_timestamp()
);
-- At most one extract per dataset is queued or running: a second trigger finds the first.
create unique index extracts_one_active_per_dataset on extracts (dataset_id) where status in ('queued', 'running');
create index extracts_dataset_idx on extracts (dataset_id, created_at, id);
create index extracts_created_idx on extracts (created_at, id);

-- Where change detection resumes; written in the same transaction as the files it covers.
create table dataset_state (
  dataset_id uuid primary key references datasets (id) on delete cascade,
  cursor jsonb,
  -- Version numbers of records: one per committed part, increasing.
  last_version bigint not null default 0,
  next_run_at timestamptz,
  last_success_at timestamptz,
  updated_at timestamptz not null default clock_timestamp()
);
create index dataset_state_next_run_idx on dataset_state (next_run_at);

-- The datalake objects that hold a dataset's records; an object not listed here is not visible.
create table dataset_files (
  dataset_id uuid not null references datasets (id) on delete cascade,
  key text not null,
  extract_id uuid not null,
  version bigint not null,
  row_count bigint not null,
  bytes bigint not null,
  created_at timestamptz not null default clock_timestamp(),
  primary key (dataset_id, key)
);
create index dataset_files_version_idx on dataset_files (dataset_id, version);

-- Engine processes that run jobs; a worker whose heartbeat stops has its jobs released to the others.
create table engine_workers (
  worker_id text primary key,
  started_at timestamptz not null default clock_timestamp(),
  heartbeat_at timestamptz not null default clock_timestamp()
);
