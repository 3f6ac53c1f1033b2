import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page, type Response } from '@playwright/test';

export { expect };

export type CapturedResponse = { url: string; status: number; headers: string; body: string };

async function capture(response: Response): Promise<CapturedResponse> {
  // Redirects and aborted requests have no body to read.
  const body = await response.text().catch(() => '');
  const headers = await response.allHeaders().then(JSON.stringify, () => '');
  return { url: response.url(), status: response.status(), headers, body };
}

type Fixtures = {
  /** Every response the page received so far, with its headers and body as text. */
  browserResponses: () => Promise<CapturedResponse[]>;
};

export const test = base.extend<Fixtures>({
  // `provide` is Playwright's `use`, renamed so the React hooks lint rule does not mistake it for a hook.
  browserResponses: async ({ page }, provide) => {
    const pending: Promise<CapturedResponse>[] = [];
    page.on('response', (response) => {
      pending.push(capture(response));
    });
    await provide(() => Promise.all(pending));
  },
});

const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe on the current page and fails with a readable list of serious or critical violations. */
export async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA_TAGS).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  expect(serious).toEqual([]);
}

/** Fails when the page is wider than the viewport, i.e. when the user would have to scroll sideways. */
export async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(
    scrollWidth,
    `page is ${scrollWidth}px wide in a ${clientWidth}px viewport`,
  ).toBeLessThanOrEqual(clientWidth);
}
