import { expect } from 'vitest';
import { countdownDisagreements } from './helpers/countdowns';
import {
  ALICE_ORDER,
  draftKeys,
  EMPTY_ORDER,
  fillOrder,
  readOrder,
  waitForDraft,
} from './helpers/order-form';
import {
  attribute,
  numberAttribute,
  openPage,
  signIn,
  testId,
  waitForStatus,
} from './helpers/page';
import { saveDocScreenshot } from './helpers/screenshots';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

const open = (id: string) => `${testId(id)}[open]`;
const closed = (id: string) => `${testId(id)}:not([open])`;

test('idle: a warning with a countdown, then a forced re-login that keeps the draft', async () => {
  // Idle after 5 s without activity, warned 3 s before.
  const page = await openPage(playground.browser.context, playground.url, '/?idle=5&prompt=3');
  await signIn(page, 'alice');
  await fillOrder(page);
  await waitForDraft(page);

  // The warning; "Stay signed in" closes it and the timeout starts again. (Dispatched: moving
  // the mouse to the button is activity, which closes the warning by itself.)
  await page.waitForSelector(open('idle-dialog'));
  expect(await numberAttribute(page, 'idle-countdown', 'data-seconds')).toBeLessThanOrEqual(3);
  // The dialog and the session card count down together, frame by frame.
  const pair: [string, string] = [testId('idle-countdown'), testId('idle-state')];
  expect(await countdownDisagreements(page, pair, 1500)).toEqual([]);
  await saveDocScreenshot(page, 'idle-warning');
  await page.dispatchEvent(testId('stay-signed-in'), 'click');
  await page.waitForSelector(closed('idle-dialog'), { state: 'attached' });
  await waitForStatus(page, 'authenticated', 'refreshing');

  // Any activity closes it too.
  await page.waitForSelector(open('idle-dialog'));
  await page.mouse.move(20, 20);
  await page.mouse.move(40, 60);
  await page.waitForSelector(closed('idle-dialog'), { state: 'attached' });

  // No activity this time: warned again, then signed out as a forced re-login.
  await page.waitForSelector(open('idle-dialog'));
  await page.waitForSelector(open('relogin-dialog'));
  expect(await attribute(page, 'relogin-reason', 'data-reason')).toBe('idle');
  expect(await page.$(open('idle-dialog'))).toBeNull();
  expect(await draftKeys(page)).toEqual(['sessionkeeper:draft:alice:order']);

  // A reload is no way around the timeout: the forced re-login is kept, so the new page starts
  // expired with the same reason (no start-up refresh is sent). Nothing of the draft is on screen
  // while expired; it is still stored, without the password and the card number.
  await page.reload();
  await page.waitForSelector(open('relogin-dialog'));
  expect(await attribute(page, 'relogin-reason', 'data-reason')).toBe('idle');
  expect(await readOrder(page)).toEqual(EMPTY_ORDER);
  expect(await page.$(testId('draft-restored'))).toBeNull();
  expect(await draftKeys(page)).toEqual(['sessionkeeper:draft:alice:order']);

  // Signing in again as alice puts her draft back into the form.
  await page.click(testId('relogin-same'));
  await waitForStatus(page, 'authenticated', 'refreshing');
  await page.waitForSelector(testId('draft-restored'));
  expect(await readOrder(page)).toEqual({
    ...ALICE_ORDER,
    giftWrap: true,
    speed: 'express',
    password: '',
    cardNumber: '',
  });
  expect(await draftKeys(page)).toEqual(['sessionkeeper:draft:alice:order']);
});
