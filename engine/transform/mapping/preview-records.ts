// The body of test-stream and test-transform: the requested records, transformed, in request order;
// a record that fails appears only among the errors, and so does an id the cache does not hold.
// Previews run on the engine's event loop, so they work in slices between which other requests are
// answered, and stop at a time budget.
import type {
  CompiledTransform,
  FieldError,
  PreviewColumn,
  SourceRecord,
} from './compile-mappings';
import { nextTurn } from './next-turn';

export type PreviewError = Omit<FieldError, 'stage'> & {
  record_id: string;
  stage: FieldError['stage'] | 'extract';
};
export type Preview = {
  schema: PreviewColumn[];
  records: Record<string, unknown>[];
  errors: PreviewError[];
};

export const RECORD_ID_FIELD = '_prequel_record_id';

/**
 * The time one preview may take; each record also has its own budget (100 ms, see
 * CompiledTransform.apply).
 */
export const defaultPreviewMilliseconds = 3_000;
/** Work done before letting other requests in. */
const sliceMilliseconds = 10;

export type PreviewOptions = {
  /** The clock of now() and TODAY(), the same for every record. */
  now: Date;
  /** Wall-clock time for the whole preview; records not reached by then report that instead. */
  maxMilliseconds?: number;
  /** Waits for the event loop's next turn (tests pass their own). */
  takeTurn?: () => Promise<void>;
};

export async function previewRecords(
  transform: CompiledTransform,
  recordIds: readonly string[],
  cached: readonly SourceRecord[],
  options: PreviewOptions,
): Promise<Preview> {
  const { now, maxMilliseconds = defaultPreviewMilliseconds, takeTurn = nextTurn } = options;
  const started = performance.now();
  // Even the first slice waits its turn: previews that start together must not run their first
  // records back to back.
  let sliceStarted = -Infinity;
  let outOfTime = false;
  const byId = new Map(cached.map((record) => [record.recordId, record]));
  const records: Record<string, unknown>[] = [];
  const errors: PreviewError[] = [];
  for (const recordId of new Set(recordIds)) {
    const source = byId.get(recordId);
    if (!source) {
      errors.push({
        record_id: recordId,
        stage: 'extract',
        message: "no record with this id in the dataset's cache",
      });
      continue;
    }
    if (!outOfTime && performance.now() - sliceStarted >= sliceMilliseconds) {
      await takeTurn();
      sliceStarted = performance.now();
      outOfTime = sliceStarted - started > maxMilliseconds;
    }
    if (outOfTime) {
      errors.push({
        record_id: recordId,
        stage: 'transform',
        message:
          `not transformed: the preview took longer than its time budget of ` +
          `${maxMilliseconds} ms before it reached this record`,
        fix:
          'preview fewer records at once, or simplify the expressions the earlier records ' +
          'report as taking too long',
      });
      continue;
    }
    const result = transform.apply(source, { now });
    if (result.ok) records.push({ [RECORD_ID_FIELD]: recordId, ...result.record });
    else errors.push(...result.errors.map((error) => ({ record_id: recordId, ...error })));
  }
  return { schema: transform.schema, records, errors };
}
