// Request bodies for source tests, pointing at the test databases.
import { randomBytes } from 'node:crypto';
import type { TestEngine } from '../../testing/test-engine';
import { create, localDatalake, provider } from '../../testing/fixtures';
import type { DatabaseConnection, DatabaseVendor } from '../source-target';

export interface DatabaseLogin {
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
}

/** A source create body (plaintext, as the test servers have no TLS; a 5 s connection timeout). */
export function databaseSource(
  vendor: DatabaseVendor,
  providerId: string,
  login: DatabaseLogin,
  extra: Record<string, unknown> = {},
) {
  return {
    name: `source-${randomBytes(4).toString('hex')}`,
    vendor,
    provider_id: providerId,
    [vendor]: { ...databaseConnection(login), ...extra },
  };
}

/** The connection block alone, for calling the core directly. */
export function databaseConnection(login: DatabaseLogin): DatabaseConnection {
  return {
    host: login.host,
    port: login.port,
    database: login.database,
    auth_method: 'password_auth',
    password_auth: { username: login.username, password: login.password },
    disable_ssl: true,
    connection_timeout_in_seconds: 5,
  };
}

/** A provider to own test sources. */
export async function createProvider(api: TestEngine): Promise<string> {
  const lake = await create(api, '/import/datalakes', localDatalake(), 'datalake');
  return (await create(api, '/import/providers', provider(lake.id), 'provider')).id;
}
