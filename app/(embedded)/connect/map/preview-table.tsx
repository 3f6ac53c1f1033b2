'use client';

import { useId, useState } from 'react';
import type { TargetField } from '@/lib/mapping/target-fields';
import type { Preview } from '@/lib/prequel/contract/records';
import { previewText, valueAt } from '@/lib/wizard/preview-cell';

type Props = {
  fields: TargetField[];
  recordIds: string[];
  preview: Preview | undefined;
  isFetching: boolean;
};

/** A long value cut short, with a button that shows all of it (and hides it again). */
function PreviewValue({ value }: { value: unknown }) {
  const [expanded, setExpanded] = useState(false);
  const id = useId();
  const text = previewText(value);
  if (!text.isCut) return <>{text.short}</>;
  return (
    <>
      <span id={id} className="break-all">
        {expanded ? text.full : text.short}
      </span>{' '}
      <button
        type="button"
        aria-expanded={expanded}
        aria-controls={id}
        className="whitespace-nowrap text-primary underline"
        onClick={() => setExpanded((current) => !current)}
      >
        {expanded ? 'Show less' : 'Show all'}
      </button>
    </>
  );
}

/**
 * The sampled records as the pipeline would send them, one column per target field. The table is
 * as wide as its columns and scrolls sideways inside a focusable region, so no column is squeezed
 * out of sight and a keyboard user can scroll it too.
 */
export function PreviewTable({ fields, recordIds, preview, isFetching }: Props) {
  return (
    <div
      role="region"
      aria-label={`Sample records, ${fields.length} fields (scrolls sideways)`}
      tabIndex={0}
      aria-busy={isFetching}
      className="overflow-x-auto rounded-xl border bg-card"
    >
      <table className="w-max min-w-full text-left text-xs">
        <caption className="sr-only">
          Sample records after the mapping; invalid values are marked.
        </caption>
        <thead className="border-b text-muted-foreground">
          <tr>
            {fields.map((field) => (
              <th
                key={field.path}
                scope="col"
                className="whitespace-nowrap px-3 py-2 font-mono font-medium"
              >
                {field.path}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {recordIds.map((recordId) => {
            // A record that fails is left out of the API's records and listed in its errors: show
            // both as one row.
            const record = preview?.records.find(
              (candidate) => String(candidate._prequel_record_id) === recordId,
            );
            const recordErrors =
              preview?.errors?.filter((candidate) => candidate.record_id === recordId) ?? [];
            if (!record && !recordErrors.length) {
              // An API without per-record errors (ext) leaves a failing record out and says no
              // more: the row says it fails, without the cell.
              if (!preview || preview.errors) return null;
              return (
                <tr key={recordId} className="border-b last:border-0">
                  <td colSpan={fields.length} className="bg-danger-soft px-3 py-2 text-danger">
                    Record {recordId} would not be delivered: the mapping or the schema refuses it
                    (this Import API does not say which field).
                  </td>
                </tr>
              );
            }
            return (
              <tr key={recordId} className="border-b last:border-0">
                {fields.map((field) => {
                  const cellError = recordErrors.find(
                    (candidate) => candidate.target_field === field.path,
                  );
                  return (
                    <td
                      key={field.path}
                      className={
                        cellError
                          ? 'max-w-80 bg-danger-soft px-3 py-2 align-top text-danger'
                          : 'max-w-80 px-3 py-2 align-top'
                      }
                    >
                      {record ? (
                        <PreviewValue value={valueAt(record, field.path)} />
                      ) : cellError ? null : (
                        '—'
                      )}
                      {cellError ? <span className="block">Error: {cellError.message}</span> : null}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
