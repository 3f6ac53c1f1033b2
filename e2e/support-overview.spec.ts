import { randomBytes } from 'node:crypto';
import { e2eStack } from './stack';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createTenant, mintSession, removeTenant } from './tenant';

test.describe('support overview over many tenants', () => {
  const run = randomBytes(3).toString('hex');
  const providerIds: string[] = [];
  const name = (n: number) => `Paging ${run} ${String(n).padStart(2, '0')}`;

  test.beforeAll(async ({ request }) => {
    for (let n = 1; n <= 30; n++)
      providerIds.push((await createTenant(request, { name: name(n) })).providerId);
  });
  test.afterAll(async ({ request }) => {
    for (const providerId of providerIds) await removeTenant(request, providerId);
  });

  test('searches, filters and pages on the server, the cursor in the URL', async ({
    browser,
    request,
  }) => {
    test.setTimeout(90_000);
    const context = await browser.newContext({ baseURL: e2eStack.appUrl });
    const page = await context.newPage();
    await page.goto(await mintSession(request, { role: 'support', actor: 'ada@saas.example' }));
    await expect(page).toHaveURL(`${e2eStack.appUrl}/support`);

    await page.goto('/support?size=25');
    // Searches are case-insensitive.
    await page.getByLabel('Search').fill(`paging ${run}`);
    await page.getByRole('button', { name: 'Apply' }).click();
    const table = page.getByRole('table', { name: 'Tenants, most severe first' });
    await expect(page.getByRole('heading', { name: '30 tenants found' })).toBeVisible();
    await expect(page.getByText('Showing 25 of 30, 25 per page')).toBeVisible();
    await expect(table.getByRole('row')).toHaveCount(26);
    await expect(table.getByRole('row').nth(1)).toContainText(name(1));
    await expect(page.getByRole('link', { name: 'Previous page' })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page);

    await page.getByRole('link', { name: 'Next page' }).click();
    await expect(page).toHaveURL(/[?&]cursor=/);
    await expect(page.getByText('Showing 5 of 30, 25 per page')).toBeVisible();
    await expect(table.getByRole('row').nth(1)).toContainText(name(26));
    await expect(table.getByRole('row').nth(5)).toContainText(name(30));
    await expect(page.getByRole('link', { name: 'Next page' })).toHaveCount(0);
    // The page reloads as it was: the cursor is in the URL.
    await page.reload();
    await expect(table.getByRole('row').nth(1)).toContainText(name(26));

    await page.getByRole('link', { name: 'Previous page' }).click();
    await expect(page.getByText('Showing 25 of 30, 25 per page')).toBeVisible();
    await expect(table.getByRole('row').nth(1)).toContainText(name(1));
    await expect(page.getByRole('link', { name: 'Previous page' })).toHaveCount(0);

    await page.getByLabel('Search').fill(`${run} 07`);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('heading', { name: '1 tenant found' })).toBeVisible();
    await expect(table.getByRole('row').nth(1)).toContainText(name(7));
    await expect(table.getByRole('row').nth(1)).toContainText('Onboarding incomplete');

    await page.getByLabel('Search').fill(`Paging ${run}`);
    await page.getByLabel('Health').selectOption('Healthy');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('heading', { name: '0 tenants found' })).toBeVisible();
    await page.getByLabel('Health').selectOption('Onboarding incomplete');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('heading', { name: '30 tenants found' })).toBeVisible();
    await context.close();
  });
});
