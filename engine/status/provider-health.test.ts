import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ProviderHealthSchema } from '../../lib/prequel/contract/provider-health';
import { NOW } from '../../lib/prequel/contract/health/fixtures.test-helpers';
import { healthOfSummary } from '../../lib/prequel/contract/health/health-problems';
import { tenantHealth } from '../../lib/prequel/contract/health/tenant-health';
import { TENANT_HEALTH_CASES } from '../../lib/prequel/contract/health/tenant-health-cases.test-helpers';
import { seedShared, seedTenant } from '../testing/health-fixtures';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { readProviderHealth } from './provider-health';

let database: TestDatabase;
let shared: Awaited<ReturnType<typeof seedShared>>;
beforeAll(async () => {
  database = await createTestDatabase();
  shared = await seedShared(database.db);
});
afterAll(() => database.drop());

describe('the SQL rules judge every case of the app’s rules alike', () => {
  test.each(TENANT_HEALTH_CASES)('$name', async ({ input, expected }) => {
    const { providerId } = await seedTenant(database.db, shared, input);
    const page = await readProviderHealth(database.db, {
      now: NOW,
      search: providerId,
      pageSize: 10,
    });
    expect(page.providers).toHaveLength(1);
    const health = healthOfSummary(ProviderHealthSchema.parse(page.providers[0]), {
      now: NOW,
      saasName: input.saasName,
    });
    expect(health).toMatchObject(expected);
    expect(health).toEqual(tenantHealth(input));
  });
});
