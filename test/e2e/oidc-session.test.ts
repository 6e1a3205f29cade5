import type { Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import {
  clickForPopup,
  openOidcPage,
  providerAsksLogin,
  setupOidcSuite,
  signInAtProvider,
  waitForOidcStatus,
} from './helpers/oidc';
import { testId } from './helpers/page';
import { test } from './helpers/suite';

const suite = setupOidcSuite();
afterEach(() => suite.setAccessTtl(60));

/** Sign in through the popup; returns the token response the page received from the provider. */
async function popupSignIn(page: Page): Promise<{ refresh_token: string; id_token: string }> {
  const response = page.waitForResponse((r) => r.url().endsWith('/idp/token'));
  const popup = await clickForPopup(page, testId('signin-popup'));
  await signInAtProvider(popup, 'alice');
  await popup.waitForEvent('close');
  await waitForOidcStatus(page, 'authenticated');
  return (await response).json();
}

/** A refresh_token grant sent from here, as an attacker holding an old token would. */
async function refreshWith(refreshToken: string) {
  const response = await fetch(`${suite.url}/idp/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: 'playground-spa',
    }),
  });
  return { status: response.status, body: (await response.json()) as { error?: string } };
}

test('two tabs rotate the refresh token together: one refresh at a time, never a reuse', async () => {
  await suite.setAccessTtl(6);
  const first = await openOidcPage(suite);
  await popupSignIn(first);
  const second = await openOidcPage(suite);
  await waitForOidcStatus(second, 'authenticated');
  const before = await suite.log();
  const refreshes = () =>
    suite.log().then((log) => log.grants.filter((grant) => grant === 'refresh_token').length);
  // A 6 s token is refreshed at half-life: four rotations take about 12 s.
  await expect.poll(refreshes, { timeout: 25_000, interval: 500 }).toBeGreaterThanOrEqual(4);
  const log = await suite.log();
  expect(log.grantErrors).toEqual(before.grantErrors);
  expect(log.revokedGrants).toBe(before.revokedGrants);
  for (const page of [first, second]) {
    await waitForOidcStatus(page, 'authenticated');
    expect(await page.textContent(testId('oidc-user'))).toBe('alice');
  }
  // The second tab's requests carry a token the provider still honours.
  await second.fill(testId('note-text'), 'from the second tab');
  await second.click(testId('note-send'));
  await second.waitForSelector(`${testId('note-results')} li[data-outcome="saved"]`);
});

test('sign-out revokes the grant (the old refresh token gets invalid_grant) and ends the provider session', async () => {
  const page = await openOidcPage(suite);
  const tokens = await popupSignIn(page);
  const other = await openOidcPage(suite);
  await waitForOidcStatus(other, 'authenticated');
  const ended = (await suite.log()).endedSessions;

  // From the tab that did not sign in: it has the tokens from the first one.
  const popup = await clickForPopup(other, testId('signout-popup'));
  const endSession = await popup.waitForRequest(/\/idp\/session\/end\?/);
  expect(new URL(endSession.url()).searchParams.get('id_token_hint')).toBe(tokens.id_token);
  await popup.click('button:has-text("Yes, sign me out")');
  await popup.waitForEvent('close');

  // Signed out in every tab, the page kept.
  await waitForOidcStatus(page, 'anonymous');
  await waitForOidcStatus(other, 'anonymous');
  expect(await refreshWith(tokens.refresh_token)).toEqual({
    status: 400,
    body: expect.objectContaining({ error: 'invalid_grant' }),
  });
  expect((await suite.log()).endedSessions).toBe(ended + 1);
  // No provider session: a new sign-in asks for the login again.
  const again = await clickForPopup(page, testId('signin-popup'));
  expect(await providerAsksLogin(again)).toBe(true);
});

test('sign-out by redirect ends the provider session and comes back signed out', async () => {
  const page = await openOidcPage(suite);
  await popupSignIn(page);
  await page.click(testId('signout-redirect'));
  await page.click('button:has-text("Yes, sign me out")');
  await page.waitForURL(`${suite.url}/oidc.html`);
  await waitForOidcStatus(page, 'anonymous');
  await page.click(testId('signin-redirect'));
  expect(await providerAsksLogin(page)).toBe(true);
});
