import { expect, test } from './fixtures';
import { createReceiver } from '../scripts/receiver/create-receiver';
import { e2eStack } from './stack';
import { createTenantWithPipeline, mintSession } from './tenant';
import { WIZARD_STEPS } from '../lib/wizard/steps';

const BUDGET_BYTES = 250 * 1024;

test('every wizard route loads under 250 kB of compressed JavaScript', async ({
  browser,
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const receiver = createReceiver({ engineUrl: e2eStack.engineUrl });
  await receiver.start();
  try {
    // A tenant with a source, a dataset and a saved stream can open every step.
    const tenant = await createTenantWithPipeline(request, receiver.url);
    await page.goto(await mintSession(request, { provider_id: tenant.providerId }));
    const report: string[] = [];
    const cookies = await page.context().cookies();
    for (const step of WIZARD_STEPS) {
      // A fresh browser context per route, with only the session cookie: nothing cached, as on a first visit.
      const context = await browser.newContext();
      await context.addCookies(cookies);
      const fresh = await context.newPage();
      const scripts: Promise<number>[] = [];
      fresh.on('requestfinished', (finished) => {
        if (finished.resourceType() === 'script')
          scripts.push(finished.sizes().then((sizes) => sizes.responseBodySize));
      });
      await fresh.goto(step.path, { waitUntil: 'networkidle' });
      await expect(fresh).toHaveURL(new RegExp(`${step.path}$`));
      const bytes = (await Promise.all(scripts)).reduce((sum, size) => sum + size, 0);
      report.push(`${step.path.padEnd(18)} ${(bytes / 1024).toFixed(1)} kB`);
      expect(bytes, `${step.path} first-load JS`).toBeLessThan(BUDGET_BYTES);
      await context.close();
    }
    console.log(`First-load JS per wizard route (compressed):\n  ${report.join('\n  ')}`);
  } finally {
    await receiver.stop();
  }
});
