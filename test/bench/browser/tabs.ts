import type { Page } from 'playwright-core';
import type { SessionStatus } from '../../../src/index';
import { type Browser, launchBrowser } from '../../e2e/helpers/browser';
import { installCounters, type PageCounters } from './counters';
import type { BenchServer } from './server';
import { sleep } from './stats';

/** A fresh Chromium profile whose every page counts its timers, locks and messages. */
export async function launchCounted(): Promise<Browser> {
  const browser = await launchBrowser();
  await browser.context.addInitScript(installCounters);
  return browser;
}

/** Open a tab on `url` and wait until its session has started. */
export async function openTab(browser: Browser, url: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => console.error(`bench page error at ${page.url()}: ${error}`));
  await page.goto(url);
  await page.evaluate(() => window.__bench?.ready);
  return page;
}

export const statusOf = (page: Page) => page.evaluate(() => window.__bench.status());

export const waitForStatus = (page: Page, status: SessionStatus) =>
  page.evaluate((wanted) => window.__bench.whenStatus(wanted), status);

export const countersOf = (page: Page): Promise<PageCounters> =>
  page.evaluate(() => structuredClone(window.__counters));

export const refreshEventsOf = (page: Page) =>
  page.evaluate(() => ({ ...window.__bench.refreshes }));

/**
 * `count` tabs on the bench page, signed in (as alice, in the first tab; the others follow over
 * the channel) with access tokens living `tokenSeconds`; `query`: the bench page's options.
 */
export async function openSignedInTabs(
  server: BenchServer,
  browser: Browser,
  count: number,
  tokenSeconds: number,
  query = '',
): Promise<Page[]> {
  server.mock.state.reset();
  server.mock.state.setConfig({ accessTtlSeconds: tokenSeconds });
  const tabs: Page[] = [];
  for (let i = 0; i < count; i++) {
    tabs.push(await openTab(browser, server.page('min', 'index', query)));
  }
  await tabs[0]!.evaluate(() => window.__bench.login('alice'));
  for (const tab of tabs) await waitForStatus(tab, 'authenticated');
  return tabs;
}

/** Wait (polling the mock server's state, not the pages) until it has made `count` refreshes. */
export async function waitForRefreshes(server: BenchServer, count: number, timeoutMs: number) {
  const giveUp = Date.now() + timeoutMs;
  while (server.mock.state.counters.refreshes < count) {
    if (Date.now() > giveUp) {
      throw new Error(
        `Waited ${timeoutMs} ms for refresh ${count}; the server made ${server.mock.state.counters.refreshes}`,
      );
    }
    await sleep(25);
  }
}
