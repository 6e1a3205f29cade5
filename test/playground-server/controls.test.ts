// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockAuthServer } from '../../playground/server/index';
import {
  cookieHeader,
  login,
  refreshCookie,
  START_MS,
  startTestAuth,
  type TestAuth,
} from '../helpers/mock-auth';

let auth: TestAuth;
beforeEach(async () => {
  auth = await startTestAuth({ accessTtlSeconds: 120 });
});
afterEach(() => auth.close());

describe('GET /mock/state', () => {
  it('reports config, counters, refresh log, sessions and failures, never a token', async () => {
    const session = await login(auth, 'alice');
    await auth.postForm('/auth/refresh', {}, cookieHeader(session.refreshToken));
    await auth.postJson('/mock/fail-next-refresh', { kind: 'network' });
    const res = await auth.request('/mock/state');
    const state = await res.json();
    expect(state).toEqual({
      now: START_MS,
      config: { accessTtlSeconds: 120, refreshTtlSeconds: 3600, latencyMs: 0 },
      counters: {
        logins: 1,
        refreshes: 1,
        refreshFailures: 0,
        noSession: 0,
        reuseRejections: 0,
        unauthorized: 0,
        requests: 0,
        logouts: 0,
      },
      refreshLog: { alice: [START_MS] },
      sessions: [
        {
          id: expect.any(String),
          username: 'alice',
          mode: 'cookie',
          createdAt: START_MS,
          revoked: false,
          rotations: 1,
        },
      ],
      pendingFailures: [{ kind: 'network', remaining: 1 }],
    });
    expect(JSON.stringify(state)).not.toContain(session.refreshToken);
  });
});

describe('POST /mock/config and /mock/reset', () => {
  it('changes only the given fields; reset restores the start', async () => {
    const res = await auth.postJson('/mock/config', { refreshTtlSeconds: 10 });
    expect(await res.json()).toEqual({
      accessTtlSeconds: 120,
      refreshTtlSeconds: 10,
      latencyMs: 0,
    });
    await login(auth, 'bob');
    await auth.postJson('/mock/fail-next-refresh', { kind: 'server' });
    const reset = await (await auth.request('/mock/reset', { method: 'POST' })).json();
    expect(reset.config).toEqual({ accessTtlSeconds: 120, refreshTtlSeconds: 3600, latencyMs: 0 });
    expect(reset.counters.logins).toBe(0);
    expect(reset.sessions).toEqual([]);
    expect(reset.pendingFailures).toEqual([]);
  });
});

describe('POST /auth/logout', () => {
  it('revokes a cookie session, clears the cookie and counts the logout', async () => {
    const session = await login(auth, 'alice');
    const res = await auth.request('/auth/logout', {
      method: 'POST',
      headers: cookieHeader(session.refreshToken),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: true });
    expect(refreshCookie(res)).toEqual({
      value: '',
      attributes: expect.stringContaining('Max-Age=0'),
    });
    expect((await auth.getApi('/api/me', session.accessToken)).status).toBe(401);
    const refresh = await auth.postForm('/auth/refresh', {}, cookieHeader(session.refreshToken));
    expect((await refresh.json()).error).toBe('invalid_grant');
    expect(auth.server.state.counters.logouts).toBe(1);
  });

  it('revokes by token= (RFC 7009): a refresh token or an access token', async () => {
    const byRefresh = await login(auth, 'alice', 'body');
    const res = await auth.postForm('/auth/logout', {
      token: byRefresh.refreshToken,
      token_type_hint: 'refresh_token',
    });
    expect(await res.json()).toEqual({ revoked: true });
    expect((await auth.getApi('/api/me', byRefresh.accessToken)).status).toBe(401);
    const byAccess = await login(auth, 'bob', 'body');
    await auth.postForm('/auth/logout', { token: byAccess.accessToken });
    const refresh = await auth.postForm('/auth/refresh', {
      grant_type: 'refresh_token',
      refresh_token: byAccess.refreshToken,
    });
    expect(refresh.status).toBe(400);
  });

  it('answers 200 for an unknown token, 400 when there is no token at all', async () => {
    const unknown = await auth.postForm('/auth/logout', { token: 'nope' });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ revoked: false });
    const none = await auth.request('/auth/logout', { method: 'POST' });
    expect(none.status).toBe(400);
    expect((await none.json()).error).toBe('invalid_request');
  });
});

describe('POST /mock/revoke', () => {
  it('answers the number of sessions revoked; a user without sessions is 0', async () => {
    await login(auth, 'carol');
    expect(await (await auth.postJson('/mock/revoke', { username: 'carol' })).json()).toEqual({
      revoked: 1,
    });
    expect(await (await auth.postJson('/mock/revoke', { username: 'bob' })).json()).toEqual({
      revoked: 0,
    });
  });
});

describe('routing', () => {
  it('answers 404 JSON for unknown routes under /auth, /api, /mock and elsewhere', async () => {
    for (const path of ['/auth/nope', '/api/nope', '/mock/nope', '/auth', '/auth/login/x', '/x']) {
      const res = await auth.request(path, { method: 'POST' });
      expect(res.status, path).toBe(404);
      expect((await res.json()).error).toBe('not_found');
    }
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const cases = [
      ['GET', '/auth/login', 'POST'],
      ['GET', '/auth/refresh', 'POST'],
      ['POST', '/api/me', 'GET'],
      ['GET', '/api/echo', 'POST'],
      ['POST', '/mock/state', 'GET'],
      ['GET', '/mock/reset', 'POST'],
    ] as const;
    for (const [method, path, allow] of cases) {
      const res = await auth.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect((await res.json()).error).toBe('method_not_allowed');
    }
    expect(auth.server.state.counters.requests).toBe(0);
  });

  it('refuses to listen on a non-loopback host', async () => {
    await expect(startMockAuthServer({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});
