// The support console's data reaches support staff only: an anonymous visitor or a customer session gets no tenant
// or configuration data in any response body, whatever its status (Next renders a page beside its layout, so a
// redirect or a 403 could otherwise still carry the page's server-rendered data).
import type { APIRequestContext, Browser } from '@playwright/test';
import { e2eStack } from './stack';
import { expect, test } from './fixtures';
import { createTenant, createTenantWithPipeline, mintSession } from './tenant';

type Tenant = Awaited<ReturnType<typeof createTenantWithPipeline>>;

async function namesOf(request: APIRequestContext, tenant: Tenant): Promise<string[]> {
  const headers = { 'X-API-Key': e2eStack.apiKey };
  const get = async (path: string) =>
    (await (await request.get(`${e2eStack.engineUrl}${path}`, { headers })).json()) as {
      data: Record<string, Record<string, unknown>>;
    };
  const provider = (await get(`/import/providers/${tenant.providerId}`)).data.provider!;
  const destination = (await get(`/import/destinations/${tenant.destinationId}`)).data.destination!;
  const datalake = (await get(`/import/datalakes/${String(provider.datalake_id)}`)).data.datalake!;
  // What a page about this tenant or this installation would show.
  return [
    tenant.providerId,
    String(provider.name),
    String(destination.name),
    String(datalake.name),
    'other-postgres',
    'other stream',
    'Where we reach the customer',
    'Two-letter country code',
    e2eStack.engineUrl.replace('http://', ''),
  ];
}

async function customerContext(browser: Browser, request: APIRequestContext) {
  const { providerId } = await createTenant(request, { name: 'Curious Customer' });
  const context = await browser.newContext({ baseURL: e2eStack.appUrl });
  const page = await context.newPage();
  await page.goto(await mintSession(request, { provider_id: providerId }));
  return context;
}

test.describe('support console boundary', () => {
  let tenant: Tenant;
  let secrets: string[];
  test.beforeAll(async ({ request }) => {
    tenant = await createTenantWithPipeline(request, 'http://127.0.0.1:9');
    secrets = await namesOf(request, tenant);
  });

  const urls = () => [
    '/support',
    '/support?q=Other',
    '/support/settings',
    `/support/tenants/${tenant.providerId}`,
    `/api/support/tenants/${tenant.providerId}/status`,
    `/api/support/tenants/${tenant.providerId}/status/trace?dataset_id=${tenant.datasetId}&record_id=1`,
  ];

  async function expectNothingLeaks(request: APIRequestContext, who: string) {
    for (const url of urls()) {
      // As a browser navigation, and as Next's client-side navigation (an RSC payload).
      for (const headers of [{}, { RSC: '1' }] as Record<string, string>[]) {
        const response = await request.get(url, { headers, maxRedirects: 0 });
        const body = await response.text();
        // The URL's own words (a provider id typed into it) come back in Next's route tree; nothing else may.
        for (const secret of secrets.filter((candidate) => !url.includes(candidate)))
          expect(
            body,
            `${who} ${url} ${JSON.stringify(headers)} answered ${response.status()} with "${secret}"`,
          ).not.toContain(secret);
      }
    }
  }

  test('an anonymous visitor gets no tenant or configuration data from any support URL', async ({
    playwright,
  }) => {
    const anonymous = await playwright.request.newContext({ baseURL: e2eStack.appUrl });
    await expectNothingLeaks(anonymous, 'anonymous');
    // The proxy turns them away before anything renders.
    const response = await anonymous.get('/support/settings', { maxRedirects: 0 });
    expect(response.status()).toBe(303);
    expect(response.headers().location).toMatch(/\/support\/login$/);
    await anonymous.dispose();
  });

  test('a customer session gets no tenant or configuration data from any support URL', async ({
    browser,
    request,
  }) => {
    const customer = await customerContext(browser, request);
    await expectNothingLeaks(customer.request, 'customer');
    await customer.close();
  });

  test('a support session does see the tenant (the check above can fail)', async ({
    browser,
    request,
  }) => {
    const context = await browser.newContext({ baseURL: e2eStack.appUrl });
    const page = await context.newPage();
    await page.goto(await mintSession(request, { role: 'support', actor: 'ada@saas.example' }));
    const body = await (await context.request.get(`/support/tenants/${tenant.providerId}`)).text();
    expect(body).toContain(tenant.providerId);
    expect(body).toContain('other-postgres');
    await context.close();
  });
});
