// An expected failure the caller must fix (bad option, tables already there): the CLI prints only
// its message.
export class SampleDbError extends Error {
  override name = 'SampleDbError';
}
