import type { Metadata } from 'next';
import Link from 'next/link';
import { ApiUnavailable } from '@/components/session/session-required';
import { HealthBadge } from '@/components/support/health-badge';
import { inputClassName } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import { loadTenants } from '@/lib/support/load-tenants';

export const metadata: Metadata = { title: 'Tenants' };

const HEALTH_FILTERS = [
  { value: '', label: 'All' },
  { value: 'failing', label: 'Failing' },
  { value: 'degraded', label: 'Degraded' },
  { value: 'onboarding_incomplete', label: 'Onboarding incomplete' },
  { value: 'healthy', label: 'Healthy' },
] as const;

export default async function TenantsPage({ searchParams }: { searchParams: Promise<{ q?: string; health?: string }> }) {
  const { q = '', health = '' } = await searchParams;
  const overview = await loadTenants();
  if (!overview.ok) return <ApiUnavailable error={overview.error} audience="support" />;
  const needle = q.trim().toLowerCase();
  const shown = overview.data.tenants.filter(
    (tenant) => (!needle || tenant.name.toLowerCase().includes(needle) || tenant.id.toLowerCase().includes(needle)) && (!health || tenant.health.health === health),
  );
  const names = new Map(overview.data.tenants.map((tenant) => [tenant.id, tenant.name]));
  return (
    <div className="flex flex-col gap-8">
      <h1 className="text-2xl font-semibold tracking-tight">Tenants</h1>
      <form className="flex flex-wrap items-end gap-3" role="search">
        <div className="flex flex-col gap-1.5">
          <label htmlFor="tenant-search" className="text-sm font-medium">
            Search
          </label>
          <input id="tenant-search" name="q" defaultValue={q} className={inputClassName} placeholder="Name or id" />
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor="tenant-health" className="text-sm font-medium">
            Health
          </label>
          <select id="tenant-health" name="health" defaultValue={health} className={inputClassName}>
            {HEALTH_FILTERS.map((filter) => (
              <option key={filter.value} value={filter.value}>
                {filter.label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="outline">
          Apply
        </Button>
      </form>

      {overview.data.groups.length ? (
        <section aria-labelledby="groups-title" className="flex flex-col gap-3">
          <h2 id="groups-title" className="text-base font-semibold">
            Errors across tenants
          </h2>
          <ul className="flex flex-col divide-y rounded-xl border bg-card">
            {overview.data.groups.map((group) => (
              <li key={group.signature} className="flex flex-col gap-1 px-4 py-3 text-sm" aria-label={`Error group ${group.code}`}>
                <p>
                  <span className="font-mono font-medium">{group.code}</span> · {group.tenants.length} tenant{group.tenants.length === 1 ? '' : 's'} · last seen {group.lastSeen.toLocaleString('en')}
                </p>
                <p className="text-muted-foreground">{group.example}</p>
                <p>
                  {group.tenants.map((id, index) => (
                    <span key={id}>
                      {index ? ', ' : ''}
                      <Link href={`/support/tenants/${encodeURIComponent(id)}`} className="text-primary underline">
                        {names.get(id) ?? id}
                      </Link>
                    </span>
                  ))}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="tenants-title" className="flex flex-col gap-3">
        <h2 id="tenants-title" className="text-base font-semibold">
          {shown.length} of {overview.data.tenants.length} tenants{overview.data.complete ? '' : ' (the first 500)'}
        </h2>
        <div className="overflow-x-auto rounded-xl border bg-card">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Tenants, most severe first</caption>
            <thead className="border-b text-xs text-muted-foreground">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Tenant</th>
                <th scope="col" className="px-3 py-2 font-medium">Health</th>
                <th scope="col" className="px-3 py-2 font-medium">Broken since</th>
                <th scope="col" className="px-3 py-2 font-medium">Why</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((tenant) => (
                <tr key={tenant.id} className="border-b last:border-0">
                  <td className="px-3 py-2">
                    <Link href={`/support/tenants/${encodeURIComponent(tenant.id)}`} className="font-medium text-primary underline">
                      {tenant.name}
                    </Link>
                    <span className="block text-xs text-muted-foreground">{tenant.id}</span>
                  </td>
                  <td className="px-3 py-2">
                    <HealthBadge health={tenant.health.health} />
                  </td>
                  <td className="px-3 py-2 tabular-nums">{tenant.health.brokenSince ? tenant.health.brokenSince.toLocaleString('en') : '—'}</td>
                  <td className="px-3 py-2 text-muted-foreground">{tenant.health.reasons.join(' · ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
