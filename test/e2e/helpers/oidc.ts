import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { findBrowser } from './find-browser';
import { testId } from './page';
import { startPlayground } from './playground';

/** What oidc-provider did, and what the API received (`GET /oidc-api/log`). */
export interface ProviderLog {
  grants: string[];
  grantErrors: string[];
  revokedGrants: number;
  endedSessions: number;
  notes: { sub: string; text: string }[];
}

/** What a test of the OpenID Connect page gets: the server, a fresh browser, its pages' errors. */
export interface OidcSuite {
  readonly url: string;
  readonly context: BrowserContext;
  readonly pageErrors: string[];
  log(): Promise<ProviderLog>;
  setAccessTtl(seconds: number): Promise<void>;
}

/** Headless Chromium as a user has it: the popup blocker on (Playwright turns it off). */
async function launch(dir: string): Promise<BrowserContext> {
  const executablePath = findBrowser();
  if (executablePath === null) throw new Error('No Chromium found (see find-browser.ts)');
  const context = await chromium.launchPersistentContext(dir, {
    executablePath,
    headless: true,
    ignoreDefaultArgs: ['--disable-popup-blocking'],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
    viewport: { width: 1100, height: 900 },
  });
  // Nothing leaves the machine: every request but to the dev server fails.
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/]).*/, (route) =>
    route.request().url().startsWith('about:') || route.request().url().startsWith('data:')
      ? route.continue()
      : route.abort(),
  );
  return context;
}

/** Start the playground once per file; a new browser profile per test (a screenshot on failure). */
export function setupOidcSuite(): OidcSuite {
  let server: Awaited<ReturnType<typeof startPlayground>> | undefined;
  let context: BrowserContext | undefined;
  let dir = '';
  const pageErrors: string[] = [];
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready`);
    return value;
  };
  beforeAll(async () => {
    server = await startPlayground();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    pageErrors.length = 0;
    dir = await mkdtemp(join(tmpdir(), 'sessionkeeper-oidc-e2e-'));
    context = await launch(dir);
    context.on('page', (page) =>
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)),
    );
  });
  afterEach(async (test) => {
    const current = need(context, 'The browser');
    context = undefined;
    if (test.task.result?.state === 'fail') {
      await mkdir('test-results', { recursive: true });
      const name = test.task.name.replace(/[^a-z0-9]+/gi, '-');
      for (const [index, page] of current.pages().entries()) {
        await page.screenshot({ path: `test-results/oidc-${name}-${index}.png` }).catch(() => {});
      }
    }
    await current.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    if (pageErrors.length > 0) throw new Error(`Errors in the page:\n${pageErrors.join('\n')}`);
  });
  const suite: OidcSuite = {
    get url() {
      return need(server, 'The playground').url;
    },
    get context() {
      return need(context, 'The browser');
    },
    pageErrors,
    async log() {
      return (await (await fetch(`${suite.url}/oidc-api/log`)).json()) as ProviderLog;
    },
    async setAccessTtl(seconds) {
      await fetch(`${suite.url}/oidc-api/settings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accessTtlSeconds: seconds }),
      });
    },
  };
  return suite;
}

/** Open the OpenID Connect page at `query` and wait until its session has started. */
export async function openOidcPage(suite: OidcSuite, query = ''): Promise<Page> {
  const blank = suite.context.pages().find((open) => open.url() === 'about:blank');
  const page = blank ?? (await suite.context.newPage());
  await page.goto(`${suite.url}/oidc.html${query}`);
  await page.waitForSelector(`${testId('oidc-status')}:not(:text("initializing"))`);
  return page;
}

/** Wait until the page's session status is `status`. */
export async function waitForOidcStatus(page: Page, status: string): Promise<void> {
  await page.waitForSelector(`${testId('oidc-status')}:text-is("${status}")`);
}

const LOGIN = 'input[name="login"]';
const CONSENT = 'button:has-text("Continue")';

/**
 * Sign in at oidc-provider's development pages, in `page` (the tab or the popup): any login and
 * password (skipped while the provider's session lasts), then the consent for `offline_access`.
 */
export async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.waitForSelector(`${LOGIN}, ${CONSENT}`);
  if (await page.$(LOGIN)) {
    await page.fill(LOGIN, login);
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    await page.waitForSelector(CONSENT);
  }
  await page.click(CONSENT);
}

/** Whether the provider asks `page` to log in (no provider session), rather than only to consent. */
export async function providerAsksLogin(page: Page): Promise<boolean> {
  await page.waitForSelector(`${LOGIN}, ${CONSENT}`);
  return (await page.$(LOGIN)) !== null;
}

/** The error code the page shows, once it shows one. */
export async function shownError(page: Page): Promise<string> {
  const error = await page.waitForSelector(`${testId('oidc-error')}:not([hidden])`);
  return (await error.textContent())?.split(':')[0] ?? '';
}

/** Click `selector` on `page` and return the popup it opened. */
export async function clickForPopup(page: Page, selector: string): Promise<Page> {
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click(selector)]);
  return popup;
}
