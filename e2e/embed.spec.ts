import { e2eStack } from './stack';
import { expect, test } from './fixtures';
import { startHostPage } from './host-page';
import { createTenant, mintSession } from './tenant';

test.describe('embedded in another site', () => {
  test('works inside a cross-site iframe and tells the host page which step it is on', async ({
    page,
    request,
  }) => {
    const host = await startHostPage(e2eStack.hostPagePort, e2eStack.appUrl);
    try {
      const { providerId } = await createTenant(request);
      host.setFrame(await mintSession(request, { provider_id: providerId }));
      await page.goto(`http://localhost:${e2eStack.hostPagePort}/`);
      const wizard = page.frameLocator('iframe[title="Data import"]');
      // The session cookie was set and sent inside the third-party frame: the wizard, not the sign-in notice.
      await expect(
        wizard.getByRole('heading', { level: 1, name: 'Connect your database' }),
      ).toBeVisible();
      await expect(page.locator('#events')).toContainText(
        '{"type":"inlet:step_changed","step":"source"}',
      );
      // The host closes the import when the customer asks to.
      await wizard.getByRole('button', { name: 'Close' }).click();
      await expect(page.locator('#events')).toContainText('{"type":"inlet:closed"}');
    } finally {
      await host.close();
    }
  });

  test('refuses to be framed by a site that is not allowed', async ({ page, request }) => {
    const host = await startHostPage(e2eStack.foreignHostPagePort, e2eStack.appUrl);
    try {
      const { providerId } = await createTenant(request);
      host.setFrame(await mintSession(request, { provider_id: providerId }));
      const refused = page.waitForEvent('console', (message) =>
        /frame-ancestors/.test(message.text()),
      );
      await page.goto(`http://localhost:${e2eStack.foreignHostPagePort}/`);
      await refused;
      await expect(
        page
          .frameLocator('iframe[title="Data import"]')
          .getByRole('heading', { name: 'Connect your database' }),
      ).toHaveCount(0);
    } finally {
      await host.close();
    }
  });

  test('the embedding example frames the wizard for the chosen customer', async ({
    page,
    request,
  }) => {
    const { providerId } = await createTenant(request, { name: 'Example Corp' });
    await page.goto(`/embed-example?provider=${providerId}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Embedding example' })).toBeVisible();
    await expect(
      page
        .frameLocator('iframe[title="Data import"]')
        .getByRole('heading', { level: 1, name: 'Connect your database' }),
    ).toBeVisible();
    await expect(page.getByRole('region', { name: 'Events posted to this page' })).toContainText(
      '"step":"source"',
    );
  });
});
