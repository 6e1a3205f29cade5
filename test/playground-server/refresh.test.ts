// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  auth = await startTestAuth();
});
afterEach(() => auth.close());

const refreshCookieMode = (token: string) =>
  auth.postForm('/auth/refresh', {}, cookieHeader(token));
const refreshBodyMode = (token: string) =>
  auth.postForm('/auth/refresh', { grant_type: 'refresh_token', refresh_token: token });

describe('POST /auth/refresh, cookie mode', () => {
  it('rotates the cookie and answers a new access token without refresh_token', async () => {
    const session = await login(auth, 'alice');
    auth.advance(10_000);
    const res = await refreshCookieMode(session.refreshToken);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 300,
      refresh_expires_in: 3600,
    });
    expect(body.access_token).not.toBe(session.accessToken);
    const next = refreshCookie(res);
    expect(next?.value).toEqual(expect.any(String));
    expect(next?.value).not.toBe(session.refreshToken);
    expect(next?.attributes).toContain('HttpOnly');
    expect((await refreshCookieMode(next!.value)).status).toBe(200);
    expect(auth.server.state.counters.refreshes).toBe(2);
    expect(auth.server.state.refreshLog).toEqual({ alice: [START_MS + 10_000, START_MS + 10_000] });
  });

  it('accepts an empty body and grant_type=refresh_token alone (the token is the cookie)', async () => {
    const session = await login(auth, 'bob');
    const empty = await auth.request('/auth/refresh', {
      method: 'POST',
      headers: cookieHeader(session.refreshToken),
    });
    expect(empty.status).toBe(200);
    const grantOnly = await auth.postForm(
      '/auth/refresh',
      { grant_type: 'refresh_token', client_id: 'playground' },
      cookieHeader(refreshCookie(empty)!.value),
    );
    expect(grantOnly.status).toBe(200);
  });
});

describe('POST /auth/refresh, body mode', () => {
  it('rotates the refresh token in the body (form), without a cookie', async () => {
    const session = await login(auth, 'alice', 'body');
    const res = await refreshBodyMode(session.refreshToken);
    expect(res.status).toBe(200);
    expect(refreshCookie(res)).toBeUndefined();
    const body = await res.json();
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(body.refresh_token).not.toBe(session.refreshToken);
    expect((await refreshBodyMode(body.refresh_token)).status).toBe(200);
  });

  it('also accepts JSON', async () => {
    const session = await login(auth, 'carol', 'body');
    const res = await auth.postJson('/auth/refresh', {
      grant_type: 'refresh_token',
      refresh_token: session.refreshToken,
    });
    expect(res.status).toBe(200);
    expect((await res.json()).refresh_token).toEqual(expect.any(String));
  });
});

describe('reuse detection', () => {
  it.each(['cookie', 'body'] as const)(
    'a rotated token sent again revokes the whole family (%s mode)',
    async (mode) => {
      const send = mode === 'cookie' ? refreshCookieMode : refreshBodyMode;
      const session = await login(auth, 'alice', mode);
      const rotated = await send(session.refreshToken);
      const rotatedBody = await rotated.json();
      const newest = mode === 'cookie' ? refreshCookie(rotated)!.value : rotatedBody.refresh_token;

      const reuse = await send(session.refreshToken);
      expect(reuse.status).toBe(400);
      expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
      if (mode === 'cookie') expect(refreshCookie(reuse)?.attributes).toContain('Max-Age=0');

      // The newest, never-used token of the family is dead too, and so is its access token.
      const afterReuse = await send(newest);
      expect(afterReuse.status).toBe(400);
      expect((await afterReuse.json()).error).toBe('invalid_grant');
      expect((await auth.getApi('/api/me', rotatedBody.access_token)).status).toBe(401);
      const { counters, sessions } = auth.server.state.snapshot();
      expect(sessions[0]).toMatchObject({ revoked: true, rotations: 1 });
      expect(counters).toMatchObject({ refreshes: 1, reuseRejections: 1, refreshFailures: 2 });
    },
  );

  it('does not touch other sessions of the same user', async () => {
    const victim = await login(auth, 'alice', 'body');
    const other = await login(auth, 'alice', 'body');
    await refreshBodyMode(victim.refreshToken);
    await refreshBodyMode(victim.refreshToken);
    expect((await refreshBodyMode(other.refreshToken)).status).toBe(200);
    expect((await auth.getApi('/api/me', other.accessToken)).status).toBe(200);
  });
});

describe('rejected refreshes', () => {
  const expectError = async (res: Response, status: number, error: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error, error_description: expect.any(String) });
  };

  it('answers invalid_grant for an unknown, expired or revoked token', async () => {
    await expectError(await refreshBodyMode('not-a-token'), 400, 'invalid_grant');
    const expiring = await login(auth, 'alice', 'body');
    auth.advance(3600 * 1000);
    await expectError(await refreshBodyMode(expiring.refreshToken), 400, 'invalid_grant');
    const revoked = await login(auth, 'bob', 'body');
    await auth.postJson('/mock/revoke', { username: 'bob' });
    await expectError(await refreshBodyMode(revoked.refreshToken), 400, 'invalid_grant');
    expect(auth.server.state.counters).toMatchObject({ refreshFailures: 3, reuseRejections: 0 });
  });

  it('answers invalid_request without a token, or with a token but no grant_type', async () => {
    await expectError(await auth.postForm('/auth/refresh', {}), 400, 'invalid_request');
    const session = await login(auth, 'alice', 'body');
    const noGrant = await auth.postForm('/auth/refresh', { refresh_token: session.refreshToken });
    await expectError(noGrant, 400, 'invalid_request');
    expect((await refreshBodyMode(session.refreshToken)).status).toBe(200);
  });

  it('answers unsupported_grant_type for another grant', async () => {
    const session = await login(auth, 'alice', 'body');
    const res = await auth.postForm('/auth/refresh', {
      grant_type: 'password',
      refresh_token: session.refreshToken,
    });
    await expectError(res, 400, 'unsupported_grant_type');
    expect((await refreshBodyMode(session.refreshToken)).status).toBe(200);
  });
});

describe('POST /mock/fail-next-refresh', () => {
  it("'network' cuts the connection mid-answer and keeps the token usable", async () => {
    const session = await login(auth, 'alice', 'body');
    await auth.postJson('/mock/fail-next-refresh', { kind: 'network' });
    // The headers arrive, the body never completes: reading it fails like a network error.
    await expect(refreshBodyMode(session.refreshToken).then((r) => r.text())).rejects.toThrow(
      TypeError,
    );
    expect((await refreshBodyMode(session.refreshToken)).status).toBe(200);
    expect(auth.server.state.counters).toMatchObject({ refreshes: 1, refreshFailures: 1 });
  });

  it("'server' answers 500 JSON `count` times", async () => {
    const session = await login(auth, 'alice');
    const res = await auth.postJson('/mock/fail-next-refresh', { kind: 'server', count: 2 });
    expect(await res.json()).toEqual({ pendingFailures: [{ kind: 'server', remaining: 2 }] });
    for (let i = 0; i < 2; i++) {
      const failed = await refreshCookieMode(session.refreshToken);
      expect(failed.status).toBe(500);
      expect((await failed.json()).error).toBe('server_error');
    }
    expect((await refreshCookieMode(session.refreshToken)).status).toBe(200);
  });

  it("'invalid_grant' answers 400 invalid_grant; failures queue in order", async () => {
    const session = await login(auth, 'alice', 'body');
    await auth.postJson('/mock/fail-next-refresh', { kind: 'invalid_grant' });
    await auth.postJson('/mock/fail-next-refresh', { kind: 'server' });
    const first = await refreshBodyMode(session.refreshToken);
    expect(first.status).toBe(400);
    expect((await first.json()).error).toBe('invalid_grant');
    expect((await refreshBodyMode(session.refreshToken)).status).toBe(500);
    expect((await refreshBodyMode(session.refreshToken)).status).toBe(200);
    expect(auth.server.state.counters).toMatchObject({ refreshFailures: 2, refreshes: 1 });
  });
});
