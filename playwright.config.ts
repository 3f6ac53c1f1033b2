import { defineConfig, devices } from '@playwright/test';

// Debian's chromium (`apt-get install -y chromium`); never `npx playwright install`.
const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  },
};
import {
  demoStack,
  demoStackEnv,
  e2eStack,
  e2eStackEnv,
  strictStack,
  strictStackEnv,
} from './e2e/stack';

export default defineConfig({
  testDir: './e2e',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // One stack with one database: tests run one at a time.
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: e2eStack.appUrl,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // Never video: it needs an ffmpeg download that this machine cannot make.
    video: 'off',
  },
  projects: [
    { name: 'chromium', testIgnore: /(demo|strict-prequel)\.spec\.ts$/, use: chromium },
    { name: 'demo', testMatch: /demo\.spec\.ts$/, use: { ...chromium, baseURL: demoStack.appUrl } },
    {
      // The journeys against an engine that serves only the documented Prequel API.
      name: 'strict-prequel',
      testMatch: /strict-prequel\.spec\.ts$/,
      use: { ...chromium, baseURL: strictStack.appUrl },
    },
  ],
  webServer: [
    {
      // The whole stack: embedded Postgres, migrations, the engine and `next start`.
      command: 'npm start',
      url: e2eStack.appUrl,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      // Like Ctrl-C in a terminal, so the start script stops Postgres cleanly instead of being
      // killed.
      gracefulShutdown: { signal: 'SIGINT', timeout: 15_000 },
      env: e2eStackEnv,
    },
    {
      // The demo, as on a fresh machine: seeded, with the receiver, simulator and scenario control.
      command: 'npm start',
      url: demoStack.appUrl,
      reuseExistingServer: !process.env.CI,
      timeout: 240_000,
      gracefulShutdown: { signal: 'SIGINT', timeout: 15_000 },
      env: demoStackEnv,
    },
    {
      // The e2e stack again, its engine in strict mode (ENGINE_STRICT_PREQUEL): the hosted API's
      // surface.
      command: 'npm start',
      url: strictStack.appUrl,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      gracefulShutdown: { signal: 'SIGINT', timeout: 15_000 },
      env: strictStackEnv,
    },
  ],
});
