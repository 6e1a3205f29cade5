// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_HINT_COOKIE } from '../../playground/server/index';
import {
  cookieHeader,
  login,
  refreshCookie,
  startTestAuth,
  type TestAuth,
} from '../helpers/mock-auth';

let auth: TestAuth;
beforeEach(async () => {
  auth = await startTestAuth();
});
afterEach(() => auth.close());

/** The session hint cookie a response sets, as its `Set-Cookie` value. */
const hint = (res: Response) =>
  res.headers.getSetCookie().find((cookie) => cookie.startsWith(`${SESSION_HINT_COOKIE}=`));

describe('the session hint cookie (readable by the page, no secret in it)', () => {
  it('is set with the refresh cookie at login and at each rotation, for the whole site', async () => {
    const res = await auth.postJson('/auth/login', { username: 'alice' });
    expect(hint(res)).toBe(`${SESSION_HINT_COOKIE}=1; Path=/; Max-Age=3600; SameSite=Strict`);
    const token = refreshCookie(res)!.value;
    const refreshed = await auth.postForm('/auth/refresh', {}, cookieHeader(token));
    expect(refreshed.status).toBe(200);
    expect(hint(refreshed)).toMatch(/^sk_session=1; Path=\/; Max-Age=3600;/);
  });

  it('is cleared with the refresh cookie on logout and on a rejected cookie', async () => {
    const session = await login(auth, 'alice');
    const loggedOut = await auth.postForm('/auth/logout', {}, cookieHeader(session.refreshToken));
    expect(hint(loggedOut)).toMatch(/^sk_session=; Path=\/; Max-Age=0;/);
    const rejected = await auth.postForm('/auth/refresh', {}, cookieHeader(session.refreshToken));
    expect(rejected.status).toBe(400);
    expect(hint(rejected)).toMatch(/^sk_session=; Path=\/; Max-Age=0;/);
  });

  it('is never set in body mode, where the page holds the refresh token itself', async () => {
    const res = await auth.postJson('/auth/login', { username: 'alice', mode: 'body' });
    expect(hint(res)).toBeUndefined();
  });
});

describe('a refresh request with no token at all (a start-up probe, nobody signed in)', () => {
  it('is a 400 invalid_request counted as "no session", not as a failed refresh', async () => {
    const res = await auth.postForm('/auth/refresh', {});
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_request');
    expect(auth.server.state.counters).toMatchObject({ noSession: 1, refreshFailures: 0 });
  });

  it('leaves an injected failure for the next refresh that carries a token', async () => {
    const session = await login(auth, 'alice');
    await auth.postJson('/mock/fail-next-refresh', { kind: 'server' });
    expect((await auth.postForm('/auth/refresh', {})).status).toBe(400);
    const broken = await auth.postForm('/auth/refresh', {}, cookieHeader(session.refreshToken));
    expect(broken.status).toBe(500);
    expect(auth.server.state.counters).toMatchObject({ noSession: 1, refreshFailures: 1 });
  });
});
