import { describe, expect, test } from 'vitest';
import { HEALTH_SEVERITY } from '../provider-health';
import { at } from './fixtures.test-helpers';
import { compareTenants, tenantHealth, type TenantHealth } from './tenant-health';
import { TENANT_HEALTH_CASES } from './tenant-health-cases.test-helpers';

// The cases are shared with the engine, whose SQL must judge each one alike (engine/status/provider-health.test.ts).
describe('tenantHealth', () => {
  test.each(TENANT_HEALTH_CASES)('$name', ({ input, expected }) => {
    expect(tenantHealth(input)).toMatchObject(expected);
  });
});

describe('compareTenants', () => {
  const row = (name: string, health: TenantHealth['health'], brokenMinutesAgo: number | null) => ({
    name,
    health: {
      health,
      severity: HEALTH_SEVERITY[health],
      brokenSince: brokenMinutesAgo === null ? null : at(brokenMinutesAgo),
      reasons: [],
    },
  });

  test('worst first, then broken longest first, unknown starts last', () => {
    const rows = [
      row('fine', 'healthy', null),
      row('new', 'onboarding_incomplete', null),
      row('slow', 'degraded', 30),
      row('down an hour', 'failing', 60),
      row('down, since unknown', 'failing', null),
      row('down a day', 'failing', 1440),
      row('slow for days', 'degraded', 4000),
    ];
    expect(rows.sort((a, b) => compareTenants(a.health, b.health)).map((r) => r.name)).toEqual([
      'down a day',
      'down an hour',
      'down, since unknown',
      'slow for days',
      'slow',
      'new',
      'fine',
    ]);
  });

  test('two tenants broken since an unknown time are equal', () => {
    expect(
      compareTenants({ severity: 3, brokenSince: null }, { severity: 3, brokenSince: null }),
    ).toBe(0);
  });

  test('the severities order failing > degraded > onboarding incomplete > healthy', () => {
    expect(HEALTH_SEVERITY.failing).toBeGreaterThan(HEALTH_SEVERITY.degraded);
    expect(HEALTH_SEVERITY.degraded).toBeGreaterThan(HEALTH_SEVERITY.onboarding_incomplete);
    expect(HEALTH_SEVERITY.onboarding_incomplete).toBeGreaterThan(HEALTH_SEVERITY.healthy);
  });
});
