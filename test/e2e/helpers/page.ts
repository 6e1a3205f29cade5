import type { BrowserContext, Page } from 'playwright-core';

/** A `data-testid` selector. */
export const testId = (id: string) => `[data-testid="${id}"]`;

export type Status = 'initializing' | 'anonymous' | 'authenticated' | 'refreshing' | 'expired';

/** Open the playground (`path` under `baseUrl`) in a new page and wait until it settled. */
export async function openPage(
  context: BrowserContext,
  baseUrl: string,
  path = '/',
): Promise<Page> {
  // A new persistent context starts with one blank page: use it first.
  const blank = context.pages().find((open) => open.url() === 'about:blank');
  const page = blank ?? (await context.newPage());
  await page.goto(`${baseUrl}${path}`);
  await page.waitForSelector(`${testId('status')}:not([data-status="initializing"])`);
  return page;
}

/** Wait until the page's session status is one of `statuses`. */
export async function waitForStatus(page: Page, ...statuses: Status[]): Promise<void> {
  await page.waitForFunction(
    ([selector, wanted]) =>
      wanted.includes(document.querySelector(selector)?.getAttribute('data-status') ?? ''),
    [testId('status'), statuses as string[]] as const,
  );
}

/** Sign in with the page's own button and wait until the session says who is signed in. */
export async function signIn(page: Page, user: string): Promise<void> {
  // Headless Chromium runs animation frames only in the front page; Playwright waits for them.
  await page.bringToFront();
  await page.click(testId(`signin-${user}`));
  await page.waitForSelector(`${testId('user')}[data-user="${user}"]`);
  await waitForStatus(page, 'authenticated', 'refreshing');
}

/** An attribute of the element with `data-testid=id`. */
export async function attribute(page: Page, id: string, name: string): Promise<string> {
  return (await page.getAttribute(testId(id), name)) ?? '';
}

/** A numeric attribute of the element with `data-testid=id`. */
export async function numberAttribute(page: Page, id: string, name: string): Promise<number> {
  return Number(await attribute(page, id, name));
}

/** Wait until the numeric attribute `name` of `data-testid=id` is at least `min`. */
export async function waitForCount(page: Page, id: string, name: string, min: number) {
  await page.waitForFunction(
    ([selector, attr, least]) =>
      Number(document.querySelector(selector)?.getAttribute(attr) ?? Number.NaN) >= least,
    [testId(id), name, min] as const,
  );
}
