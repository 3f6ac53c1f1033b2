// The app against an engine that serves only the documented Prequel Import API (strict mode), as
// the hosted API does: the wizard, the status page and the support console still work, and what
// the extensions add degrades to a plainer form.
import { createReceiver, type Receiver } from '../scripts/receiver/create-receiver';
import { expect, test } from './fixtures';
import { strictStack } from './stack';
import { createDestination, createTenant, ensureSourceDatabase, mintSession } from './tenant';

let receiver: Receiver;
test.beforeAll(async () => {
  receiver = createReceiver({ engineUrl: strictStack.engineUrl });
  await receiver.start();
});
test.afterAll(async () => {
  await receiver.stop();
});

test('the wizard, status page and support console work against the documented API alone', async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(150_000);
  // The engine is strict: no OpenAPI document, no extension endpoint.
  expect((await request.get(`${strictStack.engineUrl}/openapi.json`)).status()).toBe(404);

  const database = await ensureSourceDatabase();
  const destination = await createDestination(
    request,
    receiver.url,
    'Customers',
    'record',
    strictStack,
  );
  const { providerId } = await createTenant(request, {
    destinationIds: [destination.id],
    stack: strictStack,
  });
  await page.goto(await mintSession(request, { provider_id: providerId }, strictStack));
  await expect(page).toHaveURL(`${strictStack.appUrl}/connect/source`);

  // Connect: a failed test says so in one message, without the step-by-step checklist.
  await page.getByLabel('Host', { exact: true }).fill(database.host);
  await page.getByLabel('Port', { exact: true }).fill(String(database.port));
  await page.getByLabel('Database name').fill(database.database);
  await page.getByLabel('User name').fill(database.username);
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByLabel('Require an encrypted (SSL/TLS) connection').uncheck();
  await page.getByRole('button', { name: 'Test connection' }).click();
  const outcome = page.getByRole('region', { name: 'Connection failed' });
  await expect(outcome).toBeVisible();
  await expect(outcome.getByRole('listitem')).toHaveCount(0);
  await page.getByLabel('Password', { exact: true }).fill(database.password);
  await page.getByRole('button', { name: 'Test and continue' }).click();
  await expect(page).toHaveURL(`${strictStack.appUrl}/connect/data`);

  // Choose data: no table browser; the table is named by hand, as the hosted API's quickstart does.
  await expect(page.getByLabel('Search tables')).toHaveCount(0);
  const byName = page.getByRole('region', { name: 'Import a table by its name' });
  await byName.getByLabel('Table name').fill('no_such_table');
  await byName.getByRole('button', { name: 'Check table' }).click();
  await expect(page.locator('#field-table-error')).toBeVisible();
  await byName.getByLabel('Table name').fill('customers');
  await byName.getByRole('button', { name: 'Check table' }).click();
  await expect(byName.getByLabel('Name', { exact: true })).toHaveValue('customers');
  await expect(byName.getByLabel('Unique column (primary key)')).toHaveValue('id');
  await byName.getByRole('button', { name: 'Import this table' }).click();
  const imports = page.getByRole('region', { name: 'Your imports' });
  await expect(imports.getByText('Imported')).toBeVisible({ timeout: 30_000 });
  await expect(imports.getByText(/300 new/)).toBeVisible();
  // "Importing…" is gone once it is imported, and the same table cannot be imported twice.
  await expect(byName.getByText('Importing “customers”.')).toHaveCount(0);
  await byName.getByRole('button', { name: 'Import this table' }).click();
  await expect(byName.getByText('public.customers is already imported.')).toBeVisible();

  // Map: suggestions and a preview; a record that fails is shown as failing, without the cell.
  await page.goto('/connect');
  await expect(page).toHaveURL(`${strictStack.appUrl}/connect/map`);
  await expect(page.getByText('2 of 2 required fields mapped')).toBeVisible();
  const preview = page.getByRole('region', { name: /^Preview/ });
  await expect(preview.getByRole('row')).toHaveCount(6);
  await page.getByLabel('plan', { exact: true }).selectOption('expression');
  await page.getByLabel('Expression for plan').fill('len(plan)');
  await expect(preview.getByText(/would not be delivered/).first()).toBeVisible();
  await page.getByLabel('Expression for plan').fill('upper(plan)');
  await expect(preview.getByText(/would not be delivered/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Save mapping and continue' }).click();

  // Launch: the records reach the receiver.
  await expect(page).toHaveURL(`${strictStack.appUrl}/connect/launch`);
  await page.getByRole('button', { name: 'Launch import' }).click();
  await expect(
    page.getByRole('region', { name: 'Your import' }).getByText(/^Delivered [\d,]+ records?$/),
  ).toBeVisible({ timeout: 60_000 });
  const stats = await receiver.waitFor((current) => current.records >= 300, 30_000);
  expect(stats.rejections).toBe(0);

  // Status: read a call per dataset and stream, it shows the same board, and traces a record.
  await page.goto('/status');
  await expect(page.getByRole('article', { name: 'customers', exact: true })).toContainText(
    'Up to date',
  );
  await expect(page.getByRole('region', { name: 'Deliveries' })).toContainText('Delivered');
  const tracer = page.getByRole('region', { name: 'Trace a record' });
  await tracer.getByLabel('Primary key').fill('1');
  await tracer.getByRole('button', { name: 'Trace' }).click();
  await expect(tracer.getByText('Delivered: reached')).toBeVisible();

  // Support: the overview finds the tenant; its page shows the pipeline and its actions work.
  const staff = await browser.newContext({ baseURL: strictStack.appUrl });
  const support = await staff.newPage();
  await support.goto(
    await mintSession(request, { role: 'support', actor: 'ada@saas.example' }, strictStack),
  );
  await expect(support).toHaveURL(`${strictStack.appUrl}/support`);
  await expect(support.getByRole('row').filter({ hasText: providerId })).toBeVisible();
  await support.goto(`/support/tenants/${providerId}`);
  await expect(support.getByText('Delivered').first()).toBeVisible();
  await expect(support.getByRole('region', { name: 'Timeline' })).toBeVisible();
  await support.getByRole('button', { name: 'Send a reconnect link' }).click();
  await support.getByLabel('Why? (Send a reconnect link)').fill('Customer rotates the password');
  await support.getByRole('button', { name: 'Send a reconnect link' }).click();
  await expect(support.getByText(/Send this link/)).toContainText(
    'not in the audit log: this Import API keeps no such trail',
  );
  await staff.close();
});
