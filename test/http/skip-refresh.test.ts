import ky, { HTTPError } from 'ky';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { skipAuthHook } from '../../src/index';
import { apiAuth, bearer, settle, track } from '../helpers/http';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;
/** Headers the session itself added (none may reach the server). */
const ownHeaders = (headers: Headers | undefined) =>
  [...(headers?.keys() ?? [])].filter((name) => name.includes('sessionkeeper'));

/** Signed in; the access token held is already refused by the server. */
async function staleSession() {
  const setup = setupSession({ http: { prefix: API } });
  const login = setup.server.login();
  await setup.session.login(login);
  setup.server.invalidateAccess();
  return { ...setup, login };
}

describe('skipRefresh: the token is sent, a 401 is handed straight back', () => {
  it('session.fetch: the 401 is the answer, readable; no refresh, no replay, no expiry', async () => {
    const { session, server, login, ofType } = await staleSession();
    const response = await session.fetch('/api/whoami', { skipRefresh: true });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_token' });
    expect(apiAuth(server)).toEqual([bearer(login)]);
    expect(ownHeaders(server.apiRequests[0]?.headers)).toEqual([]);
    await settle();
    expect(server.refreshRequests).toHaveLength(0);
    expect(ofType('expired')).toEqual([]);
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', pendingRequests: 0 });
  });

  it('session.http context: { skipRefresh: true }: ky sees the 401; a plain call still replays', async () => {
    const { session, server, login } = await staleSession();
    const error = await session.http
      .post('logout', { json: { all: true }, context: { skipRefresh: true } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).response.status).toBe(401);
    expect(server.apiRequests).toMatchObject([
      { authorization: bearer(login), body: '{"all":true}' },
    ]);
    expect(ownHeaders(server.apiRequests[0]?.headers)).toEqual([]);
    expect(server.refreshRequests).toHaveLength(0);

    expect(await session.http.get('me').json()).toMatchObject({ user: 'alice' });
    expect(server.refreshRequests).toHaveLength(1);
  });

  it('waits for a refresh in flight and goes out with the new token', async () => {
    const { session, server } = setupSession({ http: { prefix: API } });
    await session.login(server.login());
    const release = server.hold('/token');
    const refreshing = session.refresh();
    await settle();
    const call = track(session.http.get('whoami', { context: { skipRefresh: true } }).json());
    await settle();
    expect(session.getSnapshot().pendingRequests).toBe(1);
    expect(server.apiRequests).toHaveLength(0);
    release();
    await refreshing;
    await settle();
    expect(call.value).toMatchObject({ user: 'alice', path: '/api/whoami' });
    expect(apiAuth(server)).toEqual([`Bearer ${await session.getAccessToken()}`]);
  });

  it('is held like any request while the session is expired, and sent after the same user signs in', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    session.expire();
    const call = track(session.fetch('/api/whoami', { skipRefresh: true }));
    await settle();
    expect(session.getSnapshot().pendingRequests).toBe(1);
    const again = server.login('alice');
    await session.login(again);
    await settle();
    expect((call.value as Response).status).toBe(200);
    expect(apiAuth(server)).toEqual([bearer(again)]);
  });

  it('a response isUnauthorized would flag is returned as is, without asking it', async () => {
    // Flags the first response it is asked about.
    const isUnauthorized = vi.fn((_: Response) => false).mockReturnValueOnce(true);
    const { session, server } = setupSession({ isUnauthorized });
    await session.login(server.login());
    const response = await session.fetch('/api/me', { skipRefresh: true });
    expect(response.status).toBe(200);
    expect(isUnauthorized).not.toHaveBeenCalled();
    expect(server.refreshRequests).toHaveLength(0);
    await session.fetch('/api/me'); // without skipRefresh: asked, flagged, replayed
    expect(isUnauthorized).toHaveBeenCalledTimes(2);
    expect(server.refreshRequests).toHaveLength(1);
  });

  it('a stream body’s 401 is returned too (nothing to replay, so no BODY_NOT_REPLAYABLE)', async () => {
    const { session, server } = await staleSession();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('bye'));
        controller.close();
      },
    });
    const init = { method: 'POST', body, duplex: 'half', skipRefresh: true } as RequestInit;
    const response = await session.fetch('/api/logout', init);
    expect(response.status).toBe(401);
    expect(server.apiRequests.map((r) => r.body)).toEqual(['bye']);
    await settle();
    expect(server.refreshRequests).toHaveLength(0);
  });

  it('with skipAuth too, skipAuth wins: no token', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    await session.fetch('/api/x', { skipAuth: true, skipRefresh: true });
    expect(apiAuth(server)).toEqual([null]);
  });

  it('an app’s own ky instance with skipAuthHook honours context: { skipRefresh: true }', async () => {
    const { session, server, login } = await staleSession();
    const api = ky.create({
      prefix: API,
      fetch: session.fetch,
      hooks: { beforeRequest: [skipAuthHook] },
    });
    const response = await api.get('whoami', {
      context: { skipRefresh: true },
      throwHttpErrors: false,
    });
    expect(response.status).toBe(401);
    expect(apiAuth(server)).toEqual([bearer(login)]);
    expect(ownHeaders(server.apiRequests[0]?.headers)).toEqual([]);
    expect(server.refreshRequests).toHaveLength(0);
  });
});
