-- When the stream's current run of loads that could deliver nothing (its endpoint unavailable) began; null while
-- deliveries succeed. A run lasting the configured period disables the stream (engine/loads/failing-streams.ts).
alter table stream_state add column failing_since timestamptz;
