import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../../src/index';
import { settle } from '../helpers/http';
import { ORIGIN, setupSession, useFakeClock } from '../helpers/session';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;
/** Headers the session itself added (none may reach the server on a skip-auth request). */
const ownHeaders = (headers: Headers | undefined) =>
  [...(headers?.keys() ?? [])].filter((name) => name.includes('sessionkeeper'));

describe('the refresh request never waits in the queue', () => {
  it('a custom refresh function that uses session.fetch with skipAuth: no deadlock', async () => {
    let session: Session | undefined;
    const setup = setupSession({
      refresh: async ({ refreshToken, signal }) => {
        if (!session) throw new Error('not ready');
        const response = await session.fetch(`${ORIGIN}/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: refreshToken ?? '',
          }),
          signal,
          skipAuth: true,
        });
        return response.json();
      },
    });
    session = setup.session;
    const { server } = setup;
    await session.login(server.login());
    server.invalidateAccess();
    const responses = await Promise.all([session.fetch('/api/a'), session.fetch('/api/b')]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(server.refreshRequests).toHaveLength(1);
    expect(server.refreshRequests[0]?.authorization).toBeNull();
  });

  it('a custom refresh function that uses session.http with context: { skipAuth: true }', async () => {
    let session: Session | undefined;
    const setup = setupSession({
      http: { prefix: API },
      refresh: ({ refreshToken, signal }) => {
        if (!session) throw new Error('not ready');
        return session.http
          .post(new URL(`${ORIGIN}/token`), {
            body: new URLSearchParams({ refresh_token: refreshToken ?? '' }),
            signal,
            context: { skipAuth: true },
          })
          .json();
      },
    });
    session = setup.session;
    const { server } = setup;
    await session.login(server.login());
    // The token is found expired at use time: requests wait for a refresh that uses session.http.
    vi.setSystemTime(Date.now() + 3_600_000);
    const results = await Promise.all([session.http.get('a').json(), session.http.get('b').json()]);
    expect(results).toMatchObject([{ path: '/api/a' }, { path: '/api/b' }]);
    expect(server.refreshRequests).toHaveLength(1);
    expect(server.refreshRequests[0]?.authorization).toBeNull();
    expect(ownHeaders(server.refreshRequests[0]?.headers)).toEqual([]);
  });

  it('the default endpoint refreshes while requests wait for it', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    vi.setSystemTime(Date.now() + 3_600_000);
    const response = await session.fetch('/api/a');
    expect(response.status).toBe(200);
    expect(server.requests.map((r) => new URL(r.url).pathname)).toEqual(['/token', '/api/a']);
  });
});

describe('a skip-auth request is passed through untouched', () => {
  it('no token, no waiting, no replay, nothing added (session.http context)', async () => {
    const { session, server } = setupSession({ http: { prefix: API } });
    await session.login(server.login());
    const release = server.hold('/token');
    const refreshing = session.refresh();
    await settle();
    // While a refresh is in flight it goes out at once, and its 401 is the app's answer.
    const response = await session.http.get('public', {
      context: { skipAuth: true },
      throwHttpErrors: false,
      headers: { 'X-Custom': 'kept' },
    });
    expect(response.status).toBe(401);
    expect(session.getSnapshot().pendingRequests).toBe(0);
    const sent = server.apiRequests;
    expect(sent).toHaveLength(1);
    expect(sent[0]?.authorization).toBeNull();
    expect(ownHeaders(sent[0]?.headers)).toEqual([]);
    expect(sent[0]?.headers.get('x-custom')).toBe('kept');
    expect(server.refreshRequests).toHaveLength(1); // the 401 started no refresh of its own
    release();
    await refreshing;
  });

  it('fetch init skipAuth: true — the app’s own Authorization header is left alone', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    session.expire(); // not held either
    const response = await session.fetch('/api/basic', {
      method: 'POST',
      body: 'raw',
      skipAuth: true,
      headers: { Authorization: 'Basic dXNlcjpwdw==' },
    });
    expect(response.status).toBe(401);
    expect(server.apiRequests).toMatchObject([
      { authorization: 'Basic dXNlcjpwdw==', body: 'raw', method: 'POST' },
    ]);
    expect(session.getSnapshot().pendingRequests).toBe(0);
  });

  it('a Request object with skipAuth keeps its method, headers and body', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    const request = new Request(`${API}/r`, {
      method: 'PUT',
      body: 'payload',
      headers: { 'X-One': '1' },
    });
    await session.fetch(request, { skipAuth: true });
    expect(server.apiRequests).toMatchObject([
      { method: 'PUT', body: 'payload', authorization: null },
    ]);
    expect(server.apiRequests[0]?.headers.get('x-one')).toBe('1');
  });

  it('skipAuth: false is an ordinary authorized request', async () => {
    const { session, server } = setupSession();
    await session.login(server.login());
    await session.fetch('/api/x', { skipAuth: false });
    expect(server.apiRequests[0]?.authorization).toBe(`Bearer ${await session.getAccessToken()}`);
  });
});
