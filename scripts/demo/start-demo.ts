// Everything the demo adds to the product, started together: the reference receiver, the seed, the
// change simulator on Acme's database, the scenario switcher and its HTTP control.
import pg from 'pg';
import { createReceiver, type Receiver } from '../receiver/create-receiver';
import { type ChangeSimulator, startChangeSimulator } from '../sample-db/start-change-simulator';
import { startControlServer } from './control-server';
import {
  ACME,
  DEFAULT_CONTROL_PORT,
  DEFAULT_RECEIVER_PORT,
  DEFAULT_SIMULATOR_EVERY_MS,
} from './demo-defaults';
import { OTHER_TENANTS } from './demo-tenants';
import { createImportApi } from './import-api';
import { createScenarioSwitcher, type ScenarioSwitcher } from './scenarios';
import { type DemoSeed, seedDemo, type SeedDemoOptions } from './seed-demo';
import { databaseUrl } from './source-databases';

export interface StartDemoOptions extends Omit<SeedDemoOptions, 'receiverUrl'> {
  controlToken: string;
  /** Ports on 127.0.0.1; 0 picks free ones (tests). */
  receiverPort?: number;
  controlPort?: number;
  /** 0 starts no simulator. */
  simulatorEveryMs?: number;
  slowLatencyMs?: number;
  largeTableRows?: number;
  onError?: (error: unknown) => void;
}

export interface RunningDemo {
  receiverUrl: string;
  controlUrl: string;
  seed: DemoSeed;
  receiver: Receiver;
  switcher: ScenarioSwitcher;
  stop(): Promise<void>;
}

/** What a demo batch of changes looks like: a few sign-ups, edits and a cancellation every tick. */
const SIMULATOR_BATCH = { inserts: 2, updates: 4, softDeletes: 1 };

export async function startDemo(options: StartDemoOptions): Promise<RunningDemo> {
  const onError =
    options.onError ??
    ((error: unknown) => console.error('demo:', error instanceof Error ? error.message : error));
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(onError);
  };
  try {
    // The receiver verifies signatures with the engine's public key, fetched from the engine at
    // start.
    const receiver = createReceiver({ engineUrl: options.api.url });
    await receiver.start(options.receiverPort ?? DEFAULT_RECEIVER_PORT);
    stops.push(() => receiver.stop());

    const seed = await seedDemo({ ...options, receiverUrl: receiver.url });
    const sourcePool = new pg.Pool({
      connectionString: databaseUrl(options.pgAdminUrl, seed.acme.source.database),
      max: 4,
    });
    sourcePool.on('error', (error: Error & { code?: string }) => {
      // 57P01: the server is shutting down; Ctrl-C reaches the embedded Postgres as it reaches us.
      if (error.code !== '57P01') onError(error);
    });
    stops.push(() => sourcePool.end());

    const everyMs = options.simulatorEveryMs ?? DEFAULT_SIMULATOR_EVERY_MS;
    let simulator: ChangeSimulator | null = null;
    if (everyMs > 0) {
      const started = startChangeSimulator(
        { dialect: 'postgres', client: sourcePool },
        { everyMs, batch: SIMULATOR_BATCH, onError },
      );
      simulator = started;
      stops.push(() => started.stop());
    }

    const switcher = createScenarioSwitcher({
      sourcePool,
      acmeSource: seed.acme.source,
      acmeProviderId: ACME.id,
      alwaysFailingProviders: (options.tenants ?? OTHER_TENANTS)
        .filter((tenant) => tenant.endpointFails)
        .map((tenant) => tenant.id),
      receiver: receiver.control,
      simulator,
      simulatorEveryMs: everyMs,
      api: createImportApi({ ...options.api, actor: 'demo:scenarios' }),
      slowLatencyMs: options.slowLatencyMs,
      largeTableRows: options.largeTableRows,
    });
    await switcher.sync();

    const control = await startControlServer({
      token: options.controlToken,
      switcher,
      port: options.controlPort ?? DEFAULT_CONTROL_PORT,
      onError,
    });
    stops.push(() => control.stop());
    return {
      receiverUrl: receiver.url,
      controlUrl: control.url,
      seed,
      receiver,
      switcher,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
