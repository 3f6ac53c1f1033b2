-- The management API: configuration objects, their encrypted secrets, and the audit log.
-- created_at uses clock_timestamp() so rows created in one transaction still sort in creation order.

create table datalakes (
  id uuid primary key,
  name text not null,
  body jsonb not null,
  secrets bytea,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default clock_timestamp()
);

create table destinations (
  id uuid primary key,
  name text not null,
  body jsonb not null,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default clock_timestamp()
);

create table products (
  id uuid primary key,
  name text not null unique,
  is_builtin boolean not null default false,
  body jsonb not null default '{}',
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default clock_timestamp()
);

create table product_destinations (
  product_id uuid not null references products (id) on delete cascade,
  destination_id uuid not null references destinations (id),
  position int not null,
  primary key (product_id, destination_id)
);
create index product_destinations_destination_idx on product_destinations (destination_id);

create table providers (
  id text primary key,
  name text not null,
  datalake_id uuid not null references datalakes (id),
  body jsonb not null,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default clock_timestamp()
);
create index providers_datalake_idx on providers (datalake_id);

create table provider_products (
  provider_id text not null references providers (id) on delete cascade,
  product_name text not null references products (name) on update cascade,
  position int not null,
  primary key (provider_id, product_name)
);
create index provider_products_product_idx on provider_products (product_name);

create table sources (
  id uuid primary key,
  provider_id text not null references providers (id),
  name text not null,
  vendor text not null,
  body jsonb not null,
  secrets bytea,
  is_reachable boolean,
  is_valid boolean,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default clock_timestamp()
);
create index sources_provider_idx on sources (provider_id, created_at, id);

create table datasets (
  id uuid primary key,
  source_id uuid not null references sources (id),
  provider_id text not null references providers (id),
  name text not null,
  body jsonb not null,
  -- The columns last seen at the source (get-schema or extract); null until known.
  columns jsonb,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default clock_timestamp()
);
create index datasets_source_idx on datasets (source_id);
create index datasets_provider_idx on datasets (provider_id, created_at, id);

create table streams (
  id uuid primary key,
  dataset_id uuid not null references datasets (id),
  destination_id uuid not null references destinations (id),
  provider_id text not null references providers (id),
  name text not null,
  body jsonb not null,
  is_valid boolean not null,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default clock_timestamp()
);
create index streams_dataset_idx on streams (dataset_id);
create index streams_destination_idx on streams (destination_id);
create index streams_provider_idx on streams (provider_id, created_at, id);

create table webhooks (
  id uuid primary key,
  body jsonb not null,
  secrets bytea,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default clock_timestamp()
);

create table audit_logs (
  id uuid primary key,
  created_at timestamptz not null default clock_timestamp(),
  event_type text not null,
  resource_id text not null,
  actor jsonb not null,
  object jsonb,
  previous_object jsonb
);
create index audit_logs_created_idx on audit_logs (created_at, id);
create index audit_logs_resource_idx on audit_logs (resource_id, created_at);

create index datalakes_created_idx on datalakes (created_at, id);
create index destinations_created_idx on destinations (created_at, id);
create index products_created_idx on products (created_at, id);
create index providers_created_idx on providers (created_at, id);
create index sources_created_idx on sources (created_at, id);
create index datasets_created_idx on datasets (created_at, id);
create index streams_created_idx on streams (created_at, id);
create index webhooks_created_idx on webhooks (created_at, id);

insert into products (id, name, is_builtin) values (gen_random_uuid(), 'all', true);
