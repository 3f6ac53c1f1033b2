-- A dataset's cache grows by a file per chunk of every extract that finds changes; compaction
-- (engine/extract/compact-files.ts) merges the files into one holding the latest version of each
-- record, sorted by record id, so that looking a few changed keys up reads a few row groups rather
-- than every file. A compacted file holds versions min_version..version (a plain file one version:
-- min_version is null). The files it replaces are superseded at once (new readers skip them) and
-- purged later (their objects deleted), once no reader that opened them can still be running; their
-- rows stay, recording when each version was extracted.
alter table dataset_files add column min_version bigint;
alter table dataset_files add column superseded_at timestamptz;
alter table dataset_files add column purged_at timestamptz;

create index dataset_files_live_idx on dataset_files (dataset_id, version)
  where superseded_at is null;
create index dataset_files_purge_idx on dataset_files (superseded_at)
  where superseded_at is not null and purged_at is null;
