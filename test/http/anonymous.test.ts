import { HTTPError } from 'ky';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isSessionError } from '../../src/index';
import { settle, track } from '../helpers/http';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;

describe('signed out (anonymous)', () => {
  it('requests go out without a token and return what the server answers; a 401 starts no refresh', async () => {
    const { session, server } = setupSession({ http: { prefix: API } });
    expect(session.getSnapshot().status).toBe('anonymous');
    const response = await session.fetch(`${API}/a`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_token' });
    const error = await session.http.get('b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).response.status).toBe(401);
    expect(server.apiRequests.map((r) => r.authorization)).toEqual([null, null]);
    expect(server.refreshRequests).toEqual([]);
    expect(session.getSnapshot()).toMatchObject({ status: 'anonymous', pendingRequests: 0 });
  });

  it('after logout, requests are anonymous again', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    await session.logout();
    const response = await session.fetch('/api/a');
    expect(response.status).toBe(401);
    expect(server.apiRequests[0]?.authorization).toBeNull();
    expect(server.refreshRequests).toEqual([]);
  });

  it('after destroy(), requests reject with DESTROYED and nothing is sent', async () => {
    const { session, server } = setupSession({ http: { prefix: API } });
    await session.login(server.login());
    session.destroy();
    const error = await session.fetch('/api/a').catch((e: unknown) => e);
    expect(isSessionError(error, 'DESTROYED')).toBe(true);
    await expect(session.http.get('b')).rejects.toMatchObject({ code: 'DESTROYED' });
    expect(server.apiRequests).toEqual([]);
  });

  it('destroy() rejects the requests that were waiting', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    session.expire();
    const call = track(session.fetch('/api/a'));
    await settle();
    session.destroy();
    await settle();
    expect(isSessionError(call.error, 'DESTROYED')).toBe(true);
    expect(server.apiRequests).toEqual([]);
  });
});
