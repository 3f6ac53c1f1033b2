// Vitest global setup: the real servers of the run (Postgres always; MariaDB and an S3 fake for
// source and datalake tests).
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { mariadbAvailable, startMariadb } from './mariadb-server';
import { startS3Server } from './s3-server';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    /** null when MariaDB is not installed (a local machine without it); CI installs it. */
    mysqlAdminUrl: string | null;
    s3Endpoint: string;
  }
}

// Under the system temp dir: database servers run as their own OS users, who must reach these
// paths.
const scratch = (name: string) => path.join(os.tmpdir(), `inlet-${name}-${process.pid}`);

export default async function setup(project: TestProject) {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    await startServers(project, stops);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}

async function startServers(project: TestProject, stops: (() => Promise<void>)[]) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('pgAdminUrl', external);
  } else {
    const pg = await startEmbeddedPostgres({ dataDir: scratch('postgres'), ephemeral: true });
    project.provide('pgAdminUrl', pg.adminUrl);
    stops.push(() => pg.stop());
  }

  if (mariadbAvailable()) {
    const mariadb = await startMariadb({ directory: scratch('mariadb') });
    project.provide('mysqlAdminUrl', mariadb.adminUrl);
    stops.push(() => mariadb.stop());
  } else if (process.env.CI) {
    throw new Error('MariaDB is required in CI: .ci/run installs mariadb-server.');
  } else {
    project.provide('mysqlAdminUrl', null);
  }

  const s3 = await startS3Server({ directory: scratch('s3') });
  project.provide('s3Endpoint', s3.endpoint);
  stops.push(() => s3.stop());
}
