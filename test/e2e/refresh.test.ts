import { expect } from 'vitest';
import { watchLayoutShifts } from './helpers/console';
import { recordNetwork } from './helpers/network';
import {
  attribute,
  numberAttribute,
  openPage,
  signIn,
  testId,
  waitForCount,
  waitForStatus,
} from './helpers/page';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

test('a silent refresh renews the token before it expires, and no request fails', async () => {
  // 4 s tokens are refreshed at half their lifetime, every 2 s.
  await playground.mock.config({ accessTtlSeconds: 4 });
  const page = await openPage(playground.browser.context, playground.url);
  const network = recordNetwork(page);
  await page.click(testId('poll'));
  await signIn(page, 'alice');
  const firstExpiry = await numberAttribute(page, 'expires-in', 'data-expires-at');

  // A refresh sent by this tab, then the first token's expiry passes while polling goes on.
  await page.waitForSelector(`${testId('timeline')} li[data-type="refresh"][data-remote="false"]`);
  await page.waitForFunction((at) => Date.now() > at + 500, firstExpiry);
  await waitForCount(page, 'poll-counts', 'data-ok', 4);

  const { counters, refreshLog } = await playground.mock.state();
  const refreshedAt = refreshLog.alice ?? [];
  expect(refreshedAt.length).toBeGreaterThanOrEqual(1);
  expect(refreshedAt[0]).toBeLessThan(firstExpiry);
  expect(await numberAttribute(page, 'expires-in', 'data-expires-at')).toBeGreaterThan(firstExpiry);
  expect(await numberAttribute(page, 'poll-counts', 'data-failed')).toBe(0);
  expect(counters).toMatchObject({
    unauthorized: 0,
    refreshFailures: 0,
    reuseRejections: 0,
  });
  expect(network.failures()).toEqual([]);
  await waitForStatus(page, 'authenticated', 'refreshing');
});

test('a burst of 30 requests made during a refresh waits for it: one refresh, 30 successes', async () => {
  await playground.mock.config({ accessTtlSeconds: 4 });
  const page = await openPage(playground.browser.context, playground.url);
  // The refresh is slow (latency), so the burst is sent while it is in flight.
  await playground.mock.config({ latencyMs: 1000 });
  const network = recordNetwork(page);
  await signIn(page, 'alice');
  await waitForStatus(page, 'refreshing');
  // The token of the refresh in flight lives long, so no second refresh comes during the test.
  await playground.mock.config({ accessTtlSeconds: 300, latencyMs: 0 });
  await page.click(testId('burst'));
  await page.waitForSelector(`${testId('burst-result')}[data-ok="30"]`);

  const { counters } = await playground.mock.state();
  expect(counters).toMatchObject({
    refreshes: 1,
    refreshFailures: 0,
    reuseRejections: 0,
    unauthorized: 0,
    requests: 30,
  });
  expect(await page.textContent(testId('burst-result'))).toMatch(/^30 ok · 0 failed/);
  // Every request of the burst went out after the refresh was answered, with the new token.
  const refreshAnswered = network.events.findIndex(
    (e) => e.kind === 'response' && e.path === '/auth/refresh',
  );
  const dataRequests = network.events.flatMap((e, index) =>
    e.kind === 'request' && e.path === '/api/data' ? [index] : [],
  );
  expect(refreshAnswered).toBeGreaterThan(-1);
  expect(dataRequests).toHaveLength(30);
  expect(Math.min(...dataRequests)).toBeGreaterThan(refreshAnswered);
  expect(network.failures()).toEqual([]);
});

test('a broken refresh: a 500 is retried and the session stays; invalid_grant ends it', async () => {
  await playground.mock.config({ accessTtlSeconds: 4 });
  const page = await openPage(playground.browser.context, playground.url);
  await signIn(page, 'alice');
  const timeline = testId('timeline');
  const message = testId('action-message');

  // (Not the "network" break: the mock server drops the connection before answering, and
  // Chromium silently resends a request whose reused connection was reset.)
  await page.click(testId('break-server'));
  await page.waitForSelector(`${message}:has-text("The next refresh fails: 500")`);
  expect(await page.textContent(message)).toMatch(/^\d\d:\d\d:\d\d · /);
  await page.waitForSelector(`${timeline} li[data-type="refresh-failed"]`);
  expect(await page.textContent(`${timeline} li[data-type="refresh-failed"]`)).toContain(
    'REFRESH_SERVER (500), will retry',
  );
  // The retry (after a backoff of about a second) gets a new token; nobody was signed out.
  await page.waitForSelector(`${timeline} li[data-type="refresh"]`);
  await waitForStatus(page, 'authenticated', 'refreshing');
  expect(await page.$(`${timeline} li[data-type="expired"]`)).toBeNull();
  // "The next refresh fails" is no longer true: gone. Last error keeps its time and says cleared.
  expect(await page.textContent(message)).toBe('');
  expect(await attribute(page, 'last-error', 'data-code')).toBe('REFRESH_SERVER');
  await page.waitForSelector(`${testId('last-error')}:has-text("cleared")`);

  // Refresh now during a 500: the failure is replaced once the background retry succeeded.
  await playground.mock.config({ accessTtlSeconds: 300 });
  await page.click(testId('refresh-now'));
  await page.waitForSelector(`${message}:has-text("Refreshed.")`);
  await page.click(testId('break-server'));
  await page.waitForSelector(`${message}:has-text("The next refresh fails")`);
  await page.click(testId('refresh-now'));
  await page.waitForSelector(`${message}:has-text("Refresh now failed (REFRESH_SERVER (500)")`);
  await page.waitForSelector(`${message}:has-text("The retry succeeded.")`);

  await page.click(testId('break-invalid_grant'));
  await page.waitForSelector(`${message}:has-text("fails")`);
  await page.click(testId('refresh-now'));
  await page.waitForSelector(`${testId('relogin-dialog')}[open]`);
  expect(await attribute(page, 'relogin-reason', 'data-reason')).toBe('refresh-rejected');
  const { counters } = await playground.mock.state();
  expect(counters).toMatchObject({ reuseRejections: 0, unauthorized: 0 });
});

test('a burst at 1.5 s latency goes out at once: distinct URLs, its wall time shown, nothing moves', async () => {
  await playground.mock.config({ accessTtlSeconds: 300 });
  const page = await openPage(playground.browser.context, playground.url);
  await signIn(page, 'alice');
  await playground.mock.config({ latencyMs: 1500 });
  const network = recordNetwork(page);
  const shifts = await watchLayoutShifts(page);
  await page.click(testId('burst'));
  await page.waitForSelector(`${testId('burst-result')}[data-ok="30"]`, { timeout: 30_000 });

  // Chromium opens 6 connections to one HTTP/1.1 server: 5 rounds of 1.5 s, about 7.5 s. (The
  // same 30 requests to one URL waited for each other in the HTTP cache: 45 s.)
  const ms = await numberAttribute(page, 'burst-result', 'data-ms');
  expect(ms).toBeGreaterThanOrEqual(1500);
  expect(ms).toBeLessThan(15_000);
  expect(await page.textContent(testId('burst-result'))).toBe(
    `30 ok · 0 failed in ${(ms / 1000).toFixed(2)} s`,
  );
  const sent = network.events.filter((e) => e.kind === 'request' && e.path === '/api/data');
  expect(new Set(sent.map((e) => e.url)).size).toBe(30);
  // "sending 30…" and the result take a line that was there before: no layout shift.
  expect(await shifts.read()).toEqual([]);
});
