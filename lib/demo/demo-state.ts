// Pure: the demo control's vocabulary (scenario names, switch requests, the state it answers),
// shared by the control server and the app that calls it.
import { z } from 'zod';

export const SCENARIOS = [
  'credentials_rotated',
  'endpoint_500',
  'endpoint_slow',
  'schema_drift',
  'large_table',
] as const;
export const ScenarioNameSchema = z.enum(SCENARIOS);
export type ScenarioName = z.infer<typeof ScenarioNameSchema>;

/**
 * `POST /demo/scenarios/{name}`: on or off; the slow endpoint's latency and the large table's size
 * may be chosen.
 */
export const ScenarioSwitchSchema = z
  .object({
    on: z.boolean(),
    latencyMs: z.number().int().min(100).max(120_000).optional(),
    rows: z.number().int().min(1).max(10_000_000).optional(),
  })
  .strict();
export type ScenarioSwitch = z.infer<typeof ScenarioSwitchSchema>;

/** `POST /demo/simulator`. */
export const SimulatorSwitchSchema = z.object({ paused: z.boolean() }).strict();

export const DemoStateSchema = z.object({
  scenarios: z.object({
    /** acme_reader's password is no longer the demo password: extracts fail at authentication. */
    credentials_rotated: z.object({ on: z.boolean() }),
    /** The receiver answers 500 to every delivery from Acme. */
    endpoint_500: z.object({ on: z.boolean() }),
    /** The receiver waits `latencyMs` before answering each delivery from Acme. */
    endpoint_slow: z.object({ on: z.boolean(), latencyMs: z.number() }),
    /** `table.from` is renamed to `table.to` in Acme's database. */
    schema_drift: z.object({
      on: z.boolean(),
      table: z.string(),
      from: z.string(),
      to: z.string(),
    }),
    /** The table exists in Acme's database, with about `rows` rows (null while off). */
    large_table: z.object({
      on: z.boolean(),
      table: z.string(),
      rows: z.number().nullable(),
      inUse: z.boolean(),
    }),
  }),
  simulator: z.object({
    /** Paused by the presenter. */
    paused: z.boolean(),
    /** Held while schema drift is on: its writes name the renamed column. */
    held: z.boolean(),
    everyMs: z.number(),
  }),
});
export type DemoState = z.infer<typeof DemoStateSchema>;

/** The control server's answers: the state after the request, or why it was refused. */
export const DemoControlResponseSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('success'), data: DemoStateSchema }),
  z.object({
    status: z.literal('error'),
    message: z.string(),
    error: z.object({ code: z.string() }),
  }),
]);
