-- (ext) GET /import/status/providers judges every provider from each dataset's and stream's finished jobs: the newest,
-- the last success and the failures since, found by when they finished (as runTime reads it, in
-- lib/prequel/contract/health/run-history.ts).
create index extracts_dataset_finished_idx on extracts (dataset_id, (coalesce(ended_at, started_at, submitted_at)) desc)
  where status in ('succeeded', 'failed');
create index loads_stream_finished_idx on loads (stream_id, (coalesce(ended_at, started_at, submitted_at)) desc)
  where status in ('succeeded', 'failed');
