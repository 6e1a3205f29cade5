import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTH_MODES, setupModeSession } from '../helpers/auth-modes';
import { apiAuth, bearer, settle, track } from '../helpers/http';
import { ORIGIN, useFakeClock } from '../helpers/session';
import { installSyncCrypto } from '../helpers/sync-crypto';

// Run as bearer and with DPoP (`sessionkeeper/dpop`): the same jobs, the same expectations.
installSyncCrypto();
beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;

describe.each(AUTH_MODES)('a 401 is refreshed once and replayed once ($name)', (mode) => {
  it('one 401: one refresh, one replay with the new token, the app sees the success', async () => {
    const { session, server, signIn } = setupModeSession(mode, { http: { prefix: API } });
    const login = await signIn();
    server.invalidateAccess(); // revoked server-side before it expired
    const body = await session.http.get('me').json();
    expect(body).toMatchObject({ user: 'alice', path: '/api/me' });
    const fresh = `Bearer ${await session.getAccessToken()}`;
    expect(apiAuth(server)).toEqual([bearer(login), fresh]);
    expect(server.refreshRequests.length).toBe(1);
  });

  it('20 requests in flight that come back 401 during one refresh: 1 refresh, 20 replays', async () => {
    const { session, server, signIn } = setupModeSession(mode, { http: { prefix: API } });
    const login = await signIn();
    const releaseApi = server.hold('/api');
    const calls = Array.from({ length: 20 }, (_, i) => session.http.get(`r/${i}`).json());
    await settle();
    expect(server.apiRequests).toHaveLength(20); // all in flight with the old token

    server.invalidateAccess();
    const releaseToken = server.hold('/token');
    const refreshing = session.refresh(); // the refresh starts while they are in flight
    await settle();
    releaseApi();
    await settle();
    // Every 401 joined the refresh in flight: no second refresh, nothing replayed yet.
    expect(server.counts.unauthorized).toBe(20);
    expect(server.refreshRequests.length).toBe(1);
    expect(session.getSnapshot().pendingRequests).toBe(20);
    expect(server.apiRequests).toHaveLength(20);

    releaseToken();
    await refreshing;
    const results = await Promise.all(calls);
    const fresh = `Bearer ${await session.getAccessToken()}`;
    expect(server.refreshRequests.length).toBe(1);
    expect(apiAuth(server)).toEqual([...Array(20).fill(bearer(login)), ...Array(20).fill(fresh)]);
    expect(results).toHaveLength(20);
    expect(results.every((r) => (r as { user: string }).user === 'alice')).toBe(true);
  });

  it('401s arriving one after another share the refresh the first one started', async () => {
    const { session, server, signIn } = setupModeSession(mode);
    await signIn();
    server.invalidateAccess();
    const releaseToken = server.hold('/token');
    const first = track(session.fetch('/api/1', { method: 'POST', body: 'one' }));
    await settle();
    expect(server.refreshRequests.length).toBe(1);
    const later = [2, 3, 4].map((n) => session.fetch(`/api/${n}`));
    await settle();
    // The later ones went out with the old token (the refresh was not known to be needed)
    // or waited; either way no second refresh starts.
    expect(server.refreshRequests.length).toBe(1);
    releaseToken();
    const responses = await Promise.all(later);
    await settle();
    expect(first.settled).toBe(true);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(server.refreshRequests.length).toBe(1);
    const fresh = `Bearer ${await session.getAccessToken()}`;
    expect(server.apiRequests.filter((r) => r.authorization === fresh)).toHaveLength(4);
  });

  it('a 401 that arrives after the refresh finished replays with the newest token, no new refresh', async () => {
    const { session, server, signIn } = setupModeSession(mode);
    const login = await signIn();
    const releaseApi = server.hold('/api/slow');
    const slow = session.fetch('/api/slow');
    await settle();
    server.invalidateAccess();
    await session.refresh();
    expect(server.refreshRequests.length).toBe(1);
    releaseApi();
    const response = await slow;
    expect(response.status).toBe(200);
    expect(server.refreshRequests.length).toBe(1);
    expect(apiAuth(server)).toEqual([bearer(login), `Bearer ${await session.getAccessToken()}`]);
  });

  it('the replay keeps the method, the app’s headers, the query and the credentials mode', async () => {
    // A fetch in front of the fake server, to see what the fake server's log does not show.
    const credentials: RequestCredentials[] = [];
    let forward: typeof fetch = async () => new Response(null, { status: 500 });
    const spy = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (request.url.includes('/api/')) credentials.push(request.credentials);
      return forward(input, init);
    }) as typeof fetch;
    const { session, server, signIn, dpopServer } = setupModeSession(mode, {
      env: { fetch: spy },
    });
    forward = dpopServer?.fetch ?? server.fetch;
    await signIn();
    server.invalidateAccess();
    await session.fetch('/api/x?q=1&r=%20', {
      method: 'DELETE',
      headers: { 'X-Trace': 'abc', Accept: 'text/plain' },
      credentials: 'include',
    });
    const [first, replay] = server.apiRequests;
    expect(replay?.url).toBe(`${ORIGIN}/api/x?q=1&r=%20`);
    expect(replay?.method).toBe('DELETE');
    expect(replay?.headers.get('x-trace')).toBe('abc');
    expect(replay?.headers.get('accept')).toBe('text/plain');
    expect(first?.headers.get('x-trace')).toBe('abc');
    expect(credentials).toEqual(['include', 'include']);
  });

  it('ky replays set the header themselves: the app’s beforeRequest hook runs once per call', async () => {
    const { session, server, signIn } = setupModeSession(mode, { http: { prefix: API } });
    await signIn();
    server.invalidateAccess();
    const seen: (string | null)[] = [];
    const client = session.http.extend({
      hooks: {
        beforeRequest: [({ request }) => void seen.push(request.headers.get('Authorization'))],
      },
    });
    await client.get('x').json();
    expect(seen).toEqual([null]); // the token is not visible to hooks and not copied by them
    expect(server.apiRequests).toHaveLength(2);
    expect(server.apiRequests[1]?.authorization).toBe(`Bearer ${await session.getAccessToken()}`);
  });
});
