import type { Metadata } from 'next';
import Link from 'next/link';
import { ApiUnavailable } from '@/components/session/session-required';
import { HealthBadge } from '@/components/support/health-badge';
import { Button, buttonVariants } from '@/components/ui/button';
import { inputClassName } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import {
  DEFAULT_OVERVIEW_PAGE_SIZE,
  loadOverview,
  overviewQuery,
} from '@/lib/support/load-overview';
import { MAX_TENANTS } from '@/lib/support/load-tenants';

export const metadata: Metadata = { title: 'Tenants' };

const HEALTH_FILTERS = [
  { value: '', label: 'All' },
  { value: 'failing', label: 'Failing' },
  { value: 'degraded', label: 'Degraded' },
  { value: 'onboarding_incomplete', label: 'Onboarding incomplete' },
  { value: 'healthy', label: 'Healthy' },
] as const;

type SearchParams = { q?: string; health?: string; cursor?: string; size?: string };

export default async function TenantsPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const query = overviewQuery(await searchParams);
  const overview = await loadOverview(query);
  if (!overview.ok) return <ApiUnavailable error={overview.error} audience="support" />;
  const { tenants, groups, counts, nextCursor, previousCursor, source, complete } = overview.data;
  const matching = query.health
    ? counts[query.health]
    : counts.failing + counts.degraded + counts.onboarding_incomplete + counts.healthy;
  // The search, filter and page size go along from page to page; the cursor says where the page
  // starts.
  const pageHref = (cursor: string) => {
    const params = new URLSearchParams();
    if (query.search) params.set('q', query.search);
    if (query.health) params.set('health', query.health);
    if (query.pageSize !== DEFAULT_OVERVIEW_PAGE_SIZE) params.set('size', String(query.pageSize));
    params.set('cursor', cursor);
    return `/support?${params}`;
  };
  return (
    <div className="flex flex-col gap-8">
      <h1 className="text-2xl font-semibold tracking-tight">Tenants</h1>
      <form className="flex flex-wrap items-end gap-3" role="search">
        <div className="flex flex-col gap-1.5">
          <label htmlFor="tenant-search" className="text-sm font-medium">
            Search
          </label>
          <input
            id="tenant-search"
            name="q"
            defaultValue={query.search}
            className={inputClassName}
            placeholder="Name or id"
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor="tenant-health" className="text-sm font-medium">
            Health
          </label>
          <Select
            id="tenant-health"
            name="health"
            defaultValue={query.health ?? ''}
            options={HEALTH_FILTERS}
          />
        </div>
        {query.pageSize !== DEFAULT_OVERVIEW_PAGE_SIZE ? (
          <input type="hidden" name="size" value={query.pageSize} />
        ) : null}
        <Button type="submit" variant="outline">
          Apply
        </Button>
      </form>

      {source === 'per_tenant' ? (
        <p role="note" className="rounded-xl border bg-muted px-4 py-3 text-sm">
          This Import API has no status summaries, so the console reads each tenant&apos;s status
          itself: at most the first {MAX_TENANTS} tenants, searched and filtered here.
        </p>
      ) : null}

      {groups.length ? (
        <section aria-labelledby="groups-title" className="flex flex-col gap-3">
          <h2 id="groups-title" className="text-base font-semibold">
            Errors across tenants
          </h2>
          <ul className="flex flex-col divide-y rounded-xl border bg-card">
            {groups.map((group) => (
              <li
                key={group.signature}
                className="flex flex-col gap-1 px-4 py-3 text-sm"
                aria-label={`Error group: ${group.title}`}
              >
                <p>
                  <span className="font-medium">{group.title}</span>
                  {` · ${group.tenantCount} ${group.tenantCount === 1 ? 'tenant' : 'tenants'}`}
                  {' · last seen '}
                  {group.lastSeen.toLocaleString('en')}
                </p>
                <p className="text-muted-foreground">
                  {group.example} <span className="font-mono text-xs">({group.code})</span>
                </p>
                <p>
                  {group.tenants.map((tenant, index) => (
                    <span key={tenant.id}>
                      {index ? ', ' : ''}
                      <Link
                        href={`/support/tenants/${encodeURIComponent(tenant.id)}`}
                        className="text-primary underline"
                      >
                        {tenant.name}
                      </Link>
                    </span>
                  ))}
                  {group.tenantCount > group.tenants.length
                    ? ` and ${group.tenantCount - group.tenants.length} more`
                    : ''}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="tenants-title" className="flex flex-col gap-3">
        <h2 id="tenants-title" className="text-base font-semibold">
          {matching} tenant{matching === 1 ? '' : 's'}
          {query.search || query.health ? ' found' : ''}
          {complete ? '' : ` among the first ${MAX_TENANTS}`}
        </h2>
        <p className="text-sm text-muted-foreground" role="status">
          Showing {tenants.length} of {matching}
          {source === 'summaries' ? `, ${query.pageSize} per page` : ''}
        </p>
        <div className="overflow-x-auto rounded-xl border bg-card">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Tenants, most severe first</caption>
            <thead className="border-b text-xs text-muted-foreground">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Tenant
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Health
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Broken since
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Why
                </th>
              </tr>
            </thead>
            <tbody>
              {tenants.map((tenant) => (
                <tr key={tenant.id} className="border-b last:border-0">
                  <td className="px-3 py-2">
                    <Link
                      href={`/support/tenants/${encodeURIComponent(tenant.id)}`}
                      className="font-medium text-primary underline"
                    >
                      {tenant.name}
                    </Link>
                    <span className="block text-xs text-muted-foreground">{tenant.id}</span>
                  </td>
                  <td className="px-3 py-2">
                    <HealthBadge health={tenant.health.health} />
                  </td>
                  <td className="px-3 py-2 tabular-nums">
                    {tenant.health.brokenSince
                      ? tenant.health.brokenSince.toLocaleString('en')
                      : '—'}
                  </td>
                  <td className="px-3 py-2 text-muted-foreground">
                    {tenant.health.reasons.join(' · ') || '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {previousCursor || nextCursor ? (
          <nav aria-label="Pages" className="flex gap-3">
            {previousCursor ? (
              <Link
                href={pageHref(previousCursor)}
                className={buttonVariants({ variant: 'outline', size: 'sm' })}
              >
                Previous page
              </Link>
            ) : null}
            {nextCursor ? (
              <Link
                href={pageHref(nextCursor)}
                className={buttonVariants({ variant: 'outline', size: 'sm' })}
              >
                Next page
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
