// Pure: the SaaS's other customers, already onboarded, so the support console has tenants to
// triage.
import type { DemoDestinationKey } from './demo-destinations';

export interface DemoTenant {
  id: string;
  name: string;
  /**
   * Their own sample database (small: they are scenery), or none when onboarding stopped before
   * connecting.
   */
  source: { customers: number; seed: number } | null;
  /** The destinations they feed, each from its sample table, enabled. */
  feeds: DemoDestinationKey[];
  /** The SaaS's endpoint answers 500 to everything this tenant sends. */
  endpointFails: boolean;
}

export const OTHER_TENANTS: readonly DemoTenant[] = [
  {
    id: 'globex',
    name: 'Globex Corporation',
    source: { customers: 300, seed: 7 },
    feeds: ['users', 'accounts', 'orders'],
    endpointFails: false,
  },
  // Batch feeds only: a failing per-record feed would keep an engine worker busy retrying for
  // minutes per load.
  {
    id: 'initech',
    name: 'Initech',
    source: { customers: 100, seed: 11 },
    feeds: ['users', 'orders'],
    endpointFails: true,
  },
  { id: 'umbrella', name: 'Umbrella Health', source: null, feeds: [], endpointFails: false },
];

/**
 * A tenant's database and read-only user; `suffix` keeps parallel test runs on one server apart.
 */
export const tenantDatabase = (tenantId: string, suffix = '') => `${tenantId}_source${suffix}`;
export const tenantRole = (tenantId: string, suffix = '') => `${tenantId}_reader${suffix}`;
export const tenantPassword = (tenantId: string) => `${tenantId}-demo-password`;
