import { e2eStack } from './stack';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createTenant, ensureSourceDatabase, mintSession } from './tenant';

test.describe('onboarding wizard', () => {
  test('without a session explains how to get in, and an expired or altered link says so', async ({ page }) => {
    await page.goto('/connect');
    await expect(page.getByRole('heading', { name: 'Open this page from your account' })).toBeVisible();
    await page.goto('/connect?session=not-a-token');
    await expect(page).toHaveURL(/\/session\?problem=invalid$/);
    await expect(page.getByRole('heading', { name: 'This link is not valid' })).toBeVisible();
  });

  test('refuses to mint a session without the embed secret', async ({ request }) => {
    const response = await request.post(`${e2eStack.appUrl}/api/embed/sessions`, { data: { provider_id: 'acme' } });
    expect(response.status()).toBe(401);
  });

  test('connect: a wrong password lands on the password field, the right one moves on to choosing data', async ({ page, request }) => {
    const database = await ensureSourceDatabase();
    const { providerId } = await createTenant(request);
    await page.goto(await mintSession(request, { provider_id: providerId }));
    // The invite becomes a cookie and leaves the address bar.
    await expect(page).toHaveURL(`${e2eStack.appUrl}/connect/source`);
    await expect(page.getByRole('heading', { level: 1, name: 'Connect your database' })).toBeVisible();

    await page.getByLabel('Host', { exact: true }).fill(database.host);
    await page.getByLabel('Port', { exact: true }).fill(String(database.port));
    await page.getByLabel('Database name').fill(database.database);
    await page.getByLabel('User name').fill(database.username);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByLabel('Require an encrypted (SSL/TLS) connection').uncheck();
    await page.getByRole('button', { name: 'Test connection' }).click();

    await expect(page.getByRole('heading', { name: 'Connection failed' })).toBeVisible();
    const password = page.getByLabel('Password', { exact: true });
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#field-password-error')).toContainText(/password/i);
    await expectNoSeriousA11yViolations(page);

    await password.fill(database.password);
    await page.getByRole('button', { name: 'Test and continue' }).click();
    await expect(page).toHaveURL(`${e2eStack.appUrl}/connect/data`);

    // Choose data: search, pick, and watch the first import finish.
    await expect(page.getByRole('heading', { level: 1, name: 'Choose the data to import' })).toBeVisible();
    await page.getByLabel('Search tables').fill('custom');
    await expect(page.getByRole('checkbox', { name: 'public.customers' })).toBeVisible();
    await expect(page.getByRole('checkbox', { name: 'public.orders' })).toHaveCount(0);
    await page.getByLabel('public.customers').check();
    await page.getByRole('button', { name: 'Import 1 table' }).click();
    const imports = page.getByRole('region', { name: 'Your imports' });
    await expect(imports.getByText('customers', { exact: true })).toBeVisible();
    await expect(imports.getByText('Imported')).toBeVisible({ timeout: 30_000 });
    await expect(imports.getByText(/300 new/)).toBeVisible();

    // A query that does not run says why, on the query field.
    await page.getByText('Or import the result of a SQL query').click();
    await page.getByLabel('SQL query').fill('select * from no_such_table');
    await page.getByRole('button', { name: 'Check query' }).click();
    await expect(page.locator('#field-query-error')).toContainText(/no_such_table|does not exist/);
    await expectNoSeriousA11yViolations(page);

    // Leaving and coming back resumes at the first unsaved step.
    await page.goto('/connect');
    await expect(page).toHaveURL(`${e2eStack.appUrl}/connect/map`);
  });
});
