// The engine's wiring, one for every way it runs: its context, HTTP API and job runner, built from
// what differs between a deployment (engine/main.ts), a test (testing/test-engine.ts) and a
// benchmark (scripts/bench/).
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type ContextSettings, createEngineContext, type EngineContext } from './engine-context';
import { createApp } from './http/create-app';
import { type JobRunner, type JobRunnerOptions, startJobRunner } from './jobs/job-runner';

export interface EngineSettings extends ContextSettings {
  apiKeys: readonly string[];
  requestsPerSecond?: number;
  requestsPerProviderPerSecond?: number;
  /** Serve only the documented Prequel Import API, no (ext) route or field. */
  strictPrequel?: boolean;
  /**
   * Run extracts, loads and their schedules here (with these settings); without, the engine only
   * answers the API.
   */
  jobs?: JobRunnerOptions;
}

export interface Engine {
  context: EngineContext;
  /** The HTTP API; `app.request` calls it in-process, without a server. */
  app: ReturnType<typeof createApp>['app'];
  /**
   * Starts the job runner (if asked for) and listens (port 0: any free one); resolves with the
   * API's base URL.
   */
  start(listen: { hostname: string; port: number }): Promise<string>;
  /**
   * Stops taking requests, then stops the jobs (a running one finishes its step or is released to
   * another engine).
   */
  stop(): Promise<void>;
}

export function createEngine(settings: EngineSettings): Engine {
  const context = createEngineContext(settings);
  const { app } = createApp(context, {
    apiKeys: settings.apiKeys,
    requestsPerSecond: settings.requestsPerSecond,
    requestsPerProviderPerSecond: settings.requestsPerProviderPerSecond,
    strictPrequel: settings.strictPrequel,
  });
  let server: ReturnType<typeof serve> | null = null;
  let jobs: JobRunner | null = null;
  return {
    context,
    app,
    async start({ hostname, port }) {
      if (settings.jobs) jobs = await startJobRunner(context, settings.jobs);
      const listening = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const started = serve({ fetch: app.fetch, hostname, port }, () => resolve(started));
      });
      server = listening;
      return `http://${hostname}:${(listening.address() as AddressInfo).port}`;
    },
    async stop() {
      const listening = server;
      server = null;
      if (listening) await new Promise<void>((resolve) => listening.close(() => resolve()));
      await jobs?.stop();
      jobs = null;
    },
  };
}
