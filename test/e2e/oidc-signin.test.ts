import { expect } from 'vitest';
import {
  clickForPopup,
  openOidcPage,
  setupOidcSuite,
  signInAtProvider,
  waitForOidcStatus,
} from './helpers/oidc';
import { testId } from './helpers/page';
import { test } from './helpers/suite';

const suite = setupOidcSuite();

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
