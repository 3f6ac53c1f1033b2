import type { APIRequestContext, Browser } from '@playwright/test';
import { createReceiver, type Receiver } from '../scripts/receiver/create-receiver';
import { e2eStack } from './stack';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createTenantWithPipeline, launchPipeline, mintSession, waitForLoad } from './tenant';

// Stopping and redoing work: the customer cancels an initial import that is running; support re-syncs a dataset and
// redelivers a stream, each with a reason that lands in the audit log.
async function signedIn(browser: Browser, invite: string) {
  const context = await browser.newContext({ baseURL: e2eStack.appUrl });
  const page = await context.newPage();
  await page.goto(invite);
  return { context, page };
}

type Entry = {
  event_type: string;
  resource_id: string;
  reason: string | null;
  actor_label: string | null;
  object: Record<string, unknown> | null;
};

async function audit(request: APIRequestContext, providerId: string): Promise<Entry[]> {
  const response = await request.get(
    `${e2eStack.engineUrl}/logs?provider_id=${providerId}&page_size=100`,
    { headers: { 'X-API-Key': e2eStack.apiKey } },
  );
  return ((await response.json()) as { data: { logs: Entry[] } }).data.logs;
}

test.describe('cancel and re-sync', () => {
  let receiver: Receiver;
  test.beforeAll(async () => {
    receiver = createReceiver({ engineUrl: e2eStack.engineUrl });
    await receiver.start();
  });
  test.afterAll(() => receiver.stop());

  test('the customer cancels the initial import while it runs; what was delivered stays, and the cancel is audited', async ({
    browser,
    request,
  }) => {
    test.setTimeout(120_000);
    receiver.reset();
    // Slow enough that the first delivery of 300 records takes about half a minute.
    receiver.control.set({ latencyMs: 400 });
    const tenant = await createTenantWithPipeline(request, receiver.url);
    await launchPipeline(request, tenant);
    const customer = await signedIn(
      browser,
      await mintSession(request, { provider_id: tenant.providerId, return_to: 'status' }),
    );
    const page = customer.page;
    await expect(page).toHaveURL(`${e2eStack.appUrl}/status`);
    const cancel = page.getByRole('button', { name: /^Cancel the delivery to Other customers/ });
    await expect(cancel).toBeVisible({ timeout: 60_000 });
    await expectNoSeriousA11yViolations(page);
    await cancel.click();

    const cancelled = await waitForLoad(
      request,
      tenant.streamId,
      (load) => load.status === 'cancelled',
      30_000,
    );
    const delivered = cancelled.records_loaded ?? 0;
    expect(delivered).toBeLessThan(300);
    await expect(
      page
        .getByRole('article', { name: /^Sending to Other customers/ })
        .getByText('Cancelled', { exact: true }),
    ).toBeVisible({ timeout: 15_000 });
    await expect(cancel).toHaveCount(0);
    // Nothing more is sent after the cancel.
    const received = receiver.store.stats().records;
    await page.waitForTimeout(1500);
    expect(receiver.store.stats().records).toBe(received);
    expect(await audit(request, tenant.providerId)).toContainEqual(
      expect.objectContaining({
        event_type: 'IMPORT_LOAD_CANCEL',
        resource_id: cancelled.id,
        reason: 'Cancelled on the status page',
        actor_label: expect.stringMatching(/^customer:/),
      }),
    );
    await customer.context.close();
  });

  test('support re-syncs a dataset and redelivers a stream, each with a reason in the audit log', async ({
    browser,
    request,
  }) => {
    test.setTimeout(120_000);
    receiver.reset();
    const tenant = await createTenantWithPipeline(request, receiver.url, 'batch');
    await launchPipeline(request, tenant);
    const first = await waitForLoad(
      request,
      tenant.streamId,
      (load) => load.status === 'succeeded',
    );
    expect(first.records_loaded).toBe(300);
    expect(receiver.store.stats().records).toBe(300);

    const support = await signedIn(
      browser,
      await mintSession(request, { role: 'support', actor: 'ada@saas.example' }),
    );
    const page = support.page;
    await page.goto(`/support/tenants/${tenant.providerId}`);
    await page.getByRole('button', { name: 'Redeliver every record of other stream' }).click();
    await page
      .getByLabel('Why? (Redeliver every record of other stream)')
      .fill('The SaaS lost its import, ticket 78');
    await page.getByRole('button', { name: 'Redeliver every record of other stream' }).click();
    await expect(page.getByText('Done, and recorded in the audit log.')).toBeVisible();
    // Every record once more, under new delivery ids: stored again, not dropped as duplicates.
    await expect.poll(() => receiver.store.stats().records, { timeout: 60_000 }).toBe(600);
    expect(receiver.store.stats().duplicates).toBe(0);

    await page.getByRole('button', { name: 'Re-sync all of customers' }).click();
    await page
      .getByLabel('Why? (Re-sync all of customers)')
      .fill('Customer restored a backup, ticket 77');
    await page.getByRole('button', { name: 'Re-sync all of customers' }).click();
    // The redelivery's confirmation is already on the page, so wait for the re-sync's entry in the audit log itself.
    await expect
      .poll(() => audit(request, tenant.providerId))
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            event_type: 'IMPORT_EXTRACT_REQUEST',
            reason: 'Customer restored a backup, ticket 77',
            actor_label: 'ada@saas.example',
            object: expect.objectContaining({ full_refresh: true }),
          }),
          expect.objectContaining({
            event_type: 'IMPORT_LOAD_REQUEST',
            reason: 'The SaaS lost its import, ticket 78',
            actor_label: 'ada@saas.example',
            object: expect.objectContaining({ mode: 'redeliver' }),
          }),
        ]),
      );
    await page.reload();
    await expect(page.getByRole('region', { name: 'Timeline' })).toContainText(
      'Reason: Customer restored a backup, ticket 77',
    );
    await expectNoSeriousA11yViolations(page);
    await support.context.close();
  });
});
