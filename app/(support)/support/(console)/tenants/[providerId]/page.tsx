import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ApiUnavailable } from '@/components/session/session-required';
import { StatusBoard } from '@/components/status/status-board';
import { HealthBadge } from '@/components/support/health-badge';
import { TenantTimeline } from '@/components/support/tenant-timeline';
import { waitingRecordsText } from '@/lib/status/waiting-records';
import { loadTenant } from '@/lib/support/load-tenant';
import { healthOf } from '@/lib/support/load-tenants';
import { TenantActions } from './tenant-actions';
import { cn } from '@/lib/utils';

export const metadata: Metadata = { title: 'Tenant' };

export default async function TenantPage({ params }: { params: Promise<{ providerId: string }> }) {
  const { providerId } = await params;
  const tenant = await loadTenant(providerId);
  if (!tenant.ok && tenant.error.status === 404) notFound();
  if (!tenant.ok) return <ApiUnavailable error={tenant.error} audience="support" />;
  const { provider, status, audit } = tenant.data;
  const health = healthOf(status, new Date());
  return (
    <div className="flex flex-col gap-8">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{provider.name}</h1>
        <HealthBadge health={health.health} />
        <span className="text-sm text-muted-foreground">{provider.id}</span>
      </div>
      {health.reasons.length ? (
        <p className="text-sm text-muted-foreground">{health.reasons.join(' · ')}</p>
      ) : null}
      <section
        aria-labelledby="config-title"
        className="grid gap-4 rounded-xl border bg-card p-5 text-sm sm:grid-cols-3"
      >
        <h2 id="config-title" className="sr-only">
          Configuration
        </h2>
        <div>
          <h3 className="font-semibold">Sources</h3>
          <ul>
            {status.sources.map((source) => (
              <li key={source.id}>
                {source.name} ({source.vendor})
                {source.isReachable === false ? ' · unreachable' : ''}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3 className="font-semibold">Datasets</h3>
          <ul>
            {status.datasets.map((dataset) => (
              <li key={dataset.id}>
                {dataset.name} · every {dataset.frequencyMinutes} min
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3 className="font-semibold">Streams</h3>
          <ul>
            {status.streams.map((stream) => (
              <li key={stream.id}>
                {stream.name}
                {stream.isEnabled ? '' : ' · paused'}
                {stream.retry ? ` · ${waitingRecordsText(stream.retry, new Date())}` : ''}
              </li>
            ))}
          </ul>
        </div>
      </section>
      <TenantActions status={status} />
      <TenantTimeline
        tenantName={provider.name}
        status={status}
        audit={audit.ok ? audit.data.items : []}
        auditError={audit.ok ? null : audit.error.message}
      />
      <section
        aria-labelledby="customer-view-title"
        className="flex flex-col gap-4 rounded-xl border-2 border-dashed p-5"
      >
        <h2 id="customer-view-title" className="text-base font-semibold">
          What the customer sees (read-only)
        </h2>
        {/* A banner in the flow, not a watermark over the board: it never covers what it
            labels. */}
        <p
          role="note"
          className={cn(
            'self-start rounded-full border border-warning-border bg-warning-soft px-3 py-1',
            'text-xs font-semibold uppercase tracking-wide',
          )}
        >
          Support view · read-only
        </p>
        <StatusBoard
          endpoint={`/api/support/tenants/${encodeURIComponent(providerId)}/status`}
          readOnly
          initial={status}
        />
      </section>
    </div>
  );
}
