import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSession, SessionExpiredError } from '../../src/index';
import { flush, setupSession, T0, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

describe('state and snapshot', () => {
  it('goes anonymous → authenticated ⇄ refreshing → expired → authenticated', async () => {
    const { session, server } = setupSession();
    const seen: string[] = [];
    session.subscribe(() => seen.push(session.getSnapshot().status));
    expect(session.getSnapshot().status).toBe('anonymous');
    await session.login(server.login());
    const release = server.hold();
    const refreshing = session.refresh();
    release();
    await refreshing;
    session.expire();
    await session.login(server.login());
    expect(seen).toEqual([
      'authenticated',
      'refreshing',
      'authenticated',
      'expired',
      'authenticated',
    ]);
  });

  it('keeps the last user while expired and clears it on logout', async () => {
    const { session, server, ofType } = setupSession();
    await session.login(server.login('alice'));
    session.expire();
    expect(session.getSnapshot()).toMatchObject({
      status: 'expired',
      user: { id: 'alice' },
      expiresAt: null,
      reason: 'manual',
    });
    await session.logout();
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', user: null });
    expect(ofType('logout')).toEqual([{ user: expect.objectContaining({ id: 'alice' }) }]);
  });

  it('gives a new snapshot object only when something changed', async () => {
    const { session, server } = setupSession();
    const a = session.getSnapshot();
    expect(session.getSnapshot()).toBe(a);
    session.expire(); // nothing to expire: no change
    expect(session.getSnapshot()).toBe(a);
    await session.login(server.login());
    const b = session.getSnapshot();
    expect(b).not.toBe(a);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(session.getSnapshot()).toBe(b);
    expect(Object.isFrozen(b) || b === session.getSnapshot()).toBe(true);
  });

  it('typed events carry one object each', async () => {
    const { session, server, ofType } = setupSession();
    await session.login(server.login('alice'));
    await session.refresh();
    session.expire('idle');
    expect(ofType('login')).toEqual([
      { user: { id: 'alice', claims: expect.objectContaining({ sub: 'alice' }) } },
    ]);
    expect(ofType('refresh')).toEqual([{ expiresAt: T0 + 3_600_000 }]);
    expect(ofType('expired')).toEqual([{ reason: 'idle' }]);
  });

  it('a throwing listener does not break the session', async () => {
    const { session, server } = setupSession();
    const errors: unknown[] = [];
    const original = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (fn) =>
      original(() => {
        try {
          fn();
        } catch (error) {
          errors.push(error);
        }
      });
    try {
      session.on('login', () => {
        throw new Error('app bug');
      });
      await session.login(server.login());
      await flush();
    } finally {
      globalThis.queueMicrotask = original;
    }
    expect(session.getSnapshot().status).toBe('authenticated');
    expect(errors).toEqual([new Error('app bug')]);
  });
});

describe('getAccessToken', () => {
  it('rejects with NOT_AUTHENTICATED when signed out', async () => {
    const { session } = setupSession();
    await expect(session.getAccessToken()).rejects.toMatchObject({ code: 'NOT_AUTHENTICATED' });
  });

  it('waits while expired and resolves after the same user signs in again', async () => {
    const { session, server } = setupSession();
    await session.login(server.login('alice'));
    session.expire();
    const waiting = session.getAccessToken();
    expect(session.getSnapshot().pendingRequests).toBe(1);
    const again = server.login('alice');
    await session.login(again);
    await expect(waiting).resolves.toBe(again.access_token);
    expect(session.getSnapshot().pendingRequests).toBe(0);
  });

  it('never hands a waiting caller another user’s token', async () => {
    const { session, server } = setupSession();
    await session.login(server.login('alice'));
    session.expire();
    const waiting = session.getAccessToken();
    await session.login(server.login('bob'));
    await expect(waiting).rejects.toBeInstanceOf(SessionExpiredError);
  });

  it('honours an AbortSignal while waiting', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    session.expire();
    const controller = new AbortController();
    const waiting = session.getAccessToken({ signal: controller.signal });
    controller.abort(new Error('left the page'));
    await expect(waiting).rejects.toThrow('left the page');
    expect(session.getSnapshot().pendingRequests).toBe(0);
  });
});

describe('destroy', () => {
  it('removes every listener and timer, and everything rejects afterwards', async () => {
    const { session, server, win } = setupSession();
    expect(win.listenerCount()).toBeGreaterThan(0);
    await session.login(server.login());
    session.expire();
    const held = session.getAccessToken();
    session.destroy();
    expect(win.listenerCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    await expect(held).rejects.toMatchObject({ code: 'DESTROYED' });
    await expect(session.getAccessToken()).rejects.toMatchObject({ code: 'DESTROYED' });
    await expect(session.login(server.login())).rejects.toMatchObject({ code: 'DESTROYED' });
    await expect(session.fetch('https://app.test/api')).rejects.toMatchObject({
      code: 'DESTROYED',
    });
  });

  it('creating a session touches no global that was not injected', () => {
    const session = createSession({
      refresh: '/token',
      env: {
        window: null,
        fetch: null,
        localStorage: null,
        sessionStorage: null,
        BroadcastChannel: null,
        locks: null,
        indexedDB: null,
      },
    });
    expect(session.getSnapshot().status).toBe('anonymous');
    session.destroy();
  });
});
