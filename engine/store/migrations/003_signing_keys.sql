-- The RSA key pair that signs deliveries and monitoring events; one active key shared by every engine.
create table signing_keys (
  id uuid primary key,
  public_key_pem text not null,
  -- The private key, sealed with the engine's encryption key (bound to this row).
  private_key bytea not null,
  is_active boolean not null default true,
  created_at timestamptz not null default clock_timestamp()
);
create unique index signing_keys_one_active on signing_keys (is_active) where is_active;
