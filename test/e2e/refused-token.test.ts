import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { watchLayoutShifts } from './helpers/console';
import { recordNetwork } from './helpers/network';
import { attribute, openPage, signIn, testId, waitForStatus } from './helpers/page';
import { saveDocScreenshot } from './helpers/screenshots';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

const result = testId('refused-result');

/** Press a button of the card and wait for its outcome line. */
async function press(page: Page, button: 'graphql' | 'whoami' | 'invalidate') {
  await page.click(testId(button));
  const state = button === 'invalidate' ? 'invalidated' : 'answered';
  await page.waitForSelector(
    `${result}[data-state="${state}"]${button === 'invalidate' ? '' : `[data-request="${button}"]`}`,
  );
}

for (const path of ['/', '/vanilla.html']) {
  test(`${path}: a refused GraphQL query is answered after one refresh; skipRefresh hands the 401 back`, async () => {
    // Tokens that outlive the test: every refresh is one the test caused.
    await playground.mock.config({ accessTtlSeconds: 300 });
    const page = await openPage(playground.browser.context, playground.url, path);
    await signIn(page, 'alice');
    const network = recordNetwork(page);
    const shifts = await watchLayoutShifts(page);

    await press(page, 'graphql');
    expect(await attribute(page, 'refused-result', 'data-refreshes')).toBe('0');
    expect(await page.textContent(result)).toContain('Alice Example, at the first try');

    // The server refuses the token from now on; the refresh token still works.
    await press(page, 'invalidate');
    expect(await page.textContent(result)).toContain("The server now refuses Alice's access token");

    // skipRefresh: the 401 comes straight back, nothing is refreshed, the session stays.
    await press(page, 'whoami');
    expect(await attribute(page, 'refused-result', 'data-status')).toBe('401');
    expect(await attribute(page, 'refused-result', 'data-refreshes')).toBe('0');
    expect(await page.textContent(result)).toContain('401 straight back');
    expect((await playground.mock.state()).counters.refreshes).toBe(0);
    await waitForStatus(page, 'authenticated');

    // The query meets UNAUTHENTICATED (in a 200): one refresh, one replay, and the answer.
    const before = network.events.length;
    await press(page, 'graphql');
    expect(await attribute(page, 'refused-result', 'data-ok')).toBe('true');
    expect(await attribute(page, 'refused-result', 'data-refreshes')).toBe('1');
    expect(await page.textContent(result)).toContain('Alice Example, after 1 refresh and a replay');
    const sent = network.events
      .slice(before)
      .filter((e) => e.kind === 'request')
      .map((e) => `${e.method} ${e.path}`);
    expect(sent).toEqual(['POST /api/graphql', 'POST /auth/refresh', 'POST /api/graphql']);
    expect(await page.$(`${testId('timeline')} li[data-type="expired"]`)).toBeNull();

    // Thirty requests that all meet the refused token: one refresh serves them, all succeed.
    await page.click(testId('burst-refused'));
    await page.click(testId('burst'));
    await page.waitForSelector(`${testId('burst-result')}[data-ok="30"]`);
    const { counters } = await playground.mock.state();
    expect(counters).toMatchObject({
      refreshes: 2,
      refreshFailures: 0,
      reuseRejections: 0,
      // The who-am-I, the first try of the query, and the first try of each request of the burst.
      unauthorized: 32,
      requests: 4 + 60,
    });
    await waitForStatus(page, 'authenticated', 'refreshing');
    // Every answer took a line that was there before: nothing moved.
    expect(await shifts.read()).toEqual([]);
    // The README's picture (React page): the replayed query, the burst and its render counts.
    if (path === '/') {
      await page.waitForFunction(
        (selector) => document.querySelector(selector)?.textContent === '64',
        testId('server-requests'),
      );
      await page.$eval(testId('burst'), (button) => button.scrollIntoView({ block: 'start' }));
      await saveDocScreenshot(page, 'refused-token');
    }
  });
}
