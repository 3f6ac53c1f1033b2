// The demo's fixed names, credentials and ports: what a presenter types, and what the app shows as
// hints.

/** The customer the demo is given to: set up by the presenter in the wizard, live. */
export const ACME = { id: 'acme', name: 'Acme Corp' } as const;

/**
 * Acme's database and its read-only user; the password is fixed so the connect form can show it.
 */
export const DEMO_SOURCE_DATABASE = 'demo_source';
export const DEMO_SOURCE_ROLE = 'acme_reader';
export const DEMO_SOURCE_PASSWORD = 'acme-demo-password';

/**
 * Acme's database by the names the demo uses; tests append a suffix, since they share one server.
 */
export const acmeSourceSpec = (suffix = '') => ({
  database: `${DEMO_SOURCE_DATABASE}${suffix}`,
  role: `${DEMO_SOURCE_ROLE}${suffix}`,
  password: DEMO_SOURCE_PASSWORD,
});

export const DEMO_DATALAKE_NAME = 'Demo datalake';

export const DEFAULT_RECEIVER_PORT = 4300;
export const DEFAULT_CONTROL_PORT = 4301;

/** Sample customers in Acme's database (accounts, orders and events follow from it). */
export const DEFAULT_ACME_CUSTOMERS = 2000;
export const DEFAULT_SIMULATOR_EVERY_MS = 5000;
/**
 * The demo destinations' own delivery deadline (their `timeout_seconds`), below the slow endpoint's
 * latency: its deliveries time out within seconds, while the engine keeps its defaults for every
 * other destination.
 */
export const DEMO_DELIVERY_TIMEOUT_SECONDS = 5;
/**
 * The slow endpoint's latency: over the demo destinations' delivery deadline, so every delivery to
 * it times out.
 */
export const DEFAULT_SLOW_LATENCY_MS = 8000;
export const DEFAULT_LARGE_TABLE_ROWS = 1_000_000;
export const LARGE_TABLE = 'big_events';

/**
 * The column schema drift renames: mapped to Users.email by every customer who follows the
 * suggestions.
 */
export const DRIFT = { table: 'customers', from: 'email', to: 'email_address' } as const;
