import { expect } from 'vitest';
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
