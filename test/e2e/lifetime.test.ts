import { expect } from 'vitest';
import { watchLayoutShifts } from './helpers/console';
import { countdownDisagreements } from './helpers/countdowns';
import { fillOrder, waitForDraft } from './helpers/order-form';
import { attribute, openPage, signIn, testId, waitForStatus } from './helpers/page';
import { saveDocScreenshot } from './helpers/screenshots';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

test('an absolute lifetime: every tab warns, then the session ends with max-age and the draft is kept', async () => {
  // Every session ends 8 s after sign-in, warned 5 s before; idle is off.
  const search = '/?idle=off&max=8&endWarn=5';
  const first = await openPage(playground.browser.context, playground.url, search);
  await signIn(first, 'alice');
  const second = await openPage(playground.browser.context, playground.url, search);
  await waitForStatus(second, 'authenticated', 'refreshing');
  await fillOrder(first);
  await waitForDraft(first);

  // No refresh is planned after the end (the 60 s token would be refreshed at 30 s).
  expect(await first.textContent(testId('refresh-in'))).toBe('none: the session ends first');

  // Both tabs warn, with a countdown that agrees with the card; the banner moves nothing, and
  // activity does not move the end.
  const shifts = await watchLayoutShifts(first);
  for (const page of [first, second]) await page.waitForSelector(testId('session-ending'));
  expect(await shifts.read()).toEqual([]);
  await saveDocScreenshot(first, 'session-ending');
  const pair: [string, string] = [`${testId('session-ending')} strong`, testId('ends-in')];
  expect(await countdownDisagreements(first, pair, 1500)).toEqual([]);
  await first.mouse.move(30, 40);

  // Both tabs end together, as a forced re-login with the reason max-age.
  for (const page of [first, second]) {
    await page.waitForSelector(`${testId('relogin-dialog')}[open]`);
    expect(await attribute(page, 'relogin-reason', 'data-reason')).toBe('max-age');
  }
  expect(await first.$(testId('session-ending'))).toBeNull();

  // Signing in again starts a new session, with a new end, and the form is still there.
  await first.click(testId('relogin-same'));
  await waitForStatus(first, 'authenticated', 'refreshing');
  expect(await first.inputValue('[name="fullName"]')).not.toBe('');
});
