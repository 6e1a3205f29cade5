import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiAuth, bearer, settle, track } from '../helpers/http';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;

describe('a 401 to a request that carried the newest token', () => {
  it('ends the session (unauthorized) without looping; the request is held, then sent after the same user signs in', async () => {
    const { session, server, ofType } = setupSession({ http: { prefix: API } });
    const login = server.login();
    await session.login(login);
    server.failApiNext(401, 401); // the server refuses the old token and the refreshed one
    const call = track(session.http.post('orders', { json: { id: 7 } }).json());
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ofType('expired')).toEqual([{ reason: 'unauthorized' }]);
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', pendingRequests: 1 });
    expect(server.apiRequests).toHaveLength(2); // first try + one replay, no loop
    expect(server.refreshRequests).toHaveLength(1);
    expect(call.settled).toBe(false); // not dropped

    const again = server.login('alice');
    await session.login(again);
    await settle();
    expect(call.value).toMatchObject({ user: 'alice', body: '{"id":7}' });
    expect(apiAuth(server)).toHaveLength(3);
    expect(apiAuth(server)[0]).toBe(bearer(login));
    expect(apiAuth(server)[2]).toBe(bearer(again));
    expect(server.refreshRequests).toHaveLength(1);
  });

  it('a server that refuses every token: each sign-in costs one try, one refresh and one replay', async () => {
    const { session, server, ofType } = setupSession();
    await session.login(server.login());
    server.failApiNext(...Array(50).fill(401));
    const call = track(session.fetch('/api/x'));
    await settle();
    await vi.advanceTimersByTimeAsync(10 * 60_000 - 1);
    expect(server.apiRequests).toHaveLength(2);
    await session.login(server.login());
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.apiRequests).toHaveLength(4);
    expect(server.refreshRequests).toHaveLength(2);
    expect(ofType('expired')).toHaveLength(2);
    expect(call.settled).toBe(false);
    expect(session.getSnapshot().pendingRequests).toBe(1);
  });

  it('many replays refused at once: one expiry, all held, sent again after sign-in', async () => {
    const { session, server, ofType } = setupSession();
    await session.login(server.login());
    server.failApiNext(...Array(20).fill(401)); // 10 tries with the old token, 10 replays
    const calls = Array.from({ length: 10 }, (_, i) => track(session.fetch(`/api/${i}`)));
    await settle();
    expect(ofType('expired')).toEqual([{ reason: 'unauthorized' }]);
    expect(server.apiRequests).toHaveLength(20);
    expect(server.refreshRequests).toHaveLength(1);
    expect(session.getSnapshot().pendingRequests).toBe(10);
    expect(calls.some((c) => c.settled)).toBe(false);

    const again = server.login('alice');
    await session.login(again);
    await settle();
    expect(calls.every((c) => (c.value as Response | undefined)?.status === 200)).toBe(true);
    expect(apiAuth(server).slice(20)).toEqual(Array(10).fill(bearer(again)));
  });

  it('a 401 answered by a refresh that is rejected: expired (refresh-rejected), the request held', async () => {
    const { session, server, ofType } = setupSession();
    await session.login(server.login());
    server.invalidateAccess();
    server.failNext('invalid_grant');
    const call = track(session.fetch('/api/x', { method: 'PUT', body: 'v=1' }));
    await settle();
    expect(ofType('expired')).toEqual([{ reason: 'refresh-rejected' }]);
    expect(session.getSnapshot().pendingRequests).toBe(1);
    expect(server.apiRequests).toHaveLength(1);
    await session.login(server.login('alice'));
    await settle();
    expect((call.value as Response).status).toBe(200);
    expect(server.apiRequests.at(-1)?.body).toBe('v=1');
  });
});
