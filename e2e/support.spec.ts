import type { Browser } from '@playwright/test';
import { createReceiver, type Receiver } from '../scripts/receiver/create-receiver';
import { e2eStack } from './stack';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';
import {
  auditOf,
  createTenantWithPipeline,
  launchPipeline,
  mintSession,
  waitForLoad,
} from './tenant';

const terminal = (load: { status: string }) =>
  load.status === 'succeeded' || load.status === 'failed';

async function signedIn(browser: Browser, invite: string) {
  const context = await browser.newContext({ baseURL: e2eStack.appUrl });
  const page = await context.newPage();
  await page.goto(invite);
  return { context, page };
}

test.describe('support console', () => {
  let healthyReceiver: Receiver;
  let failingReceiver: Receiver;
  test.beforeAll(async () => {
    healthyReceiver = createReceiver({ engineUrl: e2eStack.engineUrl });
    failingReceiver = createReceiver({ engineUrl: e2eStack.engineUrl });
    await healthyReceiver.start();
    await failingReceiver.start();
  });
  test.afterAll(async () => {
    await healthyReceiver.stop();
    await failingReceiver.stop();
  });

  test('triage: the failing tenant comes first in its error group; a re-run with a reason fixes the customer’s page', async ({
    browser,
    request,
  }) => {
    test.setTimeout(180_000);
    // One tenant delivers (one record refused by the SaaS), another's endpoint answers 500.
    healthyReceiver.control.set(
      {},
      { rejectWhen: (record) => (record as { id?: unknown }).id === '7' },
    );
    failingReceiver.control.set({ then: { status: 500 } });
    const healthy = await createTenantWithPipeline(request, healthyReceiver.url);
    // In batches: a failing endpoint costs a few attempts, not a few per record.
    const failing = await createTenantWithPipeline(request, failingReceiver.url, 'batch');
    await launchPipeline(request, healthy);
    await launchPipeline(request, failing);
    await waitForLoad(request, healthy.streamId, terminal);
    await waitForLoad(request, failing.streamId, (load) => load.status === 'failed');

    const support = await signedIn(
      browser,
      await mintSession(request, { role: 'support', actor: 'ada@saas.example' }),
    );
    const page = support.page;
    await expect(page).toHaveURL(`${e2eStack.appUrl}/support`);
    const firstRow = page
      .getByRole('table', { name: 'Tenants, most severe first' })
      .getByRole('row')
      .nth(1);
    await expect(firstRow).toContainText(failing.providerId);
    await expect(firstRow).toContainText('Failing');
    // The group reads as a failure in words; its code is still there for the docs.
    const group = page
      .getByRole('listitem', { name: /^Error group: The service's endpoint is failing/ })
      .filter({ hasText: failing.providerId.replace('e2e-', '') });
    await expect(group).toBeVisible();
    await expect(group).toContainText('(destination_unavailable)');
    await expectNoSeriousA11yViolations(page);

    // The customer of the failing tenant sees whose move it is.
    const customer = await signedIn(
      browser,
      await mintSession(request, { provider_id: failing.providerId, return_to: 'status' }),
    );
    await expect(customer.page).toHaveURL(`${e2eStack.appUrl}/status`);
    await expect(customer.page.getByText(/endpoint is failing/i).first()).toBeVisible();

    // The SaaS fixes its endpoint; support re-runs the load with a reason.
    failingReceiver.control.reset();
    await page.goto(`/support/tenants/${failing.providerId}`);
    await page.getByRole('button', { name: 'Re-run load of other stream' }).click();
    await page
      .getByLabel('Why? (Re-run load of other stream)')
      .fill('Endpoint fixed by the SaaS, ticket 42');
    await page.getByRole('button', { name: 'Re-run load of other stream' }).click();
    await expect(page.getByText('Done, and recorded in the audit log.')).toBeVisible();
    await waitForLoad(request, failing.streamId, (load) => load.status === 'succeeded');
    await expect(customer.page.getByText('Delivered').first()).toBeVisible({ timeout: 30_000 });

    // A reconnect link, with its reason; both actions are in the tenant's audit trail.
    await page.getByRole('button', { name: 'Send a reconnect link' }).click();
    await page
      .getByLabel('Why? (Send a reconnect link)')
      .fill('Customer will rotate their password');
    await page.getByRole('button', { name: 'Send a reconnect link' }).click();
    await expect(page.getByText(/Send this link/)).toBeVisible();
    const audit = await auditOf(request, failing.providerId);
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          event_type: 'IMPORT_LOAD_REQUEST',
          reason: 'Endpoint fixed by the SaaS, ticket 42',
          actor_label: 'ada@saas.example',
        }),
        expect.objectContaining({
          event_type: 'SUPPORT_RECONNECT_LINK_SENT',
          reason: 'Customer will rotate their password',
        }),
      ]),
    );
    await page.reload();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await expect(timeline).toContainText('Reason: Endpoint fixed by the SaaS, ticket 42');
    // In words, never the API's event names.
    await expect(timeline).toContainText(/Other Corp \w+'s setup: stream created \(other stream\)/);
    await expect(timeline).toContainText(/Other Corp \w+'s data: load requested \(other stream\)/);
    await expect(timeline).toContainText(/Other Corp \w+: reconnect link sent/);
    await expect(timeline).not.toContainText('IMPORT_');
    await expect(timeline).not.toContainText(/stream add|load request\b/);
    // The read-only label sits beside the customer's view, never over it.
    const view = page.getByRole('region', { name: 'What the customer sees (read-only)' });
    const label = view.getByRole('note');
    await expect(label).toHaveText(/Support view · read-only/i);
    const box = (await label.boundingBox())!;
    for (const other of [
      ...(await view.getByRole('heading').all()),
      ...(await view.getByRole('button').all()),
      ...(await view.getByRole('link').all()),
    ]) {
      const them = await other.boundingBox();
      if (!them) continue;
      const apart =
        box.x + box.width <= them.x ||
        them.x + them.width <= box.x ||
        box.y + box.height <= them.y ||
        them.y + them.height <= box.y;
      expect(apart, `the read-only label covers ${await other.textContent()}`).toBe(true);
    }
    await expectNoSeriousA11yViolations(page);
    await page.goto('/support/settings');
    await expect(page.getByRole('heading', { name: 'Destinations' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // The record tracer, on the healthy tenant's status page: one delivered record, one refused with the reason.
    const healthyCustomer = await signedIn(
      browser,
      await mintSession(request, { provider_id: healthy.providerId, return_to: 'status' }),
    );
    const tracer = healthyCustomer.page.getByRole('region', { name: 'Trace a record' });
    await tracer.getByLabel('Primary key').fill('1');
    await tracer.getByRole('button', { name: 'Trace' }).click();
    await expect(tracer.getByText('Delivered: reached')).toBeVisible();
    await tracer.getByLabel('Primary key').fill('7');
    await tracer.getByRole('button', { name: 'Trace' }).click();
    await expect(tracer.getByText('Delivered: stopped')).toBeVisible();
    await expect(tracer.getByText(/400/)).toBeVisible();
    await expectNoSeriousA11yViolations(healthyCustomer.page);
    for (const opened of [support, customer, healthyCustomer]) await opened.context.close();
  });

  test('staff sign in with their own account; a wrong password is refused; signing out ends the session', async ({
    page,
  }) => {
    await page.goto('/support');
    await expect(page).toHaveURL(`${e2eStack.appUrl}/support/login`);
    await page.getByLabel('Staff email').fill(e2eStack.supportEmail);
    await page.getByLabel('Support password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(
      page.getByText('That email and password do not match a staff account.'),
    ).toBeVisible();
    await page.getByLabel('Support password').fill(e2eStack.supportPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${e2eStack.appUrl}/support`);
    // The name in the audit log is the account's, not something typed into the form.
    await expect(page.getByText(`Signed in as support:${e2eStack.supportEmail}`)).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    const cookie = (await page.context().cookies()).find((candidate) =>
      candidate.name.endsWith('inlet_session'),
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByText('You are signed out.')).toBeVisible();
    // The old cookie, replayed, no longer opens the console.
    await page.context().addCookies([cookie!]);
    expect((await page.request.get('/api/support/tenants/anything/status')).status()).toBe(401);
    await page.goto('/support');
    await expect(page).toHaveURL(`${e2eStack.appUrl}/support/login`);
  });

  test('a customer session gets 403 on every support page, route and action', async ({
    browser,
    request,
  }) => {
    const tenant = await createTenantWithPipeline(request, healthyReceiver.url);
    // A real support action, captured from a support session, to replay as the customer.
    const support = await signedIn(
      browser,
      await mintSession(request, { role: 'support', actor: 'ada@saas.example' }),
    );
    let captured: { url: string; headers: Record<string, string>; body: string } | null = null;
    support.page.on('request', (sent) => {
      if (sent.headers()['next-action'] && !captured)
        captured = { url: sent.url(), headers: sent.headers(), body: sent.postData() ?? '' };
    });
    await support.page.goto(`/support/tenants/${tenant.providerId}`);
    await support.page.getByRole('button', { name: 'Resume other stream' }).click();
    await support.page.getByLabel('Why? (Resume other stream)').fill('Testing the console');
    await support.page.getByRole('button', { name: 'Resume other stream' }).click();
    await expect(support.page.getByText('Done, and recorded in the audit log.')).toBeVisible();
    expect(captured).not.toBeNull();

    const customer = await signedIn(
      browser,
      await mintSession(request, { provider_id: tenant.providerId }),
    );
    for (const path of ['/support', '/support/settings', `/support/tenants/${tenant.providerId}`]) {
      const response = await customer.page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(
        customer.page.getByRole('heading', { name: 'This page is for support staff' }),
      ).toBeVisible();
    }
    expect(
      (
        await customer.page.request.get(`/api/support/tenants/${tenant.providerId}/status`)
      ).status(),
    ).toBe(403);
    const replay = captured!;
    const answer = await customer.page.request.post(replay.url, {
      headers: replay.headers,
      data: replay.body,
    });
    expect(await answer.text()).toContain('The support console is for support staff');
    await support.context.close();
    await customer.context.close();
  });
});
