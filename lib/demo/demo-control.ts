// The app's side of the demo: switches scenarios and reads received records through the demo's own
// services (the control server and the reference receiver that `npm start` runs), never by
// importing them.
import 'server-only';
import { z } from 'zod';
import { demoModeEnabled, getAppEnv } from '@/lib/env';
import { DemoControlResponseSchema, type DemoState, type ScenarioName } from './demo-state';

export type DemoResult<T> = { ok: true; data: T } | { ok: false; message: string };

function controlEnv(): { url: string; token: string } | null {
  const { DEMO_CONTROL_URL: url, DEMO_CONTROL_TOKEN: token } = getAppEnv();
  return demoModeEnabled() && url && token ? { url: url.replace(/\/+$/, ''), token } : null;
}

async function control(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<DemoResult<DemoState>> {
  const env = controlEnv();
  if (!env)
    return { ok: false, message: 'The demo controls run with `npm start` (INLET_DEMO=true).' };
  try {
    const response = await fetch(`${env.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${env.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      // Creating the large table takes a while; everything else answers at once.
      signal: AbortSignal.timeout(180_000),
    });
    const parsed = DemoControlResponseSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success)
      return {
        ok: false,
        message: `The demo control answered ${response.status} with an unexpected body.`,
      };
    return parsed.data.status === 'success'
      ? { ok: true, data: parsed.data.data }
      : { ok: false, message: parsed.data.message };
  } catch (error) {
    return {
      ok: false,
      message: `The demo control is not reachable (${(error as Error).message}).`,
    };
  }
}

export const getDemoState = () => control('GET', '/demo/status');
export const switchScenario = (name: ScenarioName, on: boolean) =>
  control('POST', `/demo/scenarios/${name}`, { on });
export const setSimulatorPaused = (paused: boolean) =>
  control('POST', '/demo/simulator', { paused });
export const resetDemo = () => control('POST', '/demo/reset');
export const startOver = () => control('POST', '/demo/reset-all');

const ReceivedSchema = z.object({
  records: z.array(
    z.object({
      seq: z.number(),
      receivedAt: z.string(),
      provider: z.string(),
      path: z.string(),
      key: z.string().nullable(),
      isDeleted: z.boolean(),
      record: z.unknown(),
    }),
  ),
});
export type ReceivedRecord = z.infer<typeof ReceivedSchema>['records'][number];

/**
 * The newest records the SaaS's endpoint (the reference receiver) holds, latest version per key.
 */
export async function receivedRecords(
  provider: string,
  limit = 50,
): Promise<DemoResult<ReceivedRecord[]>> {
  const base = getAppEnv().DEMO_RECEIVER_URL;
  if (!demoModeEnabled() || !base)
    return { ok: false, message: 'The demo receiver runs with `npm start` (INLET_DEMO=true).' };
  try {
    const query = new URLSearchParams({
      provider,
      latest: 'true',
      order: 'desc',
      limit: String(limit),
    });
    const response = await fetch(`${base.replace(/\/+$/, '')}/_receiver/records?${query}`, {
      cache: 'no-store',
      signal: AbortSignal.timeout(5000),
    });
    const parsed = ReceivedSchema.safeParse(await response.json().catch(() => null));
    return parsed.success
      ? { ok: true, data: parsed.data.records }
      : { ok: false, message: `The receiver answered ${response.status} with an unexpected body.` };
  } catch (error) {
    return { ok: false, message: `The receiver is not reachable (${(error as Error).message}).` };
  }
}
