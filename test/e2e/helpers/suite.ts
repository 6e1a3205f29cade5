import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, test as vitestTest } from 'vitest';
import { type Browser, launchBrowser } from './browser';
import { browserRequired, findBrowser } from './find-browser';
import { type MockControls, mockControls } from './mock';
import { startPlayground } from './playground';

/**
 * `test` for the real-browser tests: skipped when no browser is found (the run's last line says
 * so), except where a browser is required (CI, screenshots): there they fail.
 */
export const test = vitestTest.skipIf(findBrowser() === null && !browserRequired());

/** Where screenshots of failed tests go. */
const RESULTS_DIR = 'test-results';

/** What a test of the playground gets: the server, its controls, and a fresh browser. */
export interface PlaygroundSuite {
  readonly url: string;
  readonly mock: MockControls;
  readonly browser: Browser;
  /** Uncaught errors of the test's pages; a test with any fails. */
  readonly pageErrors: string[];
}

const fileName = (name: string) => name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');

/**
 * Start the playground once per file; per test: reset the mock server, launch a browser with a
 * fresh profile, and afterwards save a screenshot of every page when the test failed.
 */
export function setupPlayground(): PlaygroundSuite {
  let server: Awaited<ReturnType<typeof startPlayground>> | undefined;
  let browser: Browser | undefined;
  let mock: MockControls | undefined;
  const pageErrors: string[] = [];
  // Console errors are expected (a failed request is logged); shown only when a test fails.
  const consoleErrors: string[] = [];
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready`);
    return value;
  };

  beforeAll(async () => {
    server = await startPlayground();
    mock = mockControls(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    await need(mock, 'The mock server').reset();
    pageErrors.length = 0;
    consoleErrors.length = 0;
    browser = await launchBrowser();
    const watch = (page: Page) => {
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
      });
    };
    for (const page of browser.context.pages()) watch(page);
    browser.context.on('page', watch);
  });
  afterEach(async (context) => {
    const current = browser;
    browser = undefined;
    if (!current) return;
    try {
      if (context.task.result?.state === 'fail' || pageErrors.length > 0) {
        if (consoleErrors.length > 0) console.error(`Console errors:\n${consoleErrors.join('\n')}`);
        await mkdir(RESULTS_DIR, { recursive: true });
        const pages = current.context.pages();
        for (const [index, page] of pages.entries()) {
          const path = `${RESULTS_DIR}/${fileName(context.task.name)}-${index + 1}.png`;
          await page.screenshot({ path, fullPage: true }).catch(() => {});
        }
      }
    } finally {
      await current.close();
    }
    if (pageErrors.length > 0) throw new Error(`Errors in the page:\n${pageErrors.join('\n')}`);
  });

  return {
    get url() {
      return need(server, 'The playground').url;
    },
    get mock() {
      return need(mock, 'The mock server');
    },
    get browser() {
      return need(browser, 'The browser');
    },
    pageErrors,
  };
}
