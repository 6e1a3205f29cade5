import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flush, recordEvents, useFakeClock } from '../helpers/session';
import {
  CLIENT_ID,
  callbackUrl,
  createFakeProvider,
  createPage,
  type FakeProvider,
  ISSUER,
  idToken,
  json,
  lastAuthorization,
  setupOidc,
  until,
} from './fake-provider';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

/** A session signed in through a popup (the quickest whole flow). */
async function signedIn(provider: FakeProvider) {
  const page = createPage();
  const setup = setupOidc(provider, page);
  const done = setup.oidc.signIn(setup.session, { popup: true });
  await until(() => (page.popups[0]?.sentTo.length ?? 0) > 0, 'the popup to go to the provider');
  const params = lastAuthorization(page, provider);
  page.popups[0]?.land(callbackUrl(params));
  await vi.advanceTimersByTimeAsync(200);
  await until(() => setup.session.getSnapshot().status === 'authenticated', 'the sign-in');
  await done;
  return { ...setup, ...recordEvents(setup.session) };
}

describe("the session's refresh at the token endpoint", () => {
  it('sends the refresh_token grant with the client id; the user stays the ID token sub', async () => {
    const provider = createFakeProvider();
    const { session } = await signedIn(provider);
    provider.nextToken(() => json({ ...provider.tokens(), id_token: undefined }));
    await session.refresh();
    const refresh = provider.tokenRequests().at(-1);
    expect(refresh?.url).toBe(`${ISSUER}/token`);
    expect(Object.fromEntries(refresh?.form ?? [])).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
      client_id: CLIENT_ID,
    });
    // An opaque access token and no ID token in the answer: still alice.
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', user: { id: 'alice' } });
  });

  it('sends the rotated refresh token next time', async () => {
    const provider = createFakeProvider();
    const { session } = await signedIn(provider);
    await session.refresh();
    await session.refresh();
    const sent = provider.tokenRequests().map((r) => r.form.get('refresh_token'));
    expect(sent).toEqual([null, 'rt-1', 'rt-2']);
  });

  it('invalid_grant (a reused or revoked refresh token) expires the session: a forced re-login', async () => {
    const provider = createFakeProvider();
    const { session, ofType } = await signedIn(provider);
    provider.nextToken(() =>
      json({ error: 'invalid_grant', error_description: 'grant revoked' }, 400),
    );
    await expect(session.refresh()).rejects.toMatchObject({
      code: 'REFRESH_REJECTED',
      message: expect.stringContaining('grant revoked'),
    });
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', reason: 'refresh-rejected' });
    expect(ofType('expired')).toEqual([{ reason: 'refresh-rejected' }]);
  });

  it('a 503 is a server error: retried, the session stays', async () => {
    const provider = createFakeProvider();
    const { session } = await signedIn(provider);
    provider.nextToken(() => json({ error: 'temporarily_unavailable' }, 503));
    await expect(session.refresh()).rejects.toMatchObject({ code: 'REFRESH_SERVER' });
    expect(session.getSnapshot().status).not.toBe('expired');
  });

  it('an ID token for another user in a refresh is a rejection (OpenID Connect Core 12.2)', async () => {
    const provider = createFakeProvider();
    const { session } = await signedIn(provider);
    provider.nextToken(() => json({ ...provider.tokens(), id_token: idToken({ sub: 'mallory' }) }));
    await expect(session.refresh()).rejects.toMatchObject({ code: 'REFRESH_REJECTED' });
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', user: { id: 'alice' } });
  });
});

describe("the session's logout at the revocation endpoint", () => {
  it('revokes the refresh token held (RFC 7009) with the client id', async () => {
    const provider = createFakeProvider();
    const { session } = await signedIn(provider);
    await session.logout();
    const [revocation] = provider.revocations();
    expect(Object.fromEntries(revocation?.form ?? [])).toEqual({
      token: 'rt-1',
      token_type_hint: 'refresh_token',
      client_id: CLIENT_ID,
    });
    expect(session.getSnapshot().status).toBe('anonymous');
  });

  it('a failed revocation is an error event (LOGOUT_FAILED); the logout holds', async () => {
    const provider = createFakeProvider();
    const { session, ofType } = await signedIn(provider);
    provider.fetch.mockImplementationOnce(async () => {
      throw new TypeError('offline');
    });
    await session.logout();
    expect(ofType('error')).toEqual([
      { error: expect.objectContaining({ code: 'LOGOUT_FAILED' }), source: 'logout' },
    ]);
    expect(session.getSnapshot().status).toBe('anonymous');
  });

  it('revokes nothing on a logout after an expiry (no token is held then)', async () => {
    const provider = createFakeProvider();
    const { session } = await signedIn(provider);
    session.expire();
    await flush();
    await session.logout();
    expect(provider.revocations()).toEqual([]);
  });
});
