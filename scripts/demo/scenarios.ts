// The scenario switcher: breaks the demo in the ways customers' pipelines really break (credentials
// rotated, the SaaS's endpoint failing or slow, a renamed column, a huge table) and puts it back.
// Every switch is idempotent and answers the state after it; what lives in the database is read
// back from it, so a restart reports the truth.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { DatasetSchema } from '../../lib/prequel/contract/dataset';
import { SourceSchema } from '../../lib/prequel/contract/source';
import { StreamSchema } from '../../lib/prequel/contract/stream';
import type { ReceiverControl } from '../receiver/create-receiver';
import { renameColumn } from '../sample-db/rename-column';
import type { ChangeSimulator } from '../sample-db/start-change-simulator';
import { quotePostgres as q } from '../sample-db/sql-identifiers';
import {
  DEFAULT_LARGE_TABLE_ROWS,
  DEFAULT_SLOW_LATENCY_MS,
  DRIFT,
  LARGE_TABLE,
} from './demo-defaults';
import type { DemoState, ScenarioName, ScenarioSwitch } from '../../lib/demo/demo-state';
import type { ImportApi } from './import-api';
import { createLargeTable, dropLargeTable, largeTableRows } from './large-table';
import { receiverPlan } from './receiver-plan';
import type { PostgresSourceHints } from './source-hints';

export interface ScenarioSwitcherOptions {
  /** A superuser pool on Acme's database: renames, role passwords, the large table. */
  sourcePool: pg.Pool;
  /** How Acme's read-only user logs in with the demo password. */
  acmeSource: PostgresSourceHints;
  acmeProviderId: string;
  /** Tenants whose endpoint fails whatever the scenarios say (they are part of the scenery). */
  alwaysFailingProviders: readonly string[];
  receiver: Pick<ReceiverControl, 'set'>;
  simulator: ChangeSimulator | null;
  simulatorEveryMs: number;
  /** The Import API: which datasets read the large table, and `resetAll`. */
  api: ImportApi;
  slowLatencyMs?: number;
  largeTableRows?: number;
}

export type ScenarioSwitcher = ReturnType<typeof createScenarioSwitcher>;

const DatasetWithTableSchema = DatasetSchema.extend({
  table: z.looseObject({ source_table_name: z.string() }).optional(),
});

const INVALID_PASSWORD = '28P01';

export function createScenarioSwitcher(options: ScenarioSwitcherOptions) {
  const { sourcePool, acmeSource, api } = options;
  const role = acmeSource.username;
  const endpoint = { failing: false, latencyMs: null as number | null };
  let slowLatencyMs = options.slowLatencyMs ?? DEFAULT_SLOW_LATENCY_MS;
  let simulatorPaused = false;
  let driftOn = false;
  // One change at a time: a rename must not race the simulator's resume, nor two presenters' clicks
  // each other.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => {});
    return run;
  };

  const applyReceiver = () =>
    options.receiver.set(
      receiverPlan(
        { provider: options.acmeProviderId, ...endpoint },
        options.alwaysFailingProviders,
      ),
    );

  const applySimulator = () => {
    if (simulatorPaused || driftOn) options.simulator?.pause();
    else options.simulator?.resume();
  };

  /**
   * Whether the demo password still opens Acme's database (the rotation scenario is whatever the
   * database says).
   */
  async function demoPasswordWorks(): Promise<boolean> {
    const client = new pg.Client({
      host: acmeSource.host,
      port: acmeSource.port,
      database: acmeSource.database,
      user: role,
      password: acmeSource.password,
      connectionTimeoutMillis: 5000,
    });
    try {
      await client.connect();
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === INVALID_PASSWORD) return false;
      throw error;
    } finally {
      await client.end().catch(() => {});
    }
  }

  async function driftColumns(): Promise<{ from: boolean; to: boolean }> {
    const result = await sourcePool.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'public' and ` +
        `table_name = $1 and column_name in ($2, $3)`,
      [DRIFT.table, DRIFT.from, DRIFT.to],
    );
    const names = new Set(result.rows.map((row) => row.column_name));
    return { from: names.has(DRIFT.from), to: names.has(DRIFT.to) };
  }

  async function largeTableInUse(): Promise<boolean> {
    const datasets = await api.list('/import/datasets', 'datasets', DatasetWithTableSchema, {
      provider_id: options.acmeProviderId,
    });
    return datasets.some((dataset) => dataset.table?.source_table_name === LARGE_TABLE);
  }

  async function read(): Promise<DemoState> {
    const [passwordWorks, columns, rows] = await Promise.all([
      demoPasswordWorks(),
      driftColumns(),
      largeTableRows(sourcePool, LARGE_TABLE),
    ]);
    driftOn = columns.to && !columns.from;
    applySimulator();
    return {
      scenarios: {
        credentials_rotated: { on: !passwordWorks },
        endpoint_500: { on: endpoint.failing },
        endpoint_slow: {
          on: endpoint.latencyMs !== null,
          latencyMs: endpoint.latencyMs ?? slowLatencyMs,
        },
        schema_drift: { on: driftOn, ...DRIFT },
        large_table: {
          on: rows !== null,
          table: LARGE_TABLE,
          rows,
          inUse: rows !== null && (await largeTableInUse()),
        },
      },
      simulator: {
        paused: simulatorPaused,
        held: driftOn && !simulatorPaused,
        everyMs: options.simulatorEveryMs,
      },
    };
  }

  async function rotateCredentials(on: boolean) {
    const password = on ? `rotated-${randomBytes(12).toString('base64url')}` : acmeSource.password;
    await sourcePool.query(`alter role ${q(role)} password ${escapeLiteral(password)}`);
    // Sessions already open outlive a password change; ending them makes the next extract log in
    // again.
    if (on)
      await sourcePool.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where usename = $1',
        [role],
      );
  }

  async function setDrift(on: boolean) {
    const columns = await driftColumns();
    const target = { dialect: 'postgres' as const, client: sourcePool };
    if (on && columns.from && !columns.to) {
      // Held first: the simulator's writes name the column, and a tick in flight finishes before
      // the rename's lock.
      driftOn = true;
      applySimulator();
      await renameColumn(target, DRIFT.table, DRIFT.from, DRIFT.to);
    } else if (!on && columns.to && !columns.from) {
      await renameColumn(target, DRIFT.table, DRIFT.to, DRIFT.from);
      driftOn = false;
      applySimulator();
    }
  }

  async function setLargeTable(on: boolean, rows: number) {
    const existing = await largeTableRows(sourcePool, LARGE_TABLE);
    if (on && existing === null) await createLargeTable(sourcePool, LARGE_TABLE, rows);
    // A table one of Acme's datasets reads stays: dropping it would break the customer's setup, not
    // reset it.
    if (!on && existing !== null && !(await largeTableInUse()))
      await dropLargeTable(sourcePool, LARGE_TABLE);
  }

  async function switchScenario(name: ScenarioName, change: ScenarioSwitch) {
    switch (name) {
      case 'credentials_rotated':
        if (!change.on) return rotateCredentials(false);
        // Rotating again would only change a password nobody knows.
        if (await demoPasswordWorks()) await rotateCredentials(true);
        return;
      case 'endpoint_500':
        endpoint.failing = change.on;
        return applyReceiver();
      case 'endpoint_slow':
        if (change.latencyMs !== undefined) slowLatencyMs = change.latencyMs;
        endpoint.latencyMs = change.on ? slowLatencyMs : null;
        return applyReceiver();
      case 'schema_drift':
        return setDrift(change.on);
      case 'large_table':
        return setLargeTable(
          change.on,
          change.rows ?? options.largeTableRows ?? DEFAULT_LARGE_TABLE_ROWS,
        );
    }
  }

  async function resetScenarios() {
    endpoint.failing = false;
    endpoint.latencyMs = null;
    applyReceiver();
    await rotateCredentials(false);
    await setDrift(false);
    await setLargeTable(false, 0);
    simulatorPaused = false;
    applySimulator();
  }

  /**
   * Acme's setup, newest dependants first (streams, then datasets, then sources), so nothing is
   * still referenced.
   */
  async function deleteAcmeSetup() {
    const byProvider = { provider_id: options.acmeProviderId };
    for (const stream of await api.list('/import/streams', 'streams', StreamSchema, byProvider))
      await api.remove(`/import/streams/${stream.id}`);
    for (const dataset of await api.list('/import/datasets', 'datasets', DatasetSchema, byProvider))
      await api.remove(`/import/datasets/${dataset.id}`);
    for (const source of await api.list('/import/sources', 'sources', SourceSchema, byProvider))
      await api.remove(`/import/sources/${source.id}`);
  }

  return {
    status: () => serial(read),

    /** Turns one scenario on or off and answers the state after it. */
    set: (name: ScenarioName, change: ScenarioSwitch) =>
      serial(async () => {
        await switchScenario(name, change);
        return read();
      }),

    setSimulatorPaused: (paused: boolean) =>
      serial(async () => {
        simulatorPaused = paused;
        applySimulator();
        return read();
      }),

    /** Every scenario off and the simulator running; the customer's setup stays as it is. */
    reset: () =>
      serial(async () => {
        await resetScenarios();
        return read();
      }),

    /**
     * Like reset, and Acme's sources, datasets and streams deleted too: the wizard starts from the
     * beginning.
     */
    resetAll: () =>
      serial(async () => {
        await deleteAcmeSetup();
        await resetScenarios();
        return read();
      }),

    /** After a start: the receiver's plan and the simulator's hold, from what the database says. */
    sync: () =>
      serial(async () => {
        applyReceiver();
        return read();
      }),
  };
}

/**
 * ALTER ROLE takes no parameters; a password is written as a standard-conforming string literal.
 */
function escapeLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
