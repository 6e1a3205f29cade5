import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiAuth, bearer, settle, track } from '../helpers/http';
import { ORIGIN, setupSession, T0, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const ACCESS_TTL_MS = 3_600_000;

describe('requests during a refresh', () => {
  it('wait while a refresh is in flight, then go out with the new token', async () => {
    const { session, server } = setupSession({ http: { prefix: `${ORIGIN}/api` } });
    const login = server.login();
    await session.login(login);
    const release = server.hold('/token');
    const refreshing = session.refresh();
    await settle();

    const viaHttp = track(session.http.get('a').json());
    const viaFetch = track(session.fetch('/api/b', { method: 'DELETE' }));
    const viaToken = track(session.getAccessToken());
    await settle();
    expect(server.apiRequests).toEqual([]); // nothing went out with the old token
    expect(session.getSnapshot()).toMatchObject({ status: 'refreshing', pendingRequests: 3 });
    expect([viaHttp.settled, viaFetch.settled, viaToken.settled]).toEqual([false, false, false]);

    release();
    await refreshing;
    await settle();
    const fresh = `Bearer ${await session.getAccessToken()}`;
    expect(fresh).not.toBe(bearer(login));
    expect(apiAuth(server)).toEqual([fresh, fresh]);
    expect(viaHttp.value).toMatchObject({ user: 'alice', path: '/api/a' });
    expect((viaFetch.value as Response).status).toBe(200);
    expect(session.getSnapshot().pendingRequests).toBe(0);
    expect(server.refreshRequests.length).toBe(1);
  });

  it('a scheduled refresh: requests made during it wait for it (no second refresh)', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    const release = server.hold('/token');
    await vi.advanceTimersByTimeAsync(ACCESS_TTL_MS - 120_000);
    expect(session.getSnapshot().status).toBe('refreshing');
    const requests = Array.from({ length: 5 }, (_, i) => session.fetch(`/api/${i}`));
    await settle();
    expect(session.getSnapshot().pendingRequests).toBe(5);
    release();
    const responses = await Promise.all(requests);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(server.refreshRequests.length).toBe(1);
    expect(new Set(apiAuth(server))).toEqual(new Set([`Bearer ${await session.getAccessToken()}`]));
  });

  it('100 concurrent requests when the token is expired: 1 refresh, 100 successes, all with the new token', async () => {
    const { session, server } = setupSession({ http: { prefix: `${ORIGIN}/api` } });
    const login = server.login();
    await session.login(login);
    // The laptop slept past the expiry: no timer ran, the token is found expired at use time.
    vi.setSystemTime(T0 + ACCESS_TTL_MS + 60_000);

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        session.http.get(`item/${i}`).json<{ user: string; path: string }>(),
      ),
    );
    expect(server.refreshRequests.length).toBe(1);
    expect(server.counts.unauthorized).toBe(0);
    expect(results.map((r) => r.path)).toEqual(
      Array.from({ length: 100 }, (_, i) => `/api/item/${i}`),
    );
    const fresh = `Bearer ${await session.getAccessToken()}`;
    expect(fresh).not.toBe(bearer(login));
    expect(apiAuth(server)).toEqual(Array(100).fill(fresh));
  });
});
