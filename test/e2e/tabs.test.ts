import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import {
  numberAttribute,
  openPage,
  signIn,
  testId,
  waitForCount,
  waitForStatus,
} from './helpers/page';
import { saveDocScreenshot } from './helpers/screenshots';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

const ROTATIONS = 5;

/** Wait until the page holds a token that expires more than `ms` from now. */
const waitForLongToken = (page: Page, ms: number) =>
  page.waitForFunction(
    ([selector, least]) =>
      Number(document.querySelector(selector)?.getAttribute('data-expires-at')) >
      Date.now() + least,
    [testId('expires-in'), ms] as const,
  );

test('three tabs: one refresh per rotation, no reuse, and a sign-out in one tab signs out all', async () => {
  // 3 s tokens: a rotation every 1.5 s, in one of the tabs.
  await playground.mock.config({ accessTtlSeconds: 3 });
  const { context } = playground.browser;
  const tabs = [];
  for (let i = 0; i < 3; i++) tabs.push(await openPage(context, playground.url));
  for (const tab of tabs) await waitForCount(tab, 'tab-count', 'data-count', 3);

  await signIn(tabs[0]!, 'alice');
  for (const tab of tabs) {
    await tab.waitForSelector(`${testId('user')}[data-user="alice"]`);
    await waitForStatus(tab, 'authenticated', 'refreshing');
  }

  await waitForCount(tabs[0]!, 'server-refreshes', 'data-count', ROTATIONS);
  // Then tokens that outlive the test, so the count can be read while nothing moves.
  await playground.mock.config({ accessTtlSeconds: 300 });
  for (const tab of tabs) await waitForLongToken(tab, 60_000);
  await saveDocScreenshot(tabs[1]!, 'tabs');

  const { counters, refreshLog } = await playground.mock.state();
  const refreshedAt = refreshLog.alice ?? [];
  expect(counters.refreshes).toBeGreaterThanOrEqual(ROTATIONS + 1);
  expect(counters).toMatchObject({ reuseRejections: 0, unauthorized: 0, logins: 1 });
  expect(refreshedAt).toHaveLength(counters.refreshes);
  // One refresh per rotation: never two within a fraction of the 1.5 s rotation interval.
  const gaps = refreshedAt.slice(1).map((at, i) => at - refreshedAt[i]!);
  expect(Math.min(...gaps)).toBeGreaterThan(1000);
  // Each refresh was sent by exactly one tab; the others adopted its token (`remote: true`).
  let sent = 0;
  for (const tab of tabs) sent += await numberAttribute(tab, 'local-refreshes', 'data-count');
  expect(sent).toBe(counters.refreshes);
  const expiries = await Promise.all(
    tabs.map((tab) => numberAttribute(tab, 'expires-in', 'data-expires-at')),
  );
  expect(new Set(expiries).size).toBe(1);
  for (const tab of tabs) {
    const local = await tab.$$(
      `${testId('timeline')} li[data-type="refresh"][data-remote="false"]`,
    );
    const remote = await tab.$$(
      `${testId('timeline')} li[data-type="refresh"][data-remote="true"]`,
    );
    expect(local.length + remote.length).toBe(counters.refreshes);
  }

  await tabs[1]!.bringToFront();
  await tabs[1]!.click(testId('signout'));
  for (const tab of tabs) await waitForStatus(tab, 'anonymous');
  await waitForCount(tabs[2]!, 'server-logouts', 'data-count', 1);
  const after = await playground.mock.state();
  expect(after.counters).toMatchObject({ logouts: 1, reuseRejections: 0 });
  expect(after.sessions.every((session) => session.revoked)).toBe(true);
});
