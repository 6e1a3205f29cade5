import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import {
  clickForPopup,
  openOidcPage,
  setupOidcSuite,
  shownError,
  signInAtProvider,
  waitForOidcStatus,
} from './helpers/oidc';
import { testId } from './helpers/page';
import { test } from './helpers/suite';

const suite = setupOidcSuite();

/** Sign in through the popup opened by `button`; resolves when the popup has closed. */
async function popupSignIn(page: Page, button: string, login = 'alice') {
  const popup = await clickForPopup(page, testId(button));
  await signInAtProvider(popup, login);
  await popup.waitForEvent('close');
}

/**
 * The first navigation to a URL that `matches` is answered with a redirect to `change(url)`:
 * what an attacker (or a bug) would do to the authorization request or to its response.
 */
async function tamperOnce(page: Page, matches: RegExp, change: (url: URL) => void) {
  let done = false;
  await page.route(matches, async (route) => {
    if (done || !route.request().isNavigationRequest()) return route.continue();
    done = true;
    const url = new URL(route.request().url());
    change(url);
    await route.fulfill({ status: 302, headers: { location: url.href } });
  });
}

test('redirect sign-in returns to the original route, signed in as the ID token sub', async () => {
  const page = await openOidcPage(suite, '?view=profile&from=test');
  await page.click(testId('signin-redirect'));
  await signInAtProvider(page, 'alice');
  await waitForOidcStatus(page, 'authenticated');
  expect(page.url()).toBe(`${suite.url}/oidc.html?view=profile&from=test`);
  expect(await page.textContent(testId('oidc-view'))).toBe('profile');
  expect(await page.textContent(testId('oidc-user'))).toBe('alice');
  expect((await suite.log()).grants).toEqual(['authorization_code']);
});

test('popup re-login after expire() delivers the held POST and keeps the typed form untouched', async () => {
  const page = await openOidcPage(suite);
  await popupSignIn(page, 'signin-popup');
  await waitForOidcStatus(page, 'authenticated');
  await page.evaluate(() => {
    (window as { mountedAt?: number }).mountedAt = 42;
  });
  await page.fill(testId('note-title'), 'Quarterly report');
  await page.fill(testId('note-text'), 'Half of what I wanted to say');
  await page.click(testId('expire'));
  await waitForOidcStatus(page, 'expired');
  await page.click(testId('note-send'));
  await page.waitForSelector(`${testId('note-results')} li[data-outcome="waiting"]`);
  expect(await page.textContent(testId('oidc-pending'))).toBe('1');

  await popupSignIn(page, 'relogin-popup');

  await page.waitForSelector(`${testId('note-results')} li[data-outcome="saved"]`);
  await waitForOidcStatus(page, 'authenticated');
  expect(await page.inputValue(testId('note-title'))).toBe('Quarterly report');
  expect(await page.inputValue(testId('note-text'))).toBe('Half of what I wanted to say');
  // The same document all along: nothing was reloaded or restored.
  expect(await page.evaluate(() => (window as { mountedAt?: number }).mountedAt)).toBe(42);
  expect((await suite.log()).notes).toEqual([
    expect.objectContaining({ sub: 'alice', text: 'Half of what I wanted to say' }),
  ]);
});

test('a popup closed by the user gives OIDC_POPUP_CLOSED, a blocked one OIDC_POPUP_BLOCKED', async () => {
  const page = await openOidcPage(suite);
  const popup = await clickForPopup(page, testId('signin-popup'));
  await popup.waitForSelector('input[name="login"]');
  await popup.close();
  expect(await shownError(page)).toBe('OIDC_POPUP_CLOSED');

  // The page opens the popup by itself, with no click: the browser's popup blocker says no.
  const blocked = await openOidcPage(suite, '?signin=popup');
  await blocked.waitForSelector(`${testId('oidc-error')}:has-text("OIDC_POPUP_BLOCKED")`);
  await waitForOidcStatus(blocked, 'anonymous');
  expect(suite.context.pages()).toHaveLength(2);
});

test('a callback whose state is not the one sent is rejected, with no code exchange', async () => {
  const page = await openOidcPage(suite);
  const exchanges = (await suite.log()).grants.length;
  // The provider sends back the state it was given: not the one this tab keeps.
  await tamperOnce(page, /\/idp\/auth\?/, (url) => url.searchParams.set('state', 'forged'));
  await page.click(testId('signin-redirect'));
  await signInAtProvider(page, 'alice');
  expect(await shownError(page)).toBe('OIDC_STATE_MISMATCH');
  expect(new URL(page.url()).searchParams.get('state')).toBe('forged');
  await waitForOidcStatus(page, 'anonymous');
  expect((await suite.log()).grants).toHaveLength(exchanges);
});

test('an ID token whose nonce is not the one sent is rejected: nobody is signed in', async () => {
  const page = await openOidcPage(suite);
  await tamperOnce(page, /\/idp\/auth\?/, (url) => url.searchParams.set('nonce', 'replayed-nonce'));
  await page.click(testId('signin-redirect'));
  await signInAtProvider(page, 'alice');
  expect(await shownError(page)).toBe('OIDC_ID_TOKEN_INVALID');
  expect(await page.textContent(testId('oidc-error'))).toContain('nonce');
  await waitForOidcStatus(page, 'anonymous');
});

test('a re-login by redirect brings the half-typed form back from its draft', async () => {
  const page = await openOidcPage(suite, '?view=orders');
  await popupSignIn(page, 'signin-popup');
  await waitForOidcStatus(page, 'authenticated');
  await page.fill(testId('note-text'), 'Kept over a redirect');
  await page.waitForFunction(() =>
    Object.keys(localStorage).some(
      (key) =>
        key.includes(':draft:') && localStorage.getItem(key)?.includes('Kept over a redirect'),
    ),
  );
  await page.click(testId('expire'));
  await page.click(testId('relogin-redirect'));
  // The provider's session lasts: only the consent is asked.
  await signInAtProvider(page, 'alice');
  await waitForOidcStatus(page, 'authenticated');
  expect(page.url()).toBe(`${suite.url}/oidc.html?view=orders`);
  await page.waitForSelector('.badge:has-text("draft restored")');
  expect(await page.inputValue(testId('note-text'))).toBe('Kept over a redirect');
});
