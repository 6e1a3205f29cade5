import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionExpiredError } from '../../src/index';
import { bearer, settle } from '../helpers/http';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;

describe('a request is never sent with another user’s token', () => {
  it('in flight for alice, 401 after bob signed in: rejected, not replayed with bob’s token', async () => {
    const { session, server } = setupSession({ http: { prefix: API } });
    const alice = server.login('alice');
    await session.login(alice);
    const release = server.hold('/api');
    const call = session.http.post('transfer', { json: { amount: 100 } });
    const settled = call.catch((e: unknown) => e);
    await settle();
    session.expire();
    const bob = server.login('bob');
    await session.login(bob);
    server.invalidateAccess('alice');
    release();
    expect(await settled).toBeInstanceOf(SessionExpiredError);
    await expect(call).rejects.toMatchObject({ reason: 'user-changed' });
    expect(server.apiRequests.map((r) => r.authorization)).toEqual([bearer(alice)]);
    expect(server.refreshRequests).toHaveLength(0);
  });

  it('in flight for alice while bob signs in directly (no expiry between): not replayed', async () => {
    const { session, server } = setupSession();
    const alice = server.login('alice');
    await session.login(alice);
    const release = server.hold('/api');
    const call = session
      .fetch('/api/x', { method: 'POST', body: 'secret' })
      .catch((e: unknown) => e);
    await settle();
    await session.login(server.login('bob'));
    server.invalidateAccess('alice');
    release();
    expect(await call).toMatchObject({ code: 'SESSION_EXPIRED', reason: 'user-changed' });
    expect(server.apiRequests).toHaveLength(1);
  });

  it('in flight at logout, 401 afterwards: rejected, not replayed without a token', async () => {
    const { session, server } = setupSession();
    await session.login(server.login('alice'));
    const release = server.hold('/api');
    const call = session
      .fetch('/api/x', { method: 'POST', body: 'secret' })
      .catch((e: unknown) => e);
    await settle();
    await session.logout();
    server.invalidateAccess('alice');
    release();
    expect(await call).toMatchObject({ code: 'SESSION_EXPIRED', reason: 'logout' });
    expect(server.apiRequests).toHaveLength(1);
  });

  it('in flight for alice, 401 after alice signed in again: replayed with her new token', async () => {
    const { session, server } = setupSession();
    await session.login(server.login('alice'));
    const release = server.hold('/api');
    const call = session.fetch('/api/x', { method: 'POST', body: 'mine' });
    await settle();
    session.expire();
    const again = server.login('alice');
    await session.login(again);
    server.invalidateAccess();
    const fresh = server.login('alice');
    await session.login(fresh); // a newer token than the one that will be refused
    release();
    expect((await call).status).toBe(200);
    expect(server.apiRequests.at(-1)).toMatchObject({ authorization: bearer(fresh), body: 'mine' });
  });

  it('no user id: a request in flight is not replayed across a re-login', async () => {
    const { session, server } = setupSession({ userId: () => undefined });
    await session.login(server.login('alice'));
    const release = server.hold('/api');
    const call = session.fetch('/api/x').catch((e: unknown) => e);
    await settle();
    session.expire();
    await session.login(server.login('alice')); // cannot be proven to be the same person
    server.invalidateAccess();
    release();
    await settle();
    expect(await call).toBeInstanceOf(SessionExpiredError);
    expect(server.apiRequests).toHaveLength(1);
  });

  it('no user id: a 401 within the same sign-in is still refreshed and replayed', async () => {
    const { session, server } = setupSession({ userId: () => undefined });
    await session.login(server.login('alice'));
    server.invalidateAccess();
    expect((await session.fetch('/api/x')).status).toBe(200);
    expect(server.apiRequests).toHaveLength(2);
  });
});
