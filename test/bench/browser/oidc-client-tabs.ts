import type { Page } from 'playwright-core';
import type { Browser } from '../../e2e/helpers/browser';
import { type NewTabSample, startupOf } from './new-tab';
import type { BenchServer } from './server';
import { sleep } from './stats';
import { countersOf, openTab, waitForStatus } from './tabs';

/** One new oidc-client-ts tab opened next to signed-in ones, in ms from navigation start. */
export interface OidcNewTabSample
  extends Pick<
    NewTabSample,
    'endToEnd' | 'library' | 'imports' | 'create' | 'wait' | 'scriptStart' | 'status' | 'fromNode'
  > {
  /** Navigation start → `GET /api/me` with the stored token answered 200 (NaN: not measured). */
  firstRequest: number;
  /** `fetch()` calls the tab made by path, by the time it was measured. */
  fetches: Record<string, number>;
}

/** When `page` marked `sk:first-request` (its first authorized request answered 200), or NaN. */
export const firstRequestOf = (page: Page): Promise<number> =>
  page.evaluate(
    () => performance.getEntriesByName('sk:first-request', 'mark')[0]?.startTime ?? Number.NaN,
  );

/**
 * `count` tabs on the oidc-client-ts page, signed in as alice with access tokens living
 * `tokenSeconds`: the first tab signs in and stores the user in localStorage, the others read it
 * as they start (oidc-client-ts tells no open tab of a sign-in).
 */
export async function openOidcSignedInTabs(
  server: BenchServer,
  browser: Browser,
  count: number,
  tokenSeconds: number,
): Promise<Page[]> {
  server.mock.state.reset();
  server.mock.state.setConfig({ accessTtlSeconds: tokenSeconds });
  const url = server.page('min', 'oidc-client');
  const first = await openTab(browser, url);
  await first.evaluate(() => window.__bench.login('alice'));
  const tabs = [first];
  for (let i = 1; i < count; i++) tabs.push(await openTab(browser, url));
  for (const tab of tabs) await waitForStatus(tab, 'authenticated');
  return tabs;
}

/**
 * With the signed-in oidc-client-ts tabs of `browser` open, open `count` new tabs on its page one
 * after the other, each closed after it was measured, after `warmup` unmeasured ones: as
 * `measureNewTabs` does for sessionkeeper (the same 250 ms before reading the figures).
 */
export async function measureOidcNewTabs(
  server: BenchServer,
  browser: Browser,
  count: number,
  warmup = 2,
): Promise<OidcNewTabSample[]> {
  const samples: OidcNewTabSample[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const opened = performance.now();
    const page = await openTab(browser, server.page('min', 'oidc-client'));
    await waitForStatus(page, 'authenticated');
    const fromNode = performance.now() - opened;
    await sleep(250);
    const { endToEnd, library, imports, create, wait, scriptStart, status } = await startupOf(page);
    const firstRequest = await firstRequestOf(page);
    const { fetches } = await countersOf(page);
    await page.close();
    if (i >= warmup) {
      samples.push({
        endToEnd,
        library,
        imports,
        create,
        wait,
        scriptStart,
        status,
        fromNode,
        firstRequest,
        fetches,
      });
    }
  }
  return samples;
}
