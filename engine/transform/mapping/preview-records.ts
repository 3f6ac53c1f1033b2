// Pure: the body of test-stream and test-transform: the requested records, transformed, in request order;
// a record that fails appears only among the errors, and so does an id the cache does not hold.
import type { CompiledTransform, FieldError, PreviewColumn, SourceRecord } from './compile-mappings';

export type PreviewError = Omit<FieldError, 'stage'> & { record_id: string; stage: FieldError['stage'] | 'extract' };
export type Preview = { schema: PreviewColumn[]; records: Record<string, unknown>[]; errors: PreviewError[] };

export const RECORD_ID_FIELD = '_prequel_record_id';

export function previewRecords(transform: CompiledTransform, recordIds: readonly string[], cached: readonly SourceRecord[], now: Date): Preview {
  const byId = new Map(cached.map((record) => [record.recordId, record]));
  const records: Record<string, unknown>[] = [];
  const errors: PreviewError[] = [];
  for (const recordId of new Set(recordIds)) {
    const source = byId.get(recordId);
    if (!source) {
      errors.push({ record_id: recordId, stage: 'extract', message: "no record with this id in the dataset's cache" });
      continue;
    }
    const result = transform.apply(source, { now });
    if (result.ok) records.push({ [RECORD_ID_FIELD]: recordId, ...result.record });
    else errors.push(...result.errors.map((error) => ({ record_id: recordId, ...error })));
  }
  return { schema: transform.schema, records, errors };
}
