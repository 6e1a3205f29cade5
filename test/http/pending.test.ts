import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../helpers/http';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;

describe('pendingRequests', () => {
  it('counts requests waiting for a refresh and requests held while expired', async () => {
    const { session, server } = setupSession({ http: { prefix: API } });
    await session.login(server.login('alice'));
    const pending = () => session.getSnapshot().pendingRequests;
    const seen = [pending()];
    session.subscribe(() => {
      if (seen.at(-1) !== pending()) seen.push(pending());
    });

    const release = server.hold('/token');
    server.failNext('invalid_grant');
    const refreshing = session.refresh().catch(() => {});
    await settle();
    const waiting = [session.fetch('/api/1'), session.http.get('2'), session.getAccessToken()];
    await settle();
    expect(pending()).toBe(3);
    release();
    await refreshing;
    await settle();
    // The refresh was rejected: the waiting requests are now held, and new ones join them.
    expect(session.getSnapshot()).toMatchObject({ status: 'expired', pendingRequests: 3 });
    const held = [session.fetch('/api/4'), session.http.post('5', { json: {} })];
    await settle();
    expect(pending()).toBe(5);

    await session.login(server.login('alice'));
    await Promise.all([...waiting, ...held]);
    expect(pending()).toBe(0);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 4, 3, 2, 1, 0]); // every change is published
    expect(server.apiRequests).toHaveLength(4);
  });
});
