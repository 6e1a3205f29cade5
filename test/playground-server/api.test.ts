// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../playground/server/index';
import { jwtPart, login, START_MS, startTestAuth, type TestAuth } from '../helpers/mock-auth';

let auth: TestAuth;
beforeEach(async () => {
  auth = await startTestAuth();
});
afterEach(() => auth.close());

async function expectUnauthorized(res: Response, withErrorCode = true) {
  expect(res.status).toBe(401);
  const challenge = res.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer realm="sessionkeeper-playground"/);
  expect(challenge.includes('error="invalid_token"')).toBe(withErrorCode);
  expect(await res.json()).toEqual({
    error: 'invalid_token',
    error_description: expect.any(String),
  });
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('protected /api routes', () => {
  it('serves a valid token: /api/me, /api/data', async () => {
    const { accessToken } = await login(auth, 'bob');
    const me = await auth.getApi('/api/me', accessToken);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual(DEMO_USERS.bob);
    const data = await auth.getApi('/api/data', accessToken);
    const body = await data.json();
    expect(body).toMatchObject({ sub: 'bob', servedAt: START_MS });
    expect(body.items).toHaveLength(3);
  });

  it('rejects an expired token (injected clock), at exp exactly', async () => {
    await auth.postJson('/mock/config', { accessTtlSeconds: 1 });
    const { accessToken } = await login(auth, 'alice');
    auth.advance(999);
    expect((await auth.getApi('/api/me', accessToken)).status).toBe(200);
    auth.advance(1);
    const res = await auth.getApi('/api/me', accessToken);
    await expectUnauthorized(res.clone());
    expect((await res.json()).error_description).toMatch(/expired/);
  });

  it('rejects tokens of a revoked user, and only that user', async () => {
    const alice = await login(auth, 'alice');
    const alice2 = await login(auth, 'alice', 'body');
    const bob = await login(auth, 'bob');
    const revoke = await auth.postJson('/mock/revoke', { username: 'alice' });
    expect(await revoke.json()).toEqual({ revoked: 2 });
    await expectUnauthorized(await auth.getApi('/api/me', alice.accessToken));
    await expectUnauthorized(await auth.getApi('/api/me', alice2.accessToken));
    expect((await auth.getApi('/api/me', bob.accessToken)).status).toBe(200);
  });

  it('rejects a missing header without an error code (RFC 6750 §3.1)', async () => {
    await expectUnauthorized(await auth.request('/api/me'), false);
  });

  it('rejects malformed, tampered, unsigned and foreign tokens', async () => {
    const { accessToken } = await login(auth, 'alice');
    const [header, , signature] = accessToken.split('.');
    const claims = { ...jwtPart(accessToken, 1), sub: 'bob' };
    const tampered = `${header}.${b64(claims)}.${signature}`;
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const other = await startTestAuth();
    const foreign = (await login(other, 'alice')).accessToken;
    await other.close();
    for (const token of ['garbage', tampered, unsigned, foreign, `${accessToken}x`]) {
      await expectUnauthorized(await auth.getApi('/api/me', token));
    }
    const basic = await auth.request('/api/me', {
      headers: { authorization: `Basic ${accessToken}` },
    });
    await expectUnauthorized(basic);
  });

  it('rejects every token after /mock/reset', async () => {
    const { accessToken } = await login(auth, 'alice');
    await auth.postJson('/mock/reset');
    await expectUnauthorized(await auth.getApi('/api/me', accessToken));
  });

  it('counts requests and 401s', async () => {
    const { accessToken } = await login(auth, 'alice');
    await auth.getApi('/api/me', accessToken);
    await auth.getApi('/api/data', accessToken);
    await auth.request('/api/me');
    await auth.getApi('/api/me', 'bad');
    expect(auth.server.state.counters).toMatchObject({ requests: 4, unauthorized: 2 });
  });
});

describe('POST /api/echo', () => {
  it('echoes the body bytes, content type, length and sub', async () => {
    const { accessToken } = await login(auth, 'carol');
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const res = await auth.request('/api/echo', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/octet-stream',
      },
      body: bytes,
    });
    const body = await res.json();
    expect(body).toMatchObject({
      sub: 'carol',
      contentType: 'application/octet-stream',
      length: 5,
    });
    expect([...Buffer.from(body.base64, 'base64')]).toEqual([...bytes]);

    const text = await auth.request('/api/echo', {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'text/plain' },
      body: 'héllo',
    });
    expect(await text.json()).toMatchObject({
      body: 'héllo',
      length: 6,
      contentType: 'text/plain',
    });
  });

  it('answers 401 before reading the body of an unauthorized request', async () => {
    await expectUnauthorized(await auth.postJson('/api/echo', { a: 1 }), false);
  });
});

describe('GET /api/slow and latency', () => {
  it('answers after the requested delay', async () => {
    const { accessToken } = await login(auth, 'alice');
    const res = await auth.getApi('/api/slow?ms=5', accessToken);
    expect(await res.json()).toEqual({ sub: 'alice', waitedMs: 5 });
  });

  it('rejects a bad ms with 400 JSON', async () => {
    const { accessToken } = await login(auth, 'alice');
    for (const query of ['', '?ms=', '?ms=-1', '?ms=abc', '?ms=1.5', '?ms=60001', '?ms=999999']) {
      const res = await auth.getApi(`/api/slow${query}`, accessToken);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe('invalid_request');
    }
  });

  it('holds /auth and /api answers for latencyMs, but not /mock', async () => {
    const { accessToken } = await login(auth, 'alice');
    await auth.postJson('/mock/config', { latencyMs: 30_000 });
    const controller = new AbortController();
    const signal = controller.signal;
    const held = [
      auth.request('/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username":"bob"}',
        signal,
      }),
      auth.request('/api/me', { headers: { authorization: `Bearer ${accessToken}` }, signal }),
    ];
    const state = await (await auth.request('/mock/state')).json();
    expect(state.config.latencyMs).toBe(30_000);
    controller.abort();
    await Promise.allSettled(held);
    expect(auth.server.state.counters).toMatchObject({ logins: 1, requests: 0 });
  });

  it('answers once a small latency has passed', async () => {
    await auth.postJson('/mock/config', { latencyMs: 5 });
    const { accessToken } = await login(auth, 'alice');
    expect((await auth.getApi('/api/me', accessToken)).status).toBe(200);
  });

  it('stops a pending delay when the client aborts', async () => {
    const { accessToken } = await login(auth, 'alice');
    const controller = new AbortController();
    const pending = auth.request('/api/slow?ms=60000', {
      headers: { authorization: `Bearer ${accessToken}` },
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect((await auth.getApi('/api/me', accessToken)).status).toBe(200);
  });
});
