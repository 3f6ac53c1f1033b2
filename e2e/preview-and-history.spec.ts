// The map step's preview on a small screen (scrolled by keyboard, long values cut and shown on
// demand), the launch's one state at a time, and the status page's progress and history charts.
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createReceiver } from '../scripts/receiver/create-receiver';
import { e2eStack } from './stack';
import {
  call,
  CUSTOMER_RECORD_SCHEMA,
  createTenant,
  ensureSourceDatabase,
  mintSession,
} from './tenant';

/** The customers schema and a JSON object field: wide enough to scroll, with long values. */
const WIDE_SCHEMA = {
  ...CUSTOMER_RECORD_SCHEMA,
  properties: { ...CUSTOMER_RECORD_SCHEMA.properties, traits: { type: ['object', 'null'] } },
};
const MAPPED = ['id', 'email', 'full_name', 'country', 'plan', 'traits'];
const COLUMN_OF: Record<string, string> = { traits: 'attributes' };

test('the preview scrolls by keyboard and cuts long values; launch and status show one state at a time, then chart each run', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const receiver = createReceiver({ engineUrl: e2eStack.engineUrl });
  await receiver.start();
  try {
    const database = await ensureSourceDatabase();
    const { destination } = await call<{ destination: { id: string; name: string } }>(
      request,
      'POST',
      '/import/destinations?skip_validation=true',
      {
        destination: {
          name: `Wide customers ${Date.now()}`,
          record_schema: WIDE_SCHEMA,
          type: 'webhook_record',
          webhook_record: {
            request_template: { method: 'POST', uri: `${receiver.url}/prequel/records` },
          },
        },
      },
    );
    const { providerId } = await createTenant(request, { destinationIds: [destination.id] });
    const { source } = await call<{ source: { id: string } }>(request, 'POST', '/import/sources', {
      source: {
        name: 'wide-postgres',
        vendor: 'postgres',
        provider_id: providerId,
        postgres: {
          host: database.host,
          port: database.port,
          database: database.database,
          disable_ssl: true,
          password_auth: { username: database.username, password: database.password },
        },
      },
    });
    const { dataset } = await call<{ dataset: { id: string } }>(
      request,
      'POST',
      '/import/datasets',
      {
        dataset: {
          source_id: source.id,
          type: 'dimension',
          table: { source_table_namespace: 'public', source_table_name: 'customers' },
          dimension: { primary_key_column: 'id' },
        },
      },
    );
    await call(request, 'POST', '/import/streams', {
      stream: {
        name: 'wide stream',
        dataset_id: dataset.id,
        destination_id: destination.id,
        is_enabled: false,
        mappings: MAPPED.map((field) => ({
          target_field: field,
          field_type: 'field',
          column: { name: COLUMN_OF[field] ?? field },
        })),
      },
    });
    const { extract } = await call<{ extract: { id: string } }>(
      request,
      'POST',
      `/import/datasets/${dataset.id}/extract`,
    );
    await expect
      .poll(
        async () =>
          (
            await call<{ extract: { status: string } }>(
              request,
              'GET',
              `/import/extracts/${extract.id}`,
            )
          ).extract.status,
        { timeout: 60_000 },
      )
      .toBe('succeeded');

    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(await mintSession(request, { provider_id: providerId }));
    await page.goto(`/connect/map?destination=${destination.id}`);

    // Every mapped field has its column, and the keyboard scrolls the last one into view.
    const records = page.getByRole('region', { name: /^Sample records/ });
    await expect(records.getByRole('row')).toHaveCount(6);
    for (const field of MAPPED)
      await expect(records.getByRole('columnheader', { name: field, exact: true })).toHaveCount(1);
    const last = records.getByRole('columnheader', { name: 'traits', exact: true });
    await expect(last).not.toBeInViewport();
    // Reached with the keyboard: back from the button under the preview, through its cells.
    await page.getByRole('button', { name: 'Save mapping and continue' }).focus();
    const isFocused = () => records.evaluate((element) => element === document.activeElement);
    for (let press = 0; press < 40 && !(await isFocused()); press++)
      await page.keyboard.press('Shift+Tab');
    await expect(records).toBeFocused();
    await expect(async () => {
      await page.keyboard.press('ArrowRight');
      await expect(last).toBeInViewport({ timeout: 100 });
    }).toPass({ timeout: 15_000 });

    // A long JSON value is cut; its button shows all of it and hides it again.
    const showAll = records.getByRole('button', { name: 'Show all' }).first();
    await expect(showAll).toHaveAttribute('aria-expanded', 'false');
    await showAll.focus();
    await page.keyboard.press('Enter');
    const showLess = records.getByRole('button', { name: 'Show less' });
    await expect(showLess).toHaveAttribute('aria-expanded', 'true');
    const cell = records
      .getByRole('cell')
      .filter({ has: page.getByRole('button', { name: 'Show less' }) });
    await expect(cell).toContainText('"prefs":');
    await expect(cell).not.toContainText('…');
    await page.keyboard.press('Enter');
    await expect(showLess).toHaveCount(0);
    await expectNoSeriousA11yViolations(page);

    // Launch, with the endpoint answering slowly: one state at a time, delivering and then
    // delivered; meanwhile the status page shows the delivery's progress.
    await page.setViewportSize({ width: 1280, height: 900 });
    receiver.control.set({ latencyMs: 50 });
    await page.goto('/connect/launch');
    await page.getByRole('button', { name: 'Launch import' }).click();
    const launch = page.getByRole('region', { name: 'Your import' });
    await expect(launch.getByText(/^Delivering… [\d,]+ records? so far$/)).toBeVisible();
    await expect(launch).not.toContainText('Delivered');
    await page.goto('/status');
    const delivering = page.getByRole('region', { name: 'Deliveries' });
    await expect(delivering.getByRole('progressbar', { name: /^Delivery to Wide/ })).toBeVisible();
    await expect(delivering.getByText(/^Delivering… [\d,]+ records so far$/)).toBeVisible();
    receiver.control.reset();
    await expect(delivering.getByText(/^Last delivery: 300 delivered/)).toBeVisible({
      timeout: 60_000,
    });
    await expect(delivering.getByRole('progressbar')).toHaveCount(0);
    await page.goto('/connect/launch');
    await expect(launch.getByText('Delivered 300 records', { exact: true })).toBeVisible();
    await expect(launch).not.toContainText('Delivering');

    // The status page: a named chart with a text alternative for the imports and for the
    // deliveries, and when the last delivery was.
    await page.goto('/status');
    const deliveries = page.getByRole('region', { name: 'Deliveries' });
    await expect(
      deliveries.getByRole('img', {
        name: /^Records delivered per run, to Wide customers .*Latest: [\d,]+ records delivered\./,
      }),
    ).toBeVisible();
    await expect(
      deliveries.getByRole('table', { name: /^Records delivered per run/ }).getByRole('row'),
    ).not.toHaveCount(0);
    await expect(
      deliveries.getByText(/^Last delivery: [\d,]+ delivered, at \d\d:\d\d \(\d+ (s|min) ago\)$/),
    ).toBeVisible();
    const imports = page.getByRole('region', { name: 'Data from your database' });
    await expect(
      imports.getByRole('img', { name: /^Records changed per import, customers .*runs? / }),
    ).toBeVisible();
    await expect(imports.getByText('Time the run ended')).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  } finally {
    await receiver.stop();
  }
});
