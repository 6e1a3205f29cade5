// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../playground/server/index';
import { cookieHeader, login, startTestAuth, type TestAuth } from '../helpers/mock-auth';

let auth: TestAuth;
beforeEach(async () => {
  auth = await startTestAuth();
});
afterEach(() => auth.close());

/** POST a GraphQL request, with a bearer token when given. */
const graphql = (body: unknown, token?: string) =>
  auth.postJson('/api/graphql', body, token ? { authorization: `Bearer ${token}` } : {});

const unauthenticated = (message: RegExp | string) => ({
  errors: [{ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } }],
  data: null,
});

describe('POST /api/graphql', () => {
  it('answers { me } with the fields asked for', async () => {
    const { accessToken } = await login(auth, 'bob');
    const res = await graphql({ query: '{ me { name email } }' }, accessToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      data: { me: { name: DEMO_USERS.bob!.name, email: DEMO_USERS.bob!.email } },
    });
    const named = await graphql(
      { query: 'query Me { me { id, name } }', operationName: 'Me', variables: {} },
      accessToken,
    );
    expect(await named.json()).toEqual({ data: { me: { id: 'bob', name: 'Bob Example' } } });
  });

  it('refuses a missing, expired or revoked token with 200 and UNAUTHENTICATED', async () => {
    expect(await (await graphql({ query: '{ me { id } }' })).json()).toEqual(
      unauthenticated(/required/),
    );
    await auth.postJson('/mock/config', { accessTtlSeconds: 1 });
    const { accessToken } = await login(auth, 'alice');
    auth.advance(1000);
    const expired = await graphql({ query: '{ me { id } }' }, accessToken);
    expect(expired.status).toBe(200);
    expect(await expired.json()).toEqual(unauthenticated(/expired/));
    const carol = await login(auth, 'carol');
    await auth.postJson('/mock/revoke', { username: 'carol' });
    expect(await (await graphql({ query: '{ me { id } }' }, carol.accessToken)).json()).toEqual(
      unauthenticated(/revoked/),
    );
    expect(auth.server.state.counters).toMatchObject({ requests: 3, unauthorized: 3 });
  });

  it('answers a query or a body it cannot use with 400 and a GraphQL error', async () => {
    const { accessToken } = await login(auth, 'alice');
    const cases: [unknown, string][] = [
      [{ query: '{ orders { id } }' }, 'GRAPHQL_PARSE_FAILED'],
      [{ query: 'mutation { me { id } }' }, 'GRAPHQL_PARSE_FAILED'],
      [{ query: '{ me { id password } }' }, 'GRAPHQL_VALIDATION_FAILED'],
      [{ query: '{ me { } }' }, 'GRAPHQL_VALIDATION_FAILED'],
      [{ query: '' }, 'BAD_REQUEST'],
      [{}, 'BAD_REQUEST'],
      ['{not json', 'BAD_REQUEST'],
    ];
    for (const [body, code] of cases) {
      const res = await graphql(body, accessToken);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        errors: [{ message: expect.any(String), extensions: { code } }],
      });
    }
  });
});

describe('POST /mock/invalidate-access', () => {
  it("refuses the user's access tokens so far; a refresh brings one that is accepted", async () => {
    const alice = await login(auth, 'alice');
    const bob = await login(auth, 'bob');
    const res = await auth.postJson('/mock/invalidate-access', { username: 'alice' });
    expect(await res.json()).toEqual({ invalidated: 1 });

    const refused = await auth.getApi('/api/me', alice.accessToken);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error_description).toMatch(/invalidated/);
    expect(await (await graphql({ query: '{ me { id } }' }, alice.accessToken)).json()).toEqual(
      unauthenticated(/invalidated/),
    );
    expect((await auth.getApi('/api/me', bob.accessToken)).status).toBe(200);

    // The session is still valid: its refresh token brings a token that is accepted.
    const refreshed = await auth.postForm('/auth/refresh', {}, cookieHeader(alice.refreshToken));
    expect(refreshed.status).toBe(200);
    const { access_token: fresh } = (await refreshed.json()) as { access_token: string };
    expect((await auth.getApi('/api/me', fresh)).status).toBe(200);
    expect(auth.server.state.counters).toMatchObject({ refreshes: 1, refreshFailures: 0 });
  });

  it('counts only live tokens of live sessions; an unknown user is a 400', async () => {
    await login(auth, 'alice');
    await login(auth, 'alice', 'body');
    await auth.postJson('/mock/revoke', { username: 'alice' });
    const none = await auth.postJson('/mock/invalidate-access', { username: 'alice' });
    expect(await none.json()).toEqual({ invalidated: 0 });
    await login(auth, 'alice');
    const one = await auth.postJson('/mock/invalidate-access', { username: 'alice' });
    expect(await one.json()).toEqual({ invalidated: 1 });
    const again = await auth.postJson('/mock/invalidate-access', { username: 'alice' });
    expect(await again.json()).toEqual({ invalidated: 0 });

    const unknown = await auth.postJson('/mock/invalidate-access', { username: 'mallory' });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toBe('invalid_request');
  });
});

describe('POST /api/contact', () => {
  it('takes a message without a token', async () => {
    const res = await auth.postJson('/api/contact', { email: 'a@example.test', message: 'Hi!' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: { email: 'a@example.test', length: 3 } });
    const form = await auth.postForm('/api/contact', { message: 'Hello' });
    expect(await form.json()).toEqual({ received: { email: null, length: 5 } });
    expect(auth.server.state.counters).toMatchObject({ requests: 2, unauthorized: 0 });
  });

  it('rejects an empty message and other methods', async () => {
    const empty = await auth.postJson('/api/contact', { message: '' });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toBe('invalid_request');
    expect((await auth.request('/api/contact')).status).toBe(405);
  });
});
