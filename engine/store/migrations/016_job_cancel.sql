-- (ext) When a cancel was asked for: a queued extract or load is cancelled at once; a running one stops at its next
-- checkpoint (a committed chunk, a sent page or request) with status 'cancelled'.
alter table extracts add column cancel_requested_at timestamptz;
alter table loads add column cancel_requested_at timestamptz;
