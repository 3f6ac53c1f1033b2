import { hashStaffPassword } from '../lib/support/staff-accounts';

// The stack `npm start` runs for the browser tests: its own ports, data directory and API key,
// so a developer's running instance (ports 3000/4100) is never touched.
export const e2eStack = {
  appUrl: 'http://127.0.0.1:3100',
  engineUrl: 'http://127.0.0.1:4110',
  apiKey: 'e2e-api-key-b5ac167dac8f40cb14aa8c85',
  embedSecret: 'e2e-embed-secret-6f0c2d9a41b7e3c58d21',
  supportEmail: 'grace@saas.example',
  supportPassword: 'e2e-support-password-41c7',
  /** A host page on another site (localhost vs 127.0.0.1) that may frame the app; 3198 may not. */
  hostPagePort: 3199,
  foreignHostPagePort: 3198,
  /** The stack's embedded Postgres, which also holds the sample source database. */
  postgresAdminUrl: 'postgres://postgres:postgres@127.0.0.1:54331/postgres',
} as const;

export const e2eStackEnv = {
  INLET_DATA_DIR: '.data/e2e',
  APP_PORT: '3100',
  ENGINE_PORT: '4110',
  EMBEDDED_PG_PORT: '54331',
  PREQUEL_API_KEY: e2eStack.apiKey,
  INLET_EMBED_SECRET: e2eStack.embedSecret,
  INLET_EMBED_ORIGINS: `http://localhost:${e2eStack.hostPagePort}`,
  INLET_SESSION_SECRET: 'e2e-session-secret-0d6b1f3c9a2e4758b6c1d0e9',
  // `npm run test:e2e` builds the app before Playwright starts, so the start script must not build again.
  INLET_SKIP_BUILD: '1',
  INLET_DEMO: 'true',
  INLET_SUPPORT_USERS: `${e2eStack.supportEmail}:${hashStaffPassword(e2eStack.supportPassword)}`,
  // The demo's seeded tenants would share this stack's console; the demo has a stack of its own below.
  DEMO_SERVICES: 'false',
  NEXT_TELEMETRY_DISABLED: '1',
} as const;

/**
 * The stack again with the engine in strict mode (ENGINE_STRICT_PREQUEL): only the documented
 * Prequel Import API, as the hosted one serves it. Its own ports and data; its source database is
 * the e2e stack's (`ensureSourceDatabase`).
 */
export const strictStack = {
  appUrl: 'http://127.0.0.1:3300',
  engineUrl: 'http://127.0.0.1:4310',
  apiKey: 'e2e-strict-api-key-3f9a0c27d4e14b6a',
  embedSecret: 'e2e-strict-embed-secret-8b2d47e1c09a',
} as const;

export const strictStackEnv = {
  ...e2eStackEnv,
  INLET_DATA_DIR: '.data/e2e-strict',
  APP_PORT: '3300',
  ENGINE_PORT: '4310',
  EMBEDDED_PG_PORT: '54351',
  PREQUEL_API_KEY: strictStack.apiKey,
  INLET_EMBED_SECRET: strictStack.embedSecret,
  ENGINE_STRICT_PREQUEL: 'true',
} as const;

/** The demo as `npm start` runs it on a fresh machine: seeded tenants, receiver, simulator, scenario control. */
export const demoStack = {
  appUrl: 'http://127.0.0.1:3200',
  engineUrl: 'http://127.0.0.1:4210',
  receiverUrl: 'http://127.0.0.1:4320',
  apiKey: 'e2e-demo-api-key-7c1d55e0a9b34f28',
} as const;

export const demoStackEnv = {
  INLET_DATA_DIR: '.data/e2e-demo',
  APP_PORT: '3200',
  ENGINE_PORT: '4210',
  EMBEDDED_PG_PORT: '54341',
  RECEIVER_PORT: '4320',
  DEMO_CONTROL_PORT: '4321',
  PREQUEL_API_KEY: demoStack.apiKey,
  // Faster than a presenter needs, so "two extract cycles" fit in a test.
  DEMO_SIMULATOR_EVERY_MS: '1500',
  INLET_SKIP_BUILD: '1',
  NEXT_TELEMETRY_DISABLED: '1',
} as const;
