import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { POPUP_POLL_MS } from '../../src/oidc/popup';
import { useFakeClock } from '../helpers/session';
import {
  CLIENT_ID,
  callbackUrl,
  createFakeProvider,
  createPage,
  type FakeProvider,
  ISSUER,
  lastAuthorization,
  type Page,
  POPUP_URI,
  setupOidc,
  until,
} from './fake-provider';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const AFTER_LOGOUT = 'https://app.test/bye';

/** A session signed in through a popup on a new page. */
async function signedIn(provider: FakeProvider, page: Page = createPage()) {
  const setup = setupOidc(provider, page, { postLogoutRedirectUri: AFTER_LOGOUT });
  const done = setup.oidc.signIn(setup.session, { popup: true });
  await until(() => (page.popups[0]?.sentTo.length ?? 0) > 0, 'the popup to go to the provider');
  page.popups[0]?.land(callbackUrl(lastAuthorization(page, provider)));
  await vi.advanceTimersByTimeAsync(POPUP_POLL_MS);
  await done;
  return setup;
}

describe('sign-out', () => {
  it('revokes the refresh token, signs out, then ends the provider session by redirect', async () => {
    const provider = createFakeProvider();
    const { oidc, session, page } = await signedIn(provider);
    await oidc.signOut(session);
    expect(provider.revocations().map((r) => r.form.get('token'))).toEqual(['rt-1']);
    expect(session.getSnapshot().status).toBe('anonymous');
    const url = new URL(page.assigned[0] ?? '');
    expect(url.origin + url.pathname).toBe(`${ISSUER}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      id_token_hint: expect.stringMatching(/^ey/),
      client_id: CLIENT_ID,
      post_logout_redirect_uri: AFTER_LOGOUT,
    });
    // The hint is the ID token the session was signed in with.
    const payload = url.searchParams.get('id_token_hint')?.split('.')[1] ?? '';
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      sub: 'alice',
      aud: CLIENT_ID,
    });
  });

  it('ends the provider session in a popup: the page stays, the popup closes when it is back', async () => {
    const provider = createFakeProvider();
    const { oidc, session, page } = await signedIn(provider);
    const done = oidc.signOut(session, { popup: true });
    await until(() => (page.popups[1]?.sentTo.length ?? 0) > 0, 'the popup to go to the provider');
    const sent = new URL(page.popups[1]?.sentTo[0] ?? '');
    expect(sent.searchParams.get('post_logout_redirect_uri')).toBe(POPUP_URI);
    page.popups[1]?.land(POPUP_URI);
    await vi.advanceTimersByTimeAsync(POPUP_POLL_MS);
    await done;
    expect(page.popups[1]?.closed).toBe(true);
    expect(page.assigned).toEqual([]);
    expect(session.getSnapshot().status).toBe('anonymous');
  });

  it('a blocked popup signs nobody out', async () => {
    const provider = createFakeProvider();
    const page = createPage();
    const { oidc, session } = await signedIn(provider, page);
    page.blockPopups = true;
    await expect(oidc.signOut(session, { popup: true })).rejects.toMatchObject({
      code: 'OIDC_POPUP_BLOCKED',
    });
    expect(session.getSnapshot().status).toBe('authenticated');
  });

  it('endSession: false stays on the page; a provider without end_session_endpoint is a typed error after the local sign-out', async () => {
    const provider = createFakeProvider();
    const local = await signedIn(provider);
    await local.oidc.signOut(local.session, { endSession: false });
    expect(local.page.assigned).toEqual([]);
    expect(provider.revocations()).toHaveLength(1);

    const bare = createFakeProvider({ end_session_endpoint: undefined });
    const { oidc, session, page } = await signedIn(bare);
    await expect(oidc.signOut(session)).rejects.toMatchObject({
      code: 'OIDC_END_SESSION_UNSUPPORTED',
    });
    expect(session.getSnapshot().status).toBe('anonymous');
    expect(bare.revocations()).toHaveLength(1);
    expect(page.assigned).toEqual([]);
  });
});
