import type { Locator, Page } from '@playwright/test';
import { createReceiver } from '../scripts/receiver/create-receiver';
import { e2eStack } from './stack';
import { expect, test } from './fixtures';
import { createDestination, createTenant, ensureSourceDatabase, mintSession } from './tenant';

/** Presses Tab until `target` has the focus: proof that a keyboard user can reach it. */
async function tabTo(page: Page, target: Locator, maxPresses = 80) {
  for (let press = 0; press < maxPresses; press++) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false))
      return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Could not reach ${target} with the Tab key.`);
}

async function typeInto(page: Page, target: Locator, text: string) {
  await tabTo(page, target);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

test('the whole journey works with the keyboard alone', async ({ page, request }) => {
  test.setTimeout(120_000);
  const receiver = createReceiver({ engineUrl: e2eStack.engineUrl });
  await receiver.start();
  try {
    const database = await ensureSourceDatabase();
    const destination = await createDestination(request, receiver.url);
    const { providerId } = await createTenant(request, { destinationIds: [destination.id] });
    await page.goto(await mintSession(request, { provider_id: providerId }));

    await typeInto(page, page.getByLabel('Host', { exact: true }), database.host);
    await typeInto(page, page.getByLabel('Port', { exact: true }), String(database.port));
    await typeInto(page, page.getByLabel('Database name'), database.database);
    await typeInto(page, page.getByLabel('User name'), database.username);
    await typeInto(page, page.getByLabel('Password', { exact: true }), database.password);
    await tabTo(page, page.getByLabel('Require an encrypted (SSL/TLS) connection'));
    await page.keyboard.press('Space');
    await tabTo(page, page.getByRole('button', { name: 'Test and continue' }));
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/connect\/data$/);

    await typeInto(page, page.getByLabel('Search tables'), 'customers');
    const pick = page.getByRole('checkbox', { name: 'public.customers' });
    await expect(pick).toBeVisible();
    await tabTo(page, pick);
    await page.keyboard.press('Space');
    await tabTo(page, page.getByRole('button', { name: 'Import 1 table' }));
    await page.keyboard.press('Enter');
    await expect(
      page.getByRole('region', { name: 'Your imports' }).getByText('Imported'),
    ).toBeVisible({ timeout: 30_000 });
    await tabTo(page, page.getByRole('link', { name: 'Continue to mapping' }));
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/connect\/map$/);

    await expect(page.getByText('2 of 2 required fields mapped')).toBeVisible();
    await tabTo(page, page.getByRole('button', { name: 'Save mapping and continue' }), 120);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/connect\/launch$/);

    await tabTo(page, page.getByRole('button', { name: 'Launch import' }));
    await page.keyboard.press('Enter');
    await expect(
      page.getByRole('region', { name: 'Your import' }).getByText(/^Delivered [\d,]+ records?$/),
    ).toBeVisible({ timeout: 60_000 });
    await receiver.waitFor((stats) => stats.records >= 300, 30_000);
  } finally {
    await receiver.stop();
  }
});
