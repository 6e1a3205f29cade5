// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestAuth, type TestAuth } from '../helpers/mock-auth';

let auth: TestAuth;
let refreshToken: string;
beforeAll(async () => {
  auth = await startTestAuth();
  refreshToken = (await login(auth, 'alice', 'body')).refreshToken;
});
afterAll(() => auth.close());

type Case = [name: string, path: string, body: string, contentType?: string];

const json = 'application/json';
const form = 'application/x-www-form-urlencoded';

const cases: Case[] = [
  ['login: malformed JSON', '/auth/login', '{"username":', json],
  ['login: JSON array', '/auth/login', '["alice"]', json],
  ['login: JSON null', '/auth/login', 'null', json],
  ['login: no username', '/auth/login', '{}', json],
  ['login: empty username', '/auth/login', '{"username":""}', json],
  ['login: username not a string', '/auth/login', '{"username":42}', json],
  ['login: password not a string', '/auth/login', '{"username":"alice","password":1}', json],
  ['login: bad mode', '/auth/login', '{"username":"alice","mode":"header"}', json],
  ['login: text/plain', '/auth/login', 'username=alice', 'text/plain'],
  ['login: repeated form parameter', '/auth/login', 'username=alice&username=bob', form],
  ['refresh: malformed JSON', '/auth/refresh', '{', json],
  [
    'refresh: token not a string',
    '/auth/refresh',
    '{"grant_type":"refresh_token","refresh_token":7}',
    json,
  ],
  ['refresh: empty token', '/auth/refresh', 'grant_type=refresh_token&refresh_token=', form],
  ['refresh: repeated refresh_token', '/auth/refresh', 'refresh_token=a&refresh_token=b', form],
  ['logout: malformed JSON', '/auth/logout', '{"token"', json],
  ['logout: bad token_type_hint', '/auth/logout', 'token=x&token_type_hint=id_token', form],
  ['config: malformed JSON', '/mock/config', '{]', json],
  ['config: negative ttl', '/mock/config', '{"accessTtlSeconds":-1}', json],
  ['config: zero ttl', '/mock/config', '{"refreshTtlSeconds":0}', json],
  ['config: fractional ttl', '/mock/config', '{"accessTtlSeconds":1.5}', json],
  ['config: string latency', '/mock/config', '{"latencyMs":"10"}', json],
  ['config: huge latency', '/mock/config', '{"latencyMs":1e9}', json],
  ['revoke: no username', '/mock/revoke', '{}', json],
  ['revoke: unknown user', '/mock/revoke', '{"username":"mallory"}', json],
  ['revoke: username not a string', '/mock/revoke', '{"username":["alice"]}', json],
  ['fail: no kind', '/mock/fail-next-refresh', '{}', json],
  ['fail: unknown kind', '/mock/fail-next-refresh', '{"kind":"timeout"}', json],
  ['fail: zero count', '/mock/fail-next-refresh', '{"kind":"server","count":0}', json],
  ['fail: string count', '/mock/fail-next-refresh', '{"kind":"server","count":"2"}', json],
  ['reset: malformed JSON', '/mock/reset', 'not json', json],
];

describe('bad input answers 400 JSON { error, error_description }, never a crash', () => {
  it.each(cases)('%s', async (_name, path, body, contentType) => {
    const res = await auth.request(path, {
      method: 'POST',
      headers: contentType === undefined ? {} : { 'content-type': contentType },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: expect.any(String),
    });
  });

  it('names the offending field', async () => {
    const res = await auth.postJson('/mock/config', { accessTtlSeconds: 'x' });
    expect((await res.json()).error_description).toMatch(/^accessTtlSeconds: /);
  });

  it('answers 413 JSON for a body over 64 KiB', async () => {
    const res = await auth.postJson('/auth/login', { username: 'a'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('invalid_request');
  });

  it('left state untouched and keeps serving afterwards', async () => {
    expect(auth.server.state.counters.logins).toBe(1);
    expect(auth.server.state.config).toEqual({
      accessTtlSeconds: 300,
      refreshTtlSeconds: 3600,
      latencyMs: 0,
    });
    expect(auth.server.state.pendingFailures).toEqual([]);
    const res = await auth.postForm('/auth/refresh', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    expect(res.status).toBe(200);
  });
});
