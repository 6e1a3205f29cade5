import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle, track } from '../helpers/http';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;

async function refreshingSession() {
  const setup = setupSession({ http: { prefix: API } });
  await setup.session.login(setup.server.login());
  const release = setup.server.hold('/token');
  const refreshing = setup.session.refresh();
  await settle();
  return { ...setup, release, refreshing };
}

describe('every request honours its own AbortSignal', () => {
  it('while waiting for a refresh: leaves the queue at once, the others still go out', async () => {
    const { session, server, release, refreshing } = await refreshingSession();
    const controller = new AbortController();
    const aborted = track(session.fetch(`${API}/a`, { signal: controller.signal }));
    const other = session.fetch(`${API}/b`);
    await settle();
    expect(session.getSnapshot().pendingRequests).toBe(2);

    const reason = new DOMException('user left the page', 'AbortError');
    controller.abort(reason);
    expect(session.getSnapshot().pendingRequests).toBe(1); // synchronously
    await settle();
    expect(aborted.error).toBe(reason);

    release();
    await refreshing;
    expect((await other).status).toBe(200);
    expect(server.apiRequests.map((r) => new URL(r.url).pathname)).toEqual(['/api/b']);
  });

  it('through session.http (ky’s signal option): rejects, leaves the queue, nothing sent', async () => {
    const { session, server, release, refreshing } = await refreshingSession();
    const controller = new AbortController();
    const call = session.http.get('a', { signal: controller.signal }).json();
    const settled = call.catch((e: unknown) => e);
    await settle();
    expect(session.getSnapshot().pendingRequests).toBe(1);
    controller.abort();
    expect(await settled).toMatchObject({ name: 'AbortError' });
    expect(session.getSnapshot().pendingRequests).toBe(0);
    release();
    await refreshing;
    await settle();
    expect(server.apiRequests).toEqual([]);
  });

  it('while held (expired): leaves the queue at once and is not sent after the re-login', async () => {
    const { session, server } = setupSession();
    await session.login(server.login('alice'));
    session.expire();
    const controller = new AbortController();
    const aborted = track(session.fetch('/api/a', { signal: controller.signal }));
    const kept = session.fetch('/api/b');
    await settle();
    expect(session.getSnapshot().pendingRequests).toBe(2);
    controller.abort();
    await settle();
    expect(aborted.error).toMatchObject({ name: 'AbortError' });
    expect(session.getSnapshot().pendingRequests).toBe(1);
    await session.login(server.login('alice'));
    expect((await kept).status).toBe(200);
    expect(server.apiRequests.map((r) => new URL(r.url).pathname)).toEqual(['/api/b']);
  });

  it('while its 401 waits for the refresh: leaves at once, not replayed', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    server.invalidateAccess();
    const release = server.hold('/token');
    const controller = new AbortController();
    const call = track(
      session.fetch('/api/a', { method: 'POST', body: 'x', signal: controller.signal }),
    );
    await settle();
    expect(server.refreshRequests).toHaveLength(1);
    expect(session.getSnapshot().pendingRequests).toBe(1);
    controller.abort();
    await settle();
    expect(call.error).toMatchObject({ name: 'AbortError' });
    expect(session.getSnapshot().pendingRequests).toBe(0);
    release();
    await settle();
    expect(server.apiRequests).toHaveLength(1);
  });

  it('http.timeout bounds the whole call, waiting included: ky times out, the request leaves the queue', async () => {
    const { session, server } = setupSession({ http: { prefix: API, timeout: 5_000 } });
    await session.login(server.login('alice'));
    session.expire();
    const call = session.http.get('a').catch((e: unknown) => e);
    await settle();
    expect(session.getSnapshot().pendingRequests).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await call).toMatchObject({ name: 'TimeoutError' });
    expect(session.getSnapshot().pendingRequests).toBe(0);
    await session.login(server.login('alice'));
    await settle();
    expect(server.apiRequests).toEqual([]);
  });

  it('a signal already aborted: rejects without waiting or sending', async () => {
    const { session, server, release } = await refreshingSession();
    const reason = new Error('stop');
    await expect(session.fetch(`${API}/a`, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(session.getSnapshot().pendingRequests).toBe(0);
    release();
    await settle();
    expect(server.apiRequests).toEqual([]);
  });

  it('the signal of a Request object given to session.fetch is honoured too', async () => {
    const { session, release } = await refreshingSession();
    const controller = new AbortController();
    const call = track(session.fetch(new Request(`${API}/a`, { signal: controller.signal })));
    await settle();
    expect(session.getSnapshot().pendingRequests).toBe(1);
    controller.abort();
    await settle();
    expect(call.error).toMatchObject({ name: 'AbortError' });
    expect(session.getSnapshot().pendingRequests).toBe(0);
    release();
  });
});
