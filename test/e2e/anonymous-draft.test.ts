import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { draftKeys } from './helpers/order-form';
import { openPage, signIn, testId, waitForStatus } from './helpers/page';
import { setupPlayground, test } from './helpers/suite';

const playground = setupPlayground();

const ANONYMOUS_KEY = 'sessionkeeper:draft:@anonymous:contact';
const card = testId('contact-card');

/** What the contact form shows. */
const readContact = async (page: Page) => ({
  email: await page.inputValue(testId('contact-email')),
  message: await page.inputValue(testId('contact-message')),
});

/** Whether the contact card was visible at any change of the document since the page loaded. */
const contactShown = (page: Page) =>
  page.evaluate(() => (window as unknown as { contactShown: boolean }).contactShown);

const waitForStoredDraft = (page: Page) =>
  page.waitForFunction(
    (key) => localStorage.getItem(key)?.includes('parcel') ?? false,
    ANONYMOUS_KEY,
  );

for (const path of ['/', '/vanilla.html']) {
  test(`${path}: the contact form keeps its text while signed out, and loses it at sign-in`, async () => {
    const page = await openPage(playground.browser.context, playground.url, path);
    await waitForStatus(page, 'anonymous');
    const typed = { email: 'visitor@example.test', message: 'Where is my parcel?' };
    await page.fill(testId('contact-email'), typed.email);
    await page.fill(testId('contact-message'), typed.message);
    await waitForStoredDraft(page);

    // A reload while signed out brings the message back (the email is never stored).
    await page.reload();
    await waitForStatus(page, 'anonymous');
    await page.waitForSelector(`${testId('contact-status')}[data-state="restored"]`);
    expect(await readContact(page)).toEqual({ email: '', message: typed.message });
    expect(await page.evaluate((key) => localStorage.getItem(key), ANONYMOUS_KEY)).not.toContain(
      typed.email,
    );

    // A sign-in hides the form and removes its draft.
    await signIn(page, 'alice');
    await page.waitForSelector(card, { state: 'hidden' });
    expect(await draftKeys(page)).toEqual([]);

    // Nor is it shown to a signed-in user after a reload (the cookie signs alice back in): the
    // new page notes whether the card was ever visible, at every change of the document.
    await page.addInitScript((selector) => {
      const seen = window as unknown as { contactShown: boolean };
      seen.contactShown = false;
      new MutationObserver(() => {
        if (document.querySelector(selector)?.checkVisibility()) seen.contactShown = true;
      }).observe(document, { subtree: true, childList: true, attributes: true });
    }, card);
    await page.reload();
    await page.waitForSelector(`${testId('user')}[data-user="alice"]`);
    await waitForStatus(page, 'authenticated', 'refreshing');
    expect(await contactShown(page)).toBe(false);

    // Signed out again: the form is back, empty.
    await page.click(testId('signout'));
    await waitForStatus(page, 'anonymous');
    await page.waitForSelector(card);
    expect(await contactShown(page)).toBe(true); // (the watch does see a card that is shown)
    expect(await readContact(page)).toEqual({ email: '', message: '' });
    expect(await draftKeys(page)).toEqual([]);

    // Sent without a token; the draft is discarded once the server has the message.
    await page.fill(testId('contact-message'), 'Is my parcel lost?');
    await waitForStoredDraft(page);
    await page.click(testId('contact-send'));
    await page.waitForSelector(`${testId('contact-status')}[data-state="sent"]`);
    expect(await page.textContent(testId('contact-status'))).toBe(
      'Sent (18 characters). Draft discarded.',
    );
    expect(await readContact(page)).toEqual({ email: '', message: '' });
    expect(await draftKeys(page)).toEqual([]);
    const { counters } = await playground.mock.state();
    expect(counters).toMatchObject({ requests: 1, unauthorized: 0 });
  });
}
