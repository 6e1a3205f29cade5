import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSession } from '../../src/index';
import { createOidc } from '../../src/oidc/index';
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
  REDIRECT_URI,
  until,
} from './fake-provider';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

/** A page whose session keeps its tokens in sessionStorage (`sessionOptions({ storage })`). */
function setup(provider: FakeProvider, page: Page) {
  const oidc = createOidc({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    popupRedirectUri: POPUP_URI,
    env: { fetch: provider.fetch, window: page.window, sessionStorage: page.sessionStorage },
  });
  const session = createSession({
    ...oidc.sessionOptions({ storage: 'session' }),
    crossTab: false,
    // The page's own sessionStorage, as in a browser: the session keeps its tokens there.
    env: {
      fetch: provider.fetch,
      window: null,
      sessionStorage: page.sessionStorage,
      BroadcastChannel: null,
      locks: null,
    },
  });
  return { oidc, session };
}

describe("sessionOptions({ storage: 'session' })", () => {
  it('keeps the tokens over a reload: the user, the refresh and the sign-out hint come back', async () => {
    const provider = createFakeProvider();
    const page = createPage();
    const before = setup(provider, page);
    const done = before.oidc.signIn(before.session, { popup: true });
    await until(() => (page.popups[0]?.sentTo.length ?? 0) > 0, 'the popup');
    page.popups[0]?.land(callbackUrl(lastAuthorization(page, provider)));
    await vi.advanceTimersByTimeAsync(POPUP_POLL_MS);
    await done;
    expect([...page.sessionStorage.map.keys()]).toEqual(['sessionkeeper:tokens']);

    // The reload: a new document, the tab's sessionStorage.
    const reloaded = createPage();
    reloaded.sessionStorage = page.sessionStorage;
    const after = setup(provider, reloaded);
    expect(after.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { id: 'alice' },
    });
    await after.session.refresh();
    expect(provider.tokenRequests().at(-1)?.form.get('refresh_token')).toBe('rt-1');

    await after.oidc.signOut(after.session);
    expect(provider.revocations().map((r) => r.form.get('token'))).toEqual(['rt-2']);
    expect(new URL(reloaded.assigned[0] ?? '').searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(reloaded.sessionStorage.map.has('sessionkeeper:tokens')).toBe(false);
  });
});
