'use server';
// The demo landing's buttons. Each exists only in demo mode: they mint sessions and change the
// demo's databases.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import {
  resetDemo,
  setSimulatorPaused,
  startOver,
  switchScenario,
  type DemoResult,
} from '@/lib/demo/demo-control';
import { ScenarioNameSchema, type DemoState } from '@/lib/demo/demo-state';
import { DEMO_PROVIDER_ID, PRESENTER_COOKIE } from '@/lib/demo/presenter';
import { demoModeEnabled } from '@/lib/env';
import { type InviteRequest, startSession } from '@/lib/session/mint-invite';

function refused(): DemoResult<never> {
  return { ok: false, message: 'Demo controls are off (INLET_DEMO is not true).' };
}

const DEMO_CUSTOMER: InviteRequest = {
  role: 'customer',
  providerId: DEMO_PROVIDER_ID,
  scope: 'full',
  actor: 'demo presenter',
};
const DEMO_SUPPORT: InviteRequest = {
  role: 'support',
  providerId: null,
  scope: 'full',
  actor: 'support:demo presenter',
};

// Each "open as…" signs the presenter in as that person and goes there.
async function openAs(person: InviteRequest, path: string): Promise<void> {
  if (!demoModeEnabled()) return;
  if ((await startSession(person)).ok) redirect(path);
}

export async function openAsCustomer(): Promise<void> {
  await openAs(DEMO_CUSTOMER, '/connect');
}

export async function openCustomerStatus(): Promise<void> {
  await openAs(DEMO_CUSTOMER, '/status');
}

export async function openSupportConsole(): Promise<void> {
  await openAs(DEMO_SUPPORT, '/support');
}

const settle = (result: DemoResult<DemoState>) => {
  revalidatePath('/');
  return result;
};

export async function toggleScenario(input: {
  name: string;
  on: boolean;
}): Promise<DemoResult<DemoState>> {
  if (!demoModeEnabled()) return refused();
  const parsed = z.object({ name: ScenarioNameSchema, on: z.boolean() }).safeParse(input);
  if (!parsed.success) return { ok: false, message: 'Unknown scenario.' };
  return settle(await switchScenario(parsed.data.name, parsed.data.on));
}

export async function toggleSimulator(paused: boolean): Promise<DemoResult<DemoState>> {
  if (!demoModeEnabled()) return refused();
  return settle(await setSimulatorPaused(paused === true));
}

export async function resetTheDemo(): Promise<DemoResult<DemoState>> {
  if (!demoModeEnabled()) return refused();
  return settle(await resetDemo());
}

export async function startTheDemoOver(): Promise<DemoResult<DemoState>> {
  if (!demoModeEnabled()) return refused();
  return settle(await startOver());
}

export async function setPresenterMode(on: boolean): Promise<void> {
  if (!demoModeEnabled()) return;
  const jar = await cookies();
  if (on) jar.set(PRESENTER_COOKIE, '1', { httpOnly: true, sameSite: 'lax', path: '/' });
  else jar.delete(PRESENTER_COOKIE);
  revalidatePath('/', 'layout');
}
