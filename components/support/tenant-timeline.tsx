import type { AuditEntry } from '@/lib/prequel/audit-log';
import type { ProviderStatus } from '@/lib/status/load-status';

type Item = { at: Date; kind: 'extract' | 'load' | 'change'; title: string; detail: string };

const label = (eventType: string) =>
  eventType
    .replace(/^IMPORT_/, '')
    .replaceAll('_', ' ')
    .toLowerCase();

/** Extracts, loads and configuration changes of one tenant, newest first. */
export function TenantTimeline({
  status,
  audit,
  auditError,
}: {
  status: ProviderStatus;
  audit: AuditEntry[];
  auditError: string | null;
}) {
  const items: Item[] = [
    ...status.datasets.flatMap((dataset) =>
      dataset.extracts.map((extract) => ({
        at: new Date(extract.ended_at ?? extract.started_at ?? extract.submitted_at),
        kind: 'extract' as const,
        title: `Extract of ${dataset.name}: ${extract.status}`,
        detail: extract.error
          ? extract.error.message
          : `${extract.records_new_inserted} new, ${extract.records_existing_updated} updated, ` +
            `${extract.records_existing_deleted} deleted`,
      })),
    ),
    ...status.streams.flatMap((stream) =>
      stream.loads.map((load) => ({
        at: new Date(load.ended_at ?? load.started_at ?? load.submitted_at),
        kind: 'load' as const,
        title: `Load of ${stream.name}: ${load.status}`,
        detail: load.error
          ? load.error.message
          : `${load.records_loaded} delivered, ${load.records_errored} refused`,
      })),
    ),
    ...audit.map((entry) => ({
      at: new Date(entry.created_at),
      kind: 'change' as const,
      title: `${label(entry.event_type)}${entry.actor_label ? ` by ${entry.actor_label}` : ''}`,
      detail: entry.reason ? `Reason: ${entry.reason}` : '',
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());
  return (
    <section aria-labelledby="timeline-title" className="flex flex-col gap-3">
      <h2 id="timeline-title" className="text-base font-semibold">
        Timeline
      </h2>
      {auditError ? (
        <p className="text-sm text-warning">
          Configuration changes could not be read: {auditError}
        </p>
      ) : null}
      <ol className="flex flex-col divide-y rounded-xl border bg-card text-sm">
        {items.slice(0, 60).map((item, index) => (
          <li key={index} className="flex flex-wrap gap-x-4 px-4 py-2">
            <time
              dateTime={item.at.toISOString()}
              className="w-44 shrink-0 tabular-nums text-muted-foreground"
            >
              {item.at.toLocaleString('en')}
            </time>
            <span className="font-medium">{item.title}</span>
            {item.detail ? <span className="text-muted-foreground">{item.detail}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
