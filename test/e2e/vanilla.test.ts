import { expect } from 'vitest';
import { countdownDisagreements } from './helpers/countdowns';
import { attribute, openPage, signIn, testId, waitForStatus } from './helpers/page';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

test('without a framework: sign-in shared with the React page, a held save, sign-out everywhere', async () => {
  const { context } = playground.browser;
  const page = await openPage(context, playground.url, '/vanilla.html');
  const react = await openPage(context, playground.url, '/');
  await signIn(page, 'alice');
  // Both pages use one session name: a login in one tab signs in the other.
  await react.waitForSelector(`${testId('user')}[data-user="alice"]`);

  await page.click(testId('burst'));
  await page.waitForSelector(`${testId('burst-result')}[data-ok="30"]`);

  await page.fill(testId('field-subject'), 'Quarterly numbers');
  await page.fill(testId('field-message'), 'Draft of the summary');
  await page.fill(testId('field-password'), 'secret');
  await page.waitForSelector(`${testId('draft-fields')}[data-fields="subject,message"]`);
  await page.click(testId('revoke'));
  await page.waitForSelector(`${testId('action-message')}:has-text("Revoked")`);
  await page.click(testId('save'));
  await page.waitForSelector(`${testId('relogin-dialog')}[open]`);
  expect(await attribute(page, 'relogin-reason', 'data-reason')).toBe('refresh-rejected');
  // The other tab is told too.
  await react.waitForSelector(`${testId('relogin-dialog')}[open]`);

  await page.click(testId('relogin-same'));
  await page.waitForSelector(`${testId('save-status')}[data-state="saved"]`);
  expect(await page.inputValue(testId('field-subject'))).toBe('Quarterly numbers');
  expect(await page.inputValue(testId('field-password'))).toBe('');
  await page.waitForSelector(`${testId('draft-fields')}[data-fields=""]`);
  await waitForStatus(react, 'authenticated', 'refreshing');

  await react.bringToFront();
  await react.click(testId('signout'));
  await waitForStatus(page, 'anonymous');
  expect(await page.inputValue(testId('field-subject'))).toBe('');
  const { counters } = await playground.mock.state();
  expect(counters).toMatchObject({ requests: 32, unauthorized: 1, reuseRejections: 0 });
});

test('without a framework: Refresh now, Last error, counters, the lifetime banner, Sign out in both dialogs', async () => {
  // Idle after 8 s (warned 3 s before); every session ends 20 s after sign-in, warned 19 s before.
  const search = '/vanilla.html?idle=8&prompt=3&max=20&endWarn=19';
  const page = await openPage(playground.browser.context, playground.url, search);
  const message = testId('action-message');
  await signIn(page, 'alice');
  expect(await page.textContent(testId('idle-state'))).toMatch(/^active · \d s left$/);

  // The lifetime banner, counting down with the card.
  await page.waitForSelector(`${testId('session-ending')}:not([hidden])`);
  const pair: [string, string] = [testId('ending-in'), testId('ends-in')];
  expect(await countdownDisagreements(page, pair, 1000)).toEqual([]);

  // Refresh now, then one that meets a 500: the failure is replaced when the retry succeeds, and
  // Last error keeps the error with its time.
  await page.click(testId('refresh-now'));
  await page.waitForSelector(`${message}:has-text("Refreshed.")`);
  await page.waitForSelector(`${testId('server-refreshes')}[data-count="1"]`);
  await page.click(testId('break-server'));
  await page.waitForSelector(`${message}:has-text("The next refresh fails: 500")`);
  await page.click(testId('refresh-now'));
  await page.waitForSelector(`${message}:has-text("Refresh now failed")`);
  await page.waitForSelector(`${message}:has-text("The retry succeeded.")`);
  expect(await attribute(page, 'last-error', 'data-code')).toBe('REFRESH_SERVER');
  await page.waitForSelector(`${testId('server-refresh-failures')}[data-count="1"]`);

  // Force re-login, and "Sign out" in the re-login dialog.
  await page.click(testId('expire-now'));
  await page.waitForSelector(`${testId('relogin-dialog')}[open]`);
  expect(await attribute(page, 'relogin-reason', 'data-reason')).toBe('manual');
  await page.click(testId('relogin-signout'));
  await waitForStatus(page, 'anonymous');

  // "Sign out now" in the idle dialog. (Dispatched: moving the mouse to the button is activity,
  // which closes the warning by itself.)
  await signIn(page, 'bob');
  await page.waitForSelector(`${testId('idle-dialog')}[open]`);
  await page.dispatchEvent(testId('idle-signout'), 'click');
  await waitForStatus(page, 'anonymous');
  await page.waitForSelector(`${testId('server-logouts')}[data-count="2"]`);
});
