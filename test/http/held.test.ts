import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueueFullError, SessionExpiredError } from '../../src/index';
import { AUTH_MODES, type AuthMode, setupModeSession } from '../helpers/auth-modes';
import { apiAuth, bearer, settle, track } from '../helpers/http';
import { ORIGIN, useFakeClock } from '../helpers/session';
import { installSyncCrypto } from '../helpers/sync-crypto';

// Run as bearer and with DPoP (`sessionkeeper/dpop`): the same jobs, the same expectations.
installSyncCrypto();
beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;

async function expiredSession(
  mode: AuthMode,
  options: Parameters<typeof setupModeSession>[1] = {},
) {
  const setup = setupModeSession(mode, { http: { prefix: API }, ...options });
  await setup.signIn('alice');
  setup.session.expire();
  return setup;
}

describe.each(AUTH_MODES)('while the session is expired ($name)', (mode) => {
  it('requests are held (pendingRequests counts them) and replayed after the same user signs in', async () => {
    const { session, server, signIn } = await expiredSession(mode);
    const calls = [
      track(session.http.post('a', { json: { n: 1 } }).json()),
      track(session.fetch(`${API}/b`, { method: 'PATCH', body: 'x=1' })),
      track(session.getAccessToken()),
    ];
    await settle();
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', pendingRequests: 3 });
    expect(server.apiRequests).toEqual([]);
    expect(calls.some((c) => c.settled)).toBe(false);

    const again = await signIn('alice');
    await settle();
    expect(calls.every((c) => c.settled && c.error === undefined)).toBe(true);
    expect(apiAuth(server)).toEqual([bearer(again), bearer(again)]);
    expect(server.apiRequests.map((r) => r.body).sort()).toEqual(['x=1', '{"n":1}']);
    expect(session.getSnapshot().pendingRequests).toBe(0);
  });

  it('when another user signs in, held requests reject with SessionExpiredError and are never sent', async () => {
    const { session, server, signIn } = await expiredSession(mode);
    const calls = [session.http.get('a'), session.fetch(`${API}/b`, { method: 'DELETE' })];
    // They reject during the sign-in (a DPoP one awaits its key afterwards): seen below.
    for (const call of calls) call.catch(() => {});
    await settle();
    await signIn('bob');
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(SessionExpiredError);
    await expect(calls[1]).rejects.toMatchObject({
      code: 'SESSION_EXPIRED',
      reason: 'user-changed',
    });
    expect(server.apiRequests).toEqual([]);
    expect(session.getSnapshot().pendingRequests).toBe(0);
  });

  it('past queue.maxSize a request rejects with QueueFullError; the held ones still go out', async () => {
    const { session, server, signIn } = await expiredSession(mode, { queue: { maxSize: 3 } });
    const held = [1, 2, 3].map((n) => track(session.fetch(`${API}/${n}`)));
    await settle();
    const error = await session.fetch(`${API}/4`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueFullError);
    expect(error).toMatchObject({ code: 'QUEUE_FULL', maxSize: 3 });
    await expect(session.http.get('5')).rejects.toBeInstanceOf(QueueFullError);
    expect(session.getSnapshot().pendingRequests).toBe(3);
    await signIn('alice');
    await settle();
    expect(held.map((c) => (c.value as Response).status)).toEqual([200, 200, 200]);
    expect(server.apiRequests.map((r) => new URL(r.url).pathname)).toEqual([
      '/api/1',
      '/api/2',
      '/api/3',
    ]);
  });

  it('requests waiting for a refresh in flight are not capped by queue.maxSize', async () => {
    const { session, server, signIn } = setupModeSession(mode, { queue: { maxSize: 2 } });
    await signIn();
    const release = server.hold('/token');
    const refreshing = session.refresh();
    await settle();
    const calls = Array.from({ length: 6 }, (_, i) => session.fetch(`/api/${i}`));
    await settle();
    expect(session.getSnapshot().pendingRequests).toBe(6);
    release();
    await refreshing;
    expect((await Promise.all(calls)).map((r) => r.status)).toEqual(Array(6).fill(200));
  });

  it('past queue.holdTimeoutMs a held request rejects with SessionExpiredError', async () => {
    const { session, server, signIn } = await expiredSession(mode, {
      queue: { holdTimeoutMs: 30_000 },
    });
    const call = track(session.fetch(`${API}/a`));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(call.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.error).toBeInstanceOf(SessionExpiredError);
    expect(session.getSnapshot().pendingRequests).toBe(0);
    await signIn('alice');
    await settle();
    expect(server.apiRequests).toEqual([]);
  });

  it('each held request gives up at its own deadline, also when the first one left early', async () => {
    const { session } = await expiredSession(mode, { queue: { holdTimeoutMs: 30_000 } });
    const leaving = new AbortController();
    const first = track(session.fetch(`${API}/a`, { signal: leaving.signal }));
    await vi.advanceTimersByTimeAsync(10_000);
    const second = track(session.fetch(`${API}/b`));
    await vi.advanceTimersByTimeAsync(10_000);
    const third = track(session.fetch(`${API}/c`));
    leaving.abort(); // the first one leaves: the next deadline is the second one's
    await settle();
    expect(first.error).toBeDefined();
    await vi.advanceTimersByTimeAsync(19_999); // 39,999 ms since the second began
    expect(second.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(second.error).toBeInstanceOf(SessionExpiredError);
    expect(third.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(third.error).toBeInstanceOf(SessionExpiredError);
    expect(session.getSnapshot().pendingRequests).toBe(0);
  });

  it("queue.whileExpired 'reject' rejects at once, sending nothing", async () => {
    const { session, server } = await expiredSession(mode, {
      queue: { whileExpired: 'reject' },
    });
    await expect(session.fetch(`${API}/a`)).rejects.toMatchObject({
      code: 'SESSION_EXPIRED',
      reason: 'manual',
    });
    await expect(session.http.get('b')).rejects.toBeInstanceOf(SessionExpiredError);
    expect(session.getSnapshot().pendingRequests).toBe(0);
    expect(server.apiRequests).toEqual([]);
  });

  it('logout() rejects everything held; nothing is sent', async () => {
    const { session, server } = await expiredSession(mode);
    const calls = [
      session.fetch(`${API}/a`),
      session.http.put('b', { json: {} }),
      session.getAccessToken(),
    ];
    await settle();
    expect(session.getSnapshot().pendingRequests).toBe(3);
    await session.logout();
    for (const call of calls) {
      await expect(call).rejects.toMatchObject({ code: 'SESSION_EXPIRED', reason: 'logout' });
    }
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', pendingRequests: 0 });
    expect(server.apiRequests).toEqual([]);
  });
});
