import { e2eStack } from './stack';
import { expect, expectNoHorizontalScroll, expectNoSeriousA11yViolations, test } from './fixtures';
import type { Page } from '@playwright/test';

function apiConnection(page: Page) {
  return page.getByRole('region', { name: 'Import API connection' });
}

async function openHome(page: Page) {
  await page.goto('/');
  // The status card streams in after the shell; wait for its final state.
  await expect(apiConnection(page).getByText('Connected', { exact: true })).toBeVisible();
}

test.describe('home page', () => {
  test('explains what Inlet is and shows the Import API as connected', async ({ page }) => {
    await openHome(page);

    await expect(page).toHaveTitle('Inlet');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(
      page.getByText(/connect their own database, choose tables, map fields/),
    ).toBeVisible();
    await expect(page.getByRole('heading', { name: 'How an import works' })).toBeVisible();

    const connection = apiConnection(page);
    await expect(connection).toContainText(`Connected to ${e2eStack.engineUrl}`);
    await expect(connection).toContainText('inlet-engine');
  });

  test('lets a keyboard user skip straight to the main content', async ({ page }) => {
    await openHome(page);

    await page.keyboard.press('Tab');
    const skipLink = page.getByRole('link', { name: 'Skip to main content' });
    await expect(skipLink).toBeFocused();
    await expect(skipLink).toBeVisible();

    await page.keyboard.press('Enter');
    await expect(page.getByRole('main')).toBeFocused();
  });

  test('never sends the API key to the browser', async ({ page, browserResponses }) => {
    await openHome(page);

    expect(await page.content()).not.toContain(e2eStack.apiKey);
    const responses = await browserResponses();
    expect(responses.length).toBeGreaterThan(0);
    for (const response of responses) {
      expect(response.url, 'a URL').not.toContain(e2eStack.apiKey);
      expect(response.headers, `the headers of ${response.url}`).not.toContain(e2eStack.apiKey);
      expect(response.body, `the body of ${response.url}`).not.toContain(e2eStack.apiKey);
    }
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`has no serious accessibility violations in the ${colorScheme} theme`, async ({
      page,
    }) => {
      await page.emulateMedia({ colorScheme });
      await openHome(page);

      await expectNoSeriousA11yViolations(page);
    });
  }

  test('fits a 360 px wide screen without horizontal scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 780 });
    await openHome(page);

    await expectNoHorizontalScroll(page);
    for (const region of [page.getByRole('heading', { level: 1 }), apiConnection(page)]) {
      const box = await region.boundingBox();
      expect(box, 'the element is laid out').not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    }
  });
});

test.describe('Import API engine', () => {
  test('answers GET / for the right API key and refuses requests without it', async ({
    request,
  }) => {
    const withKey = await request.get(`${e2eStack.engineUrl}/`, {
      headers: { 'X-API-Key': e2eStack.apiKey },
    });
    expect(withKey.status()).toBe(200);
    expect(await withKey.json()).toMatchObject({ status: 'success' });

    const withoutKey = await request.get(`${e2eStack.engineUrl}/`);
    expect(withoutKey.status()).toBe(401);

    const wrongKey = await request.get(`${e2eStack.engineUrl}/`, {
      headers: { 'X-API-Key': 'not-the-key' },
    });
    expect(wrongKey.status()).toBe(401);
  });
});
