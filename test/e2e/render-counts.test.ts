import { expect } from 'vitest';
import { numberAttribute, openPage, signIn, testId, waitForStatus } from './helpers/page';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

test('during a burst that meets a refused token, useSession(selector) renders only for the status', async () => {
  await playground.mock.config({ accessTtlSeconds: 300 });
  const page = await openPage(playground.browser.context, playground.url);
  await signIn(page, 'alice');
  expect(await page.textContent(testId('renders-selector'))).toBe('—');

  // Every request meets a 401, waits for the one refresh (each changes pendingRequests as it
  // starts and as it stops waiting), then is replayed.
  await page.click(testId('burst-refused'));
  await page.click(testId('burst'));
  await page.waitForSelector(`${testId('burst-result')}[data-ok="30"]`);
  await waitForStatus(page, 'authenticated');

  const selector = await numberAttribute(page, 'renders-selector', 'data-count');
  const whole = await numberAttribute(page, 'renders-whole', 'data-count');
  // The status went to refreshing and back: two renders at most (none if React saw both at once).
  expect(selector).toBeLessThanOrEqual(2);
  // The whole snapshot changed with the waiting requests too: many more renders.
  expect(whole).toBeGreaterThanOrEqual(selector + 5);
  expect((await playground.mock.state()).counters).toMatchObject({
    refreshes: 1,
    unauthorized: 30,
  });
});
