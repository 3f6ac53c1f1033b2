-- Destination limits shared by every engine on this database: a token bucket per destination (max_records_per_minute)
-- and a lease row per concurrency slot (max_concurrency). Rows are created on first use (engine/deliver/shared-throttle.ts).

create table destination_buckets (
  destination_id uuid primary key references destinations (id) on delete cascade,
  -- Negative while callers wait for records they have already reserved: each waits until its share has refilled.
  tokens double precision not null,
  refilled_at timestamptz not null
);

create table destination_leases (
  destination_id uuid not null references destinations (id) on delete cascade,
  slot int not null,
  -- A random id per acquisition, so a late release can never free a slot someone else has taken since.
  holder text,
  -- The holder renews its lease while it sends; a crashed engine stops renewing and the slot frees itself.
  expires_at timestamptz not null default '-infinity',
  primary key (destination_id, slot)
);
