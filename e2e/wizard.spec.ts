import { e2eStack } from './stack';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createReceiver, type Receiver } from '../scripts/receiver/create-receiver';
import {
  createDestination,
  createTenant,
  createTenantWithPipeline,
  ensureSourceDatabase,
  mintSession,
  SOURCE_PASSWORD,
  snapshotTenant,
} from './tenant';

test.describe('onboarding wizard', () => {
  let receiver: Receiver;
  test.beforeAll(async () => {
    receiver = createReceiver({ engineUrl: e2eStack.engineUrl });
    await receiver.start();
  });
  test.afterAll(async () => {
    await receiver.stop();
  });

  test('without a session explains how to get in, and an expired or altered link says so', async ({
    page,
  }) => {
    await page.goto('/connect');
    await expect(
      page.getByRole('heading', { name: 'Open this page from your account' }),
    ).toBeVisible();
    await page.goto('/connect?session=not-a-token');
    await expect(page).toHaveURL(/\/session\?problem=invalid$/);
    await expect(page.getByRole('heading', { name: 'This link is not valid' })).toBeVisible();
  });

  test('refuses to mint a session without the embed secret', async ({ request }) => {
    const response = await request.post(`${e2eStack.appUrl}/api/embed/sessions`, {
      data: { provider_id: 'acme' },
    });
    expect(response.status()).toBe(401);
  });

  test('a credentials-only link (for a DBA) opens the connect step and nothing else', async ({
    page,
    request,
  }) => {
    const tenant = await createTenantWithPipeline(request, receiver.url);
    await page.goto(
      await mintSession(request, { provider_id: tenant.providerId, scope: 'credentials' }),
    );
    await expect(page).toHaveURL(`${e2eStack.appUrl}/connect/source`);
    await expect(
      page.getByText('You were sent this link to enter the database connection.'),
    ).toBeVisible();
    // The DBA sees whose database this is for.
    await expect(page.getByText(/Connecting for Other Corp [0-9a-f]{8}/)).toBeVisible();
    // The saved connection is shown without its password, ready to be updated.
    await expect(page.getByLabel('Host', { exact: true })).toHaveValue('127.0.0.1');
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
    await page.goto('/connect/map');
    await expect(page).toHaveURL(`${e2eStack.appUrl}/connect/source`);
    expect((await page.request.get('/api/wizard/datasets')).status()).toBe(403);
  });

  test('a connection test on a small screen brings its result into view and announces it', async ({
    page,
    request,
  }) => {
    const database = await ensureSourceDatabase();
    const { providerId } = await createTenant(request);
    await page.setViewportSize({ width: 390, height: 640 });
    await page.goto(await mintSession(request, { provider_id: providerId }));
    await page.getByLabel('Host', { exact: true }).fill(database.host);
    await page.getByLabel('Port', { exact: true }).fill(String(database.port));
    await page.getByLabel('Database name').fill(database.database);
    await page.getByLabel('User name').fill(database.username);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByLabel('Require an encrypted (SSL/TLS) connection').uncheck();
    await page.getByRole('button', { name: 'Test connection' }).click();
    const outcome = page.getByRole('heading', { name: 'Connection failed' });
    await expect(page.getByRole('status').filter({ has: outcome })).toBeVisible();
    await expect(outcome).toBeInViewport();
  });

  test('the whole journey ends with records verified at the receiver', async ({
    page,
    request,
    browserResponses,
  }) => {
    test.setTimeout(150_000);
    // Every server action the page calls, to replay later with another tenant's ids.
    const actions: { url: string; headers: Record<string, string>; body: string }[] = [];
    page.on('request', (sent) => {
      const headers = sent.headers();
      if (headers['next-action'])
        actions.push({ url: sent.url(), headers, body: sent.postData() ?? '' });
    });
    const database = await ensureSourceDatabase();
    const destination = await createDestination(request, receiver.url);
    const { providerId } = await createTenant(request, { destinationIds: [destination.id] });
    await page.goto(await mintSession(request, { provider_id: providerId }));
    // The invite becomes a cookie and leaves the address bar.
    await expect(page).toHaveURL(`${e2eStack.appUrl}/connect/source`);
    await expect(
      page.getByRole('heading', { level: 1, name: 'Connect your database' }),
    ).toBeVisible();
    // Only databases Inlet can connect to, and no tunnel it cannot open yet.
    await expect(page.getByRole('radiogroup', { name: 'Database' }).getByRole('radio')).toHaveCount(
      2,
    );
    await expect(page.getByText('Coming soon')).toHaveCount(0);
    await expect(page.getByLabel(/SSH/)).toHaveCount(0);
    // An empty field looks empty: no placeholder that reads like a value already filled in.
    for (const box of await page.getByRole('textbox').all())
      expect(await box.getAttribute('placeholder')).toBeNull();

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
    await expect(
      page.getByRole('heading', { level: 1, name: 'Choose the data to import' }),
    ).toBeVisible();
    expect(await page.getByLabel('Search tables').getAttribute('placeholder')).toBeNull();
    await page.getByLabel('Search tables').fill('custom');
    await expect(page.getByRole('checkbox', { name: 'public.customers' })).toBeVisible();
    await expect(page.getByRole('checkbox', { name: 'public.orders' })).toHaveCount(0);
    await page.getByLabel('public.customers').check();
    await page.getByRole('button', { name: 'Import 1 table' }).click();
    const imports = page.getByRole('region', { name: 'Your imports' });
    await expect(imports.getByText('customers', { exact: true })).toBeVisible();
    await expect(imports.getByText('Imported')).toBeVisible({ timeout: 30_000 });
    await expect(imports.getByText(/300 new/)).toBeVisible();
    // Once the import has finished, "Importing…" would be stale: it is gone.
    await expect(page.getByText('Importing 1 table.')).toHaveCount(0);
    // The table is marked as imported and cannot be picked again.
    const tables = page.getByRole('region', { name: 'Tables in your database' });
    await expect(page.getByRole('checkbox', { name: 'public.customers' })).toBeDisabled();
    await expect(
      tables.getByRole('row').filter({ hasText: 'public.customers' }).getByText('Already imported'),
    ).toBeVisible();
    // A reload keeps the step and what was saved.
    await page.reload();
    await expect(page).toHaveURL(`${e2eStack.appUrl}/connect/data`);
    await expect(
      page.getByRole('region', { name: 'Your imports' }).getByText('Imported'),
    ).toBeVisible();

    // A query that does not run says why, on the query field.
    await page.getByText('Or import the result of a SQL query').click();
    await page.getByLabel('SQL query').fill('select * from no_such_table');
    await page.getByRole('button', { name: 'Check query' }).click();
    await expect(page.locator('#field-query-error')).toContainText(/no_such_table|does not exist/);
    await expectNoSeriousA11yViolations(page);

    // Leaving and coming back resumes at the first unsaved step.
    await page.goto('/connect');
    await expect(page).toHaveURL(`${e2eStack.appUrl}/connect/map`);

    // Map: suggestions fill the required fields; a bad expression shows its error at the cell.
    await expect(page.getByRole('heading', { level: 1, name: 'Map your fields' })).toBeVisible();
    await expect(page.getByText('2 of 2 required fields mapped')).toBeVisible();
    await expect(page.getByLabel('email', { exact: true })).toHaveValue('column:email');
    const preview = page.getByRole('region', { name: /^Preview/ });
    await expect(preview.getByRole('row')).toHaveCount(6);
    await page.getByLabel('plan', { exact: true }).selectOption('expression');
    await page.getByLabel('Expression for plan').fill('upper(plan');
    await expect(page.locator('#map-plan-error')).toContainText(/unexpected end|column 11/);
    // An expression that runs but yields the wrong type is marked on the preview's cells.
    await page.getByLabel('Expression for plan').fill('len(plan)');
    await expect(preview.getByText(/^Error:/).first()).toBeVisible();
    await expect(page.locator('#map-plan-error')).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel('Expression for plan').fill('upper(plan)');
    await expect(page.locator('#map-plan-error')).toHaveCount(0);
    await page.getByRole('button', { name: 'Save mapping and continue' }).click();

    // Review and launch: records arrive at the receiver, verified and de-duplicated there.
    await expect(page).toHaveURL(`${e2eStack.appUrl}/connect/launch`);
    // A link from before the step was named launch still lands on it.
    await page.goto('/connect/review');
    await expect(page).toHaveURL(`${e2eStack.appUrl}/connect/launch`);
    await page.getByRole('button', { name: 'Launch import' }).click();
    // One state at a time: delivering with the count so far, then delivered, never both.
    const launch = page.getByRole('region', { name: 'Your import' });
    await expect(launch.getByText('Delivered 300 records', { exact: true })).toBeVisible({
      timeout: 60_000,
    });
    await expect(launch).not.toContainText('Delivering');
    const stats = await receiver.waitFor((current) => current.records >= 300, 30_000);
    expect(stats.rejections).toBe(0);
    const delivered = receiver.store.latest(providerId, '1')?.record as
      Record<string, unknown> | undefined;
    expect(delivered).toMatchObject({ id: '1', email: expect.stringContaining('@') });
    expect(String(delivered?.plan)).toBe(String(delivered?.plan).toUpperCase());
    await expectNoSeriousA11yViolations(page);

    // Neither the API key, the embed secret nor the database password ever reached the browser.
    for (const response of await browserResponses()) {
      for (const secret of [e2eStack.apiKey, e2eStack.embedSecret, SOURCE_PASSWORD]) {
        expect(response.url).not.toContain(secret);
        expect(response.headers).not.toContain(secret);
        expect(response.body, `${response.url} leaked a secret`).not.toContain(secret);
      }
    }

    // Every server action replayed by this session with another tenant's ids is refused, and changes nothing.
    const other = await createTenantWithPipeline(request, receiver.url);
    const before = await snapshotTenant(request, other.providerId);
    // Each captured action, with the other tenant's ids in place of ours, or added where the action takes an id.
    const replays = actions.flatMap((action) => {
      let args: unknown;
      try {
        args = JSON.parse(action.body);
      } catch {
        return [];
      }
      const input =
        Array.isArray(args) && typeof args[0] === 'object' && args[0] !== null
          ? (args[0] as Record<string, unknown>)
          : null;
      if (!input) return [];
      const forged = { ...input };
      if ('form' in forged) forged.sourceId = other.sourceId;
      if ('datasetId' in forged) forged.datasetId = other.datasetId;
      if ('destinationId' in forged) forged.destinationId = other.destinationId;
      if (JSON.stringify(forged) === JSON.stringify(input)) return [];
      return [{ ...action, body: JSON.stringify([forged, ...(args as unknown[]).slice(1)]) }];
    });
    expect(replays.length).toBeGreaterThanOrEqual(3);
    for (const replay of replays) {
      const response = await page.request.post(replay.url, {
        headers: replay.headers,
        data: replay.body,
      });
      const answer = await response.text();
      expect(answer, `replayed action ${replay.headers['next-action']}`).not.toContain('"ok":true');
      expect(answer).toContain('belongs to another account');
    }
    const foreignPreview = await page.request.post('/api/wizard/preview', {
      data: {
        destinationId: other.destinationId,
        datasetId: other.datasetId,
        mappings: [],
        recordIds: ['1'],
      },
    });
    expect(foreignPreview.status()).toBe(404);
    expect(await snapshotTenant(request, other.providerId)).toEqual(before);
  });
});
