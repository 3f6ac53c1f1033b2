import type { APIRequestContext, Page } from '@playwright/test';
import { demoStack } from './stack';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';

type ProviderSummary = { provider: string; records: number };

async function acmeRecordsReceived(request: APIRequestContext): Promise<number> {
  const response = await request.get(`${demoStack.receiverUrl}/_receiver/providers`);
  const body = (await response.json()) as { providers: ProviderSummary[] };
  return body.providers.find((summary) => summary.provider === 'acme')?.records ?? 0;
}

async function switchScenario(page: Page, title: string, on: boolean) {
  await page.goto('/');
  const toggle = page.getByRole('switch', { name: title });
  if ((await toggle.getAttribute('aria-checked')) !== String(on)) await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', String(on), { timeout: 60_000 });
}

/** Sync now on Acme's status page, and wait until every run it started has settled. */
async function syncAndSettle(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Acme’s status page' }).click();
  await expect(page).toHaveURL(/\/status$/);
  await page.getByRole('button', { name: 'Sync now' }).first().click();
  await expect(page.getByText('Running').or(page.getByText('Starting'))).toHaveCount(0, {
    timeout: 90_000,
  });
}

/** Acme's row in the support console, opened from the landing. */
async function acmeInConsole(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the support console' }).click();
  await expect(page).toHaveURL(/\/support$/);
  return page.getByRole('row').filter({ hasText: 'Acme Corp' });
}

const customerView = (page: Page) =>
  page.getByRole('region', { name: 'What the customer sees (read-only)' });

async function resetDemo(page: Page, scenarioTitle: string) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Reset demo' }).click();
  await expect(page.getByRole('switch', { name: scenarioTitle })).toHaveAttribute(
    'aria-checked',
    'false',
    { timeout: 60_000 },
  );
}

test.describe.configure({ mode: 'serial' });

test.describe('the demo', () => {
  test('from the landing: the customer journey on the seeded data ends at the receiver, and the simulator’s changes follow', async ({
    page,
    request,
  }) => {
    test.setTimeout(240_000);
    await page.goto('/');
    await expect(
      page.getByRole('heading', { name: /you are the SaaS, Acme Corp is your customer/ }),
    ).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    // Whatever an earlier presenter did, Acme starts without a setup.
    await page.getByRole('button', { name: 'Start over (remove Acme’s setup)' }).click();
    await expect(page.getByText('Switching…')).toHaveCount(0, { timeout: 60_000 });

    await page.getByRole('button', { name: 'Open as the customer (Acme Corp)' }).click();
    await expect(page).toHaveURL(/\/connect\/source$/);
    await expect(page.getByRole('complementary', { name: 'Demo database' })).toContainText(
      'acme_reader',
    );
    // The quickest way through the demo is the first stop of the keyboard in the form.
    const fill = page.getByRole('button', { name: 'Fill in the demo credentials' });
    await expect(fill).toBeVisible();
    const firstField = page.getByRole('radio', { name: 'PostgreSQL' });
    const focused = async (target: typeof fill) =>
      target.evaluate((element) => element === document.activeElement);
    for (let press = 0; press < 40 && !(await focused(fill)); press++) {
      expect(await focused(firstField), 'a field came before the fill button').toBe(false);
      await page.keyboard.press('Tab');
    }
    expect(await focused(fill)).toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('User name')).toHaveValue('acme_reader');
    await page.getByRole('button', { name: 'Test and continue' }).click();
    await expect(page).toHaveURL(/\/connect\/data$/);

    await page.getByLabel('Search tables').fill('customers');
    await page.getByRole('checkbox', { name: 'public.customers' }).check();
    await page.getByRole('button', { name: 'Import 1 table' }).click();
    await expect(
      page.getByRole('region', { name: 'Your imports' }).getByText('Imported'),
    ).toBeVisible({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Continue to mapping' }).click();

    // Customers feed the SaaS's Users.
    await page
      .getByRole('navigation', { name: 'Record types' })
      .getByRole('link', { name: 'Users' })
      .click();
    await expect(page.getByRole('heading', { level: 2, name: 'Users', exact: true })).toBeVisible();
    await expect(page.getByText('3 of 3 required fields mapped')).toBeVisible();
    await page.getByRole('button', { name: 'Save mapping and continue' }).click();
    await page.getByRole('link', { name: /Launch/ }).click();
    await expect(page).toHaveURL(/\/connect\/launch$/);
    // Clicked again if the first click landed before the page was interactive.
    await expect(async () => {
      await page.getByRole('button', { name: 'Launch import' }).click({ timeout: 2000 });
      await expect(page.getByRole('region', { name: 'Your import' })).toBeVisible({
        timeout: 5000,
      });
    }).toPass({ timeout: 30_000 });
    await expect(
      page.getByRole('region', { name: 'Your import' }).getByText(/^Delivered [\d,]+ records?$/),
    ).toBeVisible({ timeout: 90_000 });

    await expect.poll(() => acmeRecordsReceived(request), { timeout: 30_000 }).toBeGreaterThan(0);
    const afterLaunch = await acmeRecordsReceived(request);
    await page.goto('/demo/received');
    await expect(
      page.getByRole('table', { name: /Latest version of each received record/ }),
    ).toBeVisible();

    // The simulator keeps changing Acme's database; within two extract cycles the changes reach the receiver.
    await syncAndSettle(page);
    await syncAndSettle(page);
    expect(await acmeRecordsReceived(request)).toBeGreaterThan(afterLaunch);
  });

  test('scenarios show whose move it is to the customer and in the console, and reset brings everything back', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    // Acme's database password is rotated: the customer's move.
    await switchScenario(page, 'Credentials rotated', true);
    await syncAndSettle(page);
    await expect(page.getByText('Your database refused the password')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Update credentials' })).toBeVisible();
    const rotated = await acmeInConsole(page);
    await expect(rotated).toContainText('Failing');
    await rotated.getByRole('link', { name: 'Acme Corp' }).click();
    await expect(customerView(page).getByText('Your database refused the password')).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // Reset: the password is back, the next run succeeds, and Acme is healthy again.
    await resetDemo(page, 'Credentials rotated');
    await syncAndSettle(page);
    await expect(page.getByText('Your database refused the password')).toHaveCount(0);
    await expect(page.getByText('Up to date').first()).toBeVisible();

    // The endpoint fails: the SaaS's move, on the customer's page and in the console.
    await switchScenario(page, 'Endpoint returning 500s', true);
    await syncAndSettle(page);
    await expect(page.getByText(/endpoint is failing/).first()).toBeVisible({ timeout: 60_000 });
    await (await acmeInConsole(page)).getByRole('link', { name: 'Acme Corp' }).click();
    await expect(
      customerView(page)
        .getByText(/endpoint is failing/)
        .first(),
    ).toBeVisible();
    await resetDemo(page, 'Endpoint returning 500s');

    // The endpoint answers after the engine stopped waiting: still the SaaS's move, told apart from a failing one.
    await switchScenario(page, 'Endpoint slow', true);
    await syncAndSettle(page);
    await expect(page.getByText(/endpoint took longer than 5 s to answer/).first()).toBeVisible({
      timeout: 60_000,
    });
    await expect(page.getByText(/endpoint is failing/)).toHaveCount(0);
    const slow = await acmeInConsole(page);
    await expect(slow).toContainText('Failing');
    await expect(slow).toContainText(/endpoint took longer than 5 s to answer/);
    await slow.getByRole('link', { name: 'Acme Corp' }).click();
    await expect(
      customerView(page)
        .getByText(/endpoint took longer than 5 s to answer/)
        .first(),
    ).toBeVisible();
    // Reset: the endpoint answers at once again, and the next load delivers what waited.
    await resetDemo(page, 'Endpoint slow');
    await syncAndSettle(page);
    await expect(page.getByText(/endpoint took longer than 5 s to answer/)).toHaveCount(0);
    await expect(page.getByText('Delivered', { exact: true }).first()).toBeVisible();

    // A mapped column is renamed in Acme's database: the mapping's to fix, on the customer's page and in the console.
    await switchScenario(page, 'Schema drift', true);
    await syncAndSettle(page);
    await expect(page.getByText(/mapping needs a change/i).first()).toBeVisible({
      timeout: 60_000,
    });
    const drifted = await acmeInConsole(page);
    await expect(drifted).toContainText(/mapping needs a change/);
    await drifted.getByRole('link', { name: 'Acme Corp' }).click();
    await expect(
      customerView(page)
        .getByText(/mapping needs a change/i)
        .first(),
    ).toBeVisible();
    // Reset: the column is back, and after the next run Acme is healthy in the console.
    await resetDemo(page, 'Schema drift');
    await syncAndSettle(page);
    await expect(page.getByText(/mapping needs a change/i)).toHaveCount(0);
    await expect(await acmeInConsole(page)).toContainText('Healthy');

    // Presenter mode masks emails on every page.
    await page.goto('/');
    await page.getByRole('switch', { name: /Presenter mode/ }).click();
    await expect(page.getByRole('switch', { name: /Presenter mode/ })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    await page.goto('/demo/received');
    await expect(
      page.getByRole('table', { name: /Latest version of each received record/ }),
    ).toContainText('•••@');
    await page.goto('/');
    await page.getByRole('switch', { name: /Presenter mode/ }).click();
    await expect(page.getByRole('switch', { name: /Presenter mode/ })).toHaveAttribute(
      'aria-checked',
      'false',
    );
  });

  test('the 1M-row table imports with a live progress bar', async ({ page }) => {
    test.setTimeout(240_000);
    await switchScenario(page, 'A 1M-row table', true);
    await page.getByRole('button', { name: 'Open as the customer (Acme Corp)' }).click();
    // Signed in once the wizard opens (it resumes wherever Acme is); then straight to choosing data.
    await expect(page).toHaveURL(/\/connect\//);
    await page.goto('/connect/data');
    await page.getByLabel('Search tables').fill('big_events');
    const pick = page.getByRole('checkbox', { name: 'public.big_events' });
    await expect(pick).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: 'public.big_events' })).toContainText(
      '~1M',
    );
    await pick.check();
    await page.getByRole('button', { name: 'Import 1 table' }).click();
    const progress = page.getByRole('progressbar', { name: 'Rows read' });
    await expect(progress).toBeVisible({ timeout: 30_000 });
    await expect
      .poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 60_000 })
      .toBeGreaterThan(0);
    const bigImport = page
      .getByRole('region', { name: 'Your imports' })
      .getByRole('listitem')
      .filter({ hasText: 'big_events' });
    await expect(bigImport.getByText('Imported')).toBeVisible({ timeout: 180_000 });
    await expect(bigImport).toContainText(/1,000,000 new/);
  });
});
