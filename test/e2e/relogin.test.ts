import { expect } from 'vitest';
import {
  ALICE_ORDER,
  draftKeys,
  EMPTY_ORDER,
  fillOrder,
  readOrder,
  waitForDraft,
} from './helpers/order-form';
import { attribute, openPage, signIn, testId, waitForStatus } from './helpers/page';
import { saveDocScreenshot } from './helpers/screenshots';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

/** Sign in as alice, half fill the form, revoke her session on the server, then press Save. */
async function aliceForcedOutWithPendingSave() {
  const page = await openPage(playground.browser.context, playground.url);
  await signIn(page, 'alice');
  await fillOrder(page);
  await waitForDraft(page);
  await page.click(testId('revoke'));
  await page.waitForSelector(`${testId('action-message')}:has-text("Revoked")`);
  // The save meets a 401, the refresh is rejected (the session was revoked): the session
  // expires and the save is held.
  await page.click(testId('save'));
  await page.waitForSelector(`${testId('relogin-dialog')}[open]`);
  await page.waitForSelector(`${testId('save-status')}[data-state="held"]`);
  return page;
}

test('revoked while a save is pending: sign in again, the form is kept and the save completes', async () => {
  const page = await aliceForcedOutWithPendingSave();
  expect(await attribute(page, 'relogin-reason', 'data-reason')).toBe('refresh-rejected');
  expect(await page.textContent(testId('relogin-pending'))).toBe('1');
  await saveDocScreenshot(page, 'relogin');

  await page.click(testId('relogin-same'));
  await page.waitForSelector(`${testId('save-status')}[data-state="saved"]`);
  await waitForStatus(page, 'authenticated');
  // "Revoked on the server" was about the session that ended: gone after the sign-in.
  expect(await page.textContent(testId('action-message'))).toBe('');

  // Kept: everything drafts keep. Cleared: the password and the card number.
  expect(await readOrder(page)).toEqual({
    ...ALICE_ORDER,
    giftWrap: true,
    speed: 'express',
    password: '',
    cardNumber: '',
  });
  expect(await page.textContent(testId('save-status'))).toContain('from alice');
  // Discarded only once the server accepted the save.
  await page.waitForSelector(`${testId('draft-fields')}[data-fields=""]`);
  expect(await draftKeys(page)).toEqual([]);
  const { counters } = await playground.mock.state();
  // The save's first try met the 401; its replay after the re-login was the second request.
  expect(counters).toMatchObject({ unauthorized: 1, requests: 2, logins: 2, reuseRejections: 0 });
  await saveDocScreenshot(page, 'playground', { fullPage: true });
});

test('bob signs in after alice was forced out: nothing of her draft is visible', async () => {
  const page = await aliceForcedOutWithPendingSave();
  expect(await draftKeys(page)).toEqual(['sessionkeeper:draft:alice:order']);

  await page.click(testId('relogin-as-bob'));
  await page.waitForSelector(`${testId('user')}[data-user="bob"]`);
  await waitForStatus(page, 'authenticated');

  // Alice's held save was never sent with Bob's token.
  await page.waitForSelector(`${testId('save-status')}[data-state="failed"]`);
  expect(await readOrder(page)).toEqual(EMPTY_ORDER);
  expect(await attribute(page, 'draft-fields', 'data-fields')).toBe('');
  expect(await page.$(testId('draft-restored'))).toBeNull();
  expect(await draftKeys(page)).toEqual([]);

  // Nor after a reload (the cookie signs Bob back in).
  await page.reload();
  await page.waitForSelector(`${testId('user')}[data-user="bob"]`);
  expect(await readOrder(page)).toEqual(EMPTY_ORDER);
  expect(await page.$(testId('draft-restored'))).toBeNull();
  const { counters } = await playground.mock.state();
  expect(counters).toMatchObject({ unauthorized: 1, requests: 1 });
});
