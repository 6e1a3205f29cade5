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

describe('headers the app sets itself', () => {
  it('signed out: an Authorization header of the app’s own goes out unchanged (e.g. a login)', async () => {
    const { session, server } = setupSession();
    await session.fetch('/auth/login', {
      method: 'POST',
      headers: { Authorization: 'Basic dXNlcjpwdw==' },
      body: 'remember=1',
    });
    await session.fetch(
      new Request(`${ORIGIN}/auth/other`, { headers: { Authorization: 'Basic eA==' } }),
    );
    expect(server.requests.map((r) => r.authorization)).toEqual([
      'Basic dXNlcjpwdw==',
      'Basic eA==',
    ]);
  });
});

describe('an Authorization header the app set, on an authorized origin while signed in', () => {
  it('is replaced by the session’s token, never sent alongside it', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    await session.fetch('/api/a', { headers: { Authorization: 'Basic eA==' } });
    await session.fetch('/api/b', {
      method: 'POST',
      body: 'x',
      headers: { authorization: 'Basic eA==' },
    });
    const token = `Bearer ${await session.getAccessToken()}`;
    expect(server.apiRequests.map((r) => r.authorization)).toEqual([token, token]);
  });
});
