// The real parts a demo test runs against: an engine over HTTP, the reference receiver, and names
// of its own on the run's Postgres server (databases and roles are server-wide, and test files run
// in parallel).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { startTestEngine, type TestEngine } from '../../../engine/testing/test-engine';
import { quotePostgres as q } from '../../sample-db/sql-identifiers';
import { createReceiver, type Receiver } from '../../receiver/create-receiver';
import { acmeSourceSpec } from '../demo-defaults';
import { OTHER_TENANTS, tenantDatabase, tenantRole } from '../demo-tenants';

export interface DemoTestParts {
  engine: TestEngine;
  receiver: Receiver;
  pgAdminUrl: string;
  suffix: string;
  close(): Promise<void>;
}

/** `jobs`: run extracts, loads and the scheduler, so seeded tenants deliver. */
export async function startDemoTestParts(options: { jobs?: boolean } = {}): Promise<DemoTestParts> {
  const engine = await startTestEngine({ jobs: options.jobs });
  const receiver = createReceiver({ engineUrl: engine.baseUrl });
  await receiver.start();
  const suffix = `_t${randomBytes(4).toString('hex')}`;
  const pgAdminUrl = inject('pgAdminUrl');
  return {
    engine,
    receiver,
    pgAdminUrl,
    suffix,
    async close() {
      await receiver.stop();
      await engine.close();
      await dropDemoDatabases(pgAdminUrl, suffix);
    },
  };
}

async function dropDemoDatabases(adminUrl: string, suffix: string) {
  const acme = acmeSourceSpec(suffix);
  const databases = [
    acme.database,
    ...OTHER_TENANTS.map((tenant) => tenantDatabase(tenant.id, suffix)),
  ];
  const roles = [acme.role, ...OTHER_TENANTS.map((tenant) => tenantRole(tenant.id, suffix))];
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  try {
    for (const database of databases)
      await admin.query(`drop database if exists ${q(database)} with (force)`);
    for (const role of roles) await admin.query(`drop role if exists ${q(role)}`);
  } finally {
    await admin.end();
  }
}
