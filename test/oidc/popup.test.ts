import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { POPUP_POLL_MS } from '../../src/oidc/popup';
import { flush, useFakeClock } from '../helpers/session';
import {
  callbackUrl,
  createFakeProvider,
  createPage,
  type FakeProvider,
  lastAuthorization,
  type Page,
  POPUP_URI,
  setupOidc,
  until,
} from './fake-provider';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

/** A popup sign-in begun on `page`: the popup is at the provider when this returns. */
async function beginPopup(provider: FakeProvider, page: Page = createPage(), timeoutMs?: number) {
  const setup = setupOidc(provider, page, timeoutMs ? { popupTimeoutMs: timeoutMs } : {});
  const outcome = setup.oidc.signIn(setup.session, { popup: true }).then(
    () => null,
    (error: unknown) => error,
  );
  await until(() => (page.popups[0]?.sentTo.length ?? 0) > 0, 'the popup to go to the provider');
  const popup = page.popups[0];
  if (!popup) throw new Error('no popup');
  return { ...setup, popup, outcome, params: lastAuthorization(page, provider) };
}

describe('popup sign-in', () => {
  it('signs in while the page stays: held requests go out for the same user', async () => {
    const provider = createFakeProvider();
    const first = await beginPopup(provider);
    first.popup.land(callbackUrl(first.params));
    await vi.advanceTimersByTimeAsync(POPUP_POLL_MS);
    expect(await first.outcome).toBeNull();
    const { session, oidc, page } = first;
    // A forced re-login: a request waits for the same user.
    session.expire();
    const held = session.getAccessToken();
    const again = oidc.signIn(session, { popup: true });
    await until(() => (page.popups[1]?.sentTo.length ?? 0) > 0, 'the second popup');
    const params = lastAuthorization(page, provider);
    expect(params.get('redirect_uri')).toBe(POPUP_URI);
    page.popups[1]?.land(callbackUrl(params));
    await vi.advanceTimersByTimeAsync(POPUP_POLL_MS);
    await again;
    expect(await held).toBe('opaque-2');
    expect(page.popups[1]?.closed).toBe(true);
    // The page was never left: no redirect, no URL change.
    expect(page.assigned).toEqual([]);
    expect(page.href).toBe('https://app.test/orders?tab=2');
  });

  it('a blocked popup rejects at once with OIDC_POPUP_BLOCKED', async () => {
    const provider = createFakeProvider();
    const page = createPage();
    page.blockPopups = true;
    const { oidc, session } = setupOidc(provider, page);
    await expect(oidc.signIn(session, { popup: true })).rejects.toMatchObject({
      code: 'OIDC_POPUP_BLOCKED',
    });
    expect(provider.discoveries).toBe(0);
  });

  it('a popup closed by the user rejects with OIDC_POPUP_CLOSED', async () => {
    const { popup, outcome, session } = await beginPopup(createFakeProvider());
    popup.close();
    await vi.advanceTimersByTimeAsync(POPUP_POLL_MS);
    expect(await outcome).toMatchObject({ code: 'OIDC_POPUP_CLOSED' });
    expect(session.getSnapshot().status).toBe('anonymous');
  });

  it('a popup that does not come back rejects with OIDC_POPUP_TIMEOUT and is closed', async () => {
    const { popup, outcome } = await beginPopup(createFakeProvider(), createPage(), 60_000);
    await vi.advanceTimersByTimeAsync(59_000);
    await flush();
    expect(popup.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await outcome).toMatchObject({ code: 'OIDC_POPUP_TIMEOUT' });
    expect(popup.closed).toBe(true);
  });

  it("the provider's error comes back typed, and a wrong state is OIDC_STATE_MISMATCH", async () => {
    const denied = await beginPopup(createFakeProvider());
    denied.popup.land(
      callbackUrl(denied.params, { error: 'access_denied', error_description: 'No' }),
    );
    await vi.advanceTimersByTimeAsync(POPUP_POLL_MS);
    expect(await denied.outcome).toMatchObject({
      code: 'OIDC_ACCESS_DENIED',
      errorDescription: 'No',
    });

    const provider = createFakeProvider();
    const forged = await beginPopup(provider);
    forged.popup.land(callbackUrl(forged.params, { code: 'c0de', state: 'forged' }));
    await vi.advanceTimersByTimeAsync(POPUP_POLL_MS);
    expect(await forged.outcome).toMatchObject({ code: 'OIDC_STATE_MISMATCH' });
    expect(provider.tokenRequests()).toHaveLength(0);
  });

  it('a second popup sign-in while one is open joins it (one popup, one exchange)', async () => {
    const provider = createFakeProvider();
    const { oidc, session, popup, params, page, outcome } = await beginPopup(provider);
    const second = oidc.signIn(session, { popup: true });
    popup.land(callbackUrl(params));
    await vi.advanceTimersByTimeAsync(POPUP_POLL_MS);
    await second;
    expect(await outcome).toBeNull();
    expect(page.popups).toHaveLength(1);
    expect(provider.tokenRequests()).toHaveLength(1);
  });

  it('its secrets never reach storage', async () => {
    const page = createPage();
    const { popup, params, outcome } = await beginPopup(createFakeProvider(), page);
    expect(page.sessionStorage.map.size).toBe(0);
    popup.land(callbackUrl(params));
    await vi.advanceTimersByTimeAsync(POPUP_POLL_MS);
    expect(await outcome).toBeNull();
    expect([...page.sessionStorage.map.keys()]).toEqual([]);
  });

  it('in the popup itself, handleCallback leaves the answer to the page that opened it', async () => {
    const provider = createFakeProvider();
    const opener = createPage();
    const inPopup = createPage(`${POPUP_URI}?code=c0de&state=s`);
    inPopup.window.opener = opener.window;
    const { oidc, session } = setupOidc(provider, inPopup);
    expect(await oidc.handleCallback(session)).toBeNull();
    expect(provider.tokenRequests()).toHaveLength(0);
  });
});
