import type { AuditEntry } from '@/lib/prequel/audit-log';
import type { ProviderStatus } from '@/lib/status/load-status';
import { changeTitle, extractWords, loadWords } from '@/lib/support/timeline-words';

type Item = { at: Date; kind: 'extract' | 'load' | 'change'; title: string; detail: string };

/** Extracts, loads and configuration changes of one tenant, newest first. */
export function TenantTimeline({
  tenantName,
  status,
  audit,
  auditError,
}: {
  tenantName: string;
  status: ProviderStatus;
  audit: AuditEntry[];
  auditError: string | null;
}) {
  const names = {
    tenant: tenantName,
    objects: new Map([...status.datasets, ...status.streams].map(({ id, name }) => [id, name])),
  };
  const items: Item[] = [
    ...status.datasets.flatMap((dataset) =>
      dataset.extracts.map((extract) => ({
        at: new Date(extract.ended_at ?? extract.started_at ?? extract.submitted_at),
        kind: 'extract' as const,
        ...extractWords(dataset.name, extract),
      })),
    ),
    ...status.streams.flatMap((stream) =>
      stream.loads.map((load) => ({
        at: new Date(load.ended_at ?? load.started_at ?? load.submitted_at),
        kind: 'load' as const,
        ...loadWords(stream.name, load),
      })),
    ),
    ...audit.map((entry) => ({
      at: new Date(entry.created_at),
      kind: 'change' as const,
      title: `${changeTitle(entry, names)}${entry.actor_label ? ` by ${entry.actor_label}` : ''}`,
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
