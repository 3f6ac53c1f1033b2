// Vitest global setup: one real Postgres server for the run (embedded, or TEST_DATABASE_URL's server).
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('pgAdminUrl', external);
    return;
  }
  const pg = await startEmbeddedPostgres({ dataDir: `.data/test-postgres-${process.pid}`, ephemeral: true });
  project.provide('pgAdminUrl', pg.adminUrl);
  return async () => {
    await pg.stop();
  };
}
