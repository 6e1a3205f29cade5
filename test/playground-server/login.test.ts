// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../playground/server/index';
import { decodeJwtClaims, parseTokenResponse } from '../../src/index';
import {
  jwtPart,
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

describe('POST /auth/login', () => {
  it('answers an RFC 6749 §5.1 response with a signed HS256 JWT', async () => {
    const res = await auth.postJson('/auth/login', { username: 'alice', password: 'anything' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 300,
      refresh_expires_in: 3600,
    });
    expect(jwtPart(body.access_token, 0)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = jwtPart(body.access_token, 1);
    expect(claims).toMatchObject({ sub: 'alice', name: DEMO_USERS.alice!.name });
    expect(claims.iat).toBe(START_MS / 1000);
    expect(claims.exp).toBe(START_MS / 1000 + 300);
    expect(claims.jti).toEqual(expect.any(String));
    expect(body.access_token.split('.')[2]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await auth.getApi('/api/me', body.access_token);
    expect(await me.json()).toEqual(DEMO_USERS.alice);
  });

  it('sets the refresh token as an httpOnly, SameSite=Strict cookie on /auth by default', async () => {
    const res = await auth.postJson('/auth/login', { username: 'bob' });
    const cookie = refreshCookie(res);
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(cookie?.attributes.split('; ').sort()).toEqual(
      ['HttpOnly', 'Max-Age=3600', 'Path=/auth', 'SameSite=Strict'].sort(),
    );
    expect(await res.json()).not.toHaveProperty('refresh_token');
  });

  it('answers the refresh token in the body in body mode (body or query), without a cookie', async () => {
    const inBody = await auth.postJson('/auth/login', { username: 'carol', mode: 'body' });
    expect(refreshCookie(inBody)).toBeUndefined();
    expect((await inBody.json()).refresh_token).toEqual(expect.any(String));
    const inQuery = await auth.postJson('/auth/login?mode=body', { username: 'carol' });
    expect(refreshCookie(inQuery)).toBeUndefined();
    expect((await inQuery.json()).refresh_token).toEqual(expect.any(String));
  });

  it('accepts a form-encoded login', async () => {
    const res = await auth.postForm('/auth/login', { username: 'alice', mode: 'body' });
    expect(res.status).toBe(200);
    expect((await res.json()).refresh_token).toEqual(expect.any(String));
  });

  it('gives every login its own tokens and counts it', async () => {
    const a = await (await auth.postJson('/auth/login', { username: 'alice' })).json();
    const b = await (await auth.postJson('/auth/login', { username: 'alice' })).json();
    expect(a.access_token).not.toBe(b.access_token);
    expect(jwtPart(a.access_token, 1).jti).not.toBe(jwtPart(b.access_token, 1).jti);
    expect(auth.server.state.counters.logins).toBe(2);
    expect(auth.server.state.snapshot().sessions.map((s) => s.username)).toEqual([
      'alice',
      'alice',
    ]);
  });

  it('answers 401 JSON for an unknown user (own keys only: no "constructor")', async () => {
    for (const username of ['mallory', 'constructor', '__proto__', 'Alice']) {
      const res = await auth.postJson('/auth/login', { username });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: 'invalid_credentials',
        error_description: 'Unknown user',
      });
    }
    expect(auth.server.state.counters.logins).toBe(0);
  });

  it("is understood by sessionkeeper's own parser in both modes", async () => {
    const cookieMode = await (await auth.postJson('/auth/login', { username: 'alice' })).json();
    expect(parseTokenResponse(cookieMode)).toMatchObject({
      accessToken: cookieMode.access_token,
      expiresIn: 300,
      refreshExpiresIn: 3600,
    });
    expect(parseTokenResponse(cookieMode).refreshToken).toBeUndefined();
    expect(decodeJwtClaims(cookieMode.access_token)?.sub).toBe('alice');
    const bodyMode = await (
      await auth.postJson('/auth/login', { username: 'bob', mode: 'body' })
    ).json();
    expect(parseTokenResponse(bodyMode).refreshToken).toBe(bodyMode.refresh_token);
  });

  it('uses the configured access-token lifetime', async () => {
    await auth.postJson('/mock/config', { accessTtlSeconds: 1, refreshTtlSeconds: 5 });
    const body = await (await auth.postJson('/auth/login', { username: 'alice' })).json();
    expect(body.expires_in).toBe(1);
    expect(body.refresh_expires_in).toBe(5);
    const claims = jwtPart(body.access_token, 1);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(1);
  });
});
