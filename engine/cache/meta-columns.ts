// The columns every cached Parquet file carries besides the source's: written by the extract's
// change detector, read by every reader of the cache.
export const META = {
  recordId: '_prequel_record_id',
  version: '_prequel_version',
  hash: '_prequel_hash',
  isDeleted: '_prequel_is_deleted',
} as const;
