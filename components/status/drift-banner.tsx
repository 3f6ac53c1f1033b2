import Link from 'next/link';
import { buttonVariants } from '@/components/ui/button';
import { driftNotes } from '@/lib/status/drift-notes';
import type { DatasetStatus, StreamStatus } from '@/lib/status/load-status';

/** A mapped column gone or retyped at the source: named with its fix before any delivery fails. */
export function DriftBanner({
  dataset,
  streams,
  readOnly,
}: {
  dataset: DatasetStatus;
  streams: StreamStatus[];
  readOnly: boolean;
}) {
  const notes = driftNotes(dataset.schemaDrift, dataset.name, streams);
  return notes.map((note) => (
    <div
      key={note.column}
      role="status"
      className={
        note.tone === 'danger'
          ? 'rounded-lg border border-danger-border bg-danger-soft p-3 text-sm'
          : 'rounded-lg border border-warning-border bg-warning-soft p-3 text-sm'
      }
    >
      <p
        className={
          note.tone === 'danger' ? 'font-semibold text-danger' : 'font-semibold text-warning'
        }
      >
        {note.title}
      </p>
      <p className="mt-1">{note.fix}</p>
      {readOnly ? null : (
        <div className="mt-2 flex flex-wrap gap-2">
          {note.remap.map((target) => (
            <Link
              key={target.destinationId}
              href={`/connect/map?destination=${target.destinationId}&dataset=${dataset.id}`}
              className={buttonVariants({ size: 'sm', variant: 'outline' })}
            >
              Remap {target.destinationName}
            </Link>
          ))}
        </div>
      )}
    </div>
  ));
}
