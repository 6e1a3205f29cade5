import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefreshError } from '../../src/index';
import { jwt } from '../helpers/server';
import { flush, ORIGIN, setupSession, useFakeClock } from '../helpers/session';
import { MemoryStorage } from '../helpers/storage';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

type Sent = { url: string; init: RequestInit };

/** A fetch that records what it was given and answers with a token response. */
function recordingFetch(answer: () => Response) {
  const sent: Sent[] = [];
  const fetch = vi.fn(async (url: RequestInfo | URL, init: RequestInit = {}) => {
    sent.push({ url: String(url), init });
    return answer();
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, sent };
}

describe('the refresh endpoint (RFC 6749 §6)', () => {
  it('sends the refresh token form-encoded, with client_id, params and headers, same-origin', async () => {
    const { session, server } = setupSession({
      refresh: {
        url: `${ORIGIN}/token`,
        clientId: 'spa',
        params: { scope: 'openid' },
        headers: { 'X-CSRF': 't' },
      },
    });
    await session.login(server.login('alice'));
    await session.refresh();
    const [sent] = server.refreshRequests;
    expect(Object.fromEntries(new URLSearchParams(sent?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: expect.stringMatching(/^rt-alice-/),
      client_id: 'spa',
      scope: 'openid',
    });
  });

  it('in cookie mode (no refresh token held) sends no token and credentials: include', async () => {
    const { fetch, sent } = recordingFetch(() =>
      Response.json({ access_token: 'a', expires_in: 600 }),
    );
    const { session } = setupSession({
      refresh: { url: `${ORIGIN}/auth/refresh`, headers: { 'X-CSRF': 't' } },
      userId: () => 'alice',
      env: { fetch },
    });
    await session.login({ access_token: 'first', expires_in: 600 });
    await session.refresh();
    expect(sent[0]?.init).toMatchObject({
      method: 'POST',
      credentials: 'include',
      cache: 'no-store',
    });
    expect(sent[0]?.init.body).toBeUndefined();
    expect(sent[0]?.init.headers).toMatchObject({ Accept: 'application/json', 'X-CSRF': 't' });
  });

  it('with a refresh token held uses credentials: same-origin unless told otherwise', async () => {
    const { fetch, sent } = recordingFetch(() =>
      Response.json({ access_token: 'b', expires_in: 600, refresh_token: 'r2' }),
    );
    const { session } = setupSession({
      refresh: `${ORIGIN}/token`,
      userId: () => 'alice',
      env: { fetch },
    });
    await session.login({ access_token: 'a', expires_in: 600, refresh_token: 'r1' });
    await session.refresh();
    expect(sent[0]?.init.credentials).toBe('same-origin');
    expect(String(sent[0]?.init.body)).toBe('grant_type=refresh_token&refresh_token=r1');
  });
});

describe('a refresh function', () => {
  it('gets the refresh token and a signal, and its result is parsed', async () => {
    const refresh = vi.fn(async () => ({ access_token: 'next', expires_in: 600 }));
    const { session } = setupSession({ refresh, userId: () => 'alice' });
    await session.login({ access_token: 'a', expires_in: 600, refresh_token: 'r1' });
    await session.refresh();
    // The token set it renews: its refresh token, and what an OIDC refresh checks a new ID token by.
    expect(refresh).toHaveBeenCalledWith({
      refreshToken: 'r1',
      idToken: undefined,
      userId: 'alice',
      signal: expect.any(AbortSignal),
    });
    expect(await session.getAccessToken()).toBe('next');
  });

  it.each([
    [
      'an error with response.status 401 (ky HTTPError)',
      Object.assign(new Error('x'), { response: { status: 401 } }),
      'rejected',
      false,
    ],
    [
      'an error with response.status 503',
      Object.assign(new Error('x'), { response: { status: 503 } }),
      'server',
      true,
    ],
    [
      'a 403 with an OAuth error body (ky HTTPError data)',
      Object.assign(new Error('x'), {
        response: { status: 403 },
        data: { error: 'unauthorized_client' },
      }),
      'rejected',
      false,
    ],
    [
      'a 403 HTML page from a proxy (ky HTTPError data)',
      Object.assign(new Error('x'), { response: { status: 403 }, data: '<html>Forbidden</html>' }),
      'server',
      true,
    ],
    ['a RefreshError it built', new RefreshError('server', { status: 502 }), 'server', true],
    ['anything else', new TypeError('Failed to fetch'), 'network', true],
  ])('that throws %s fails as %s', async (_, thrown, kind, willRetry) => {
    const { session, ofType } = setupSession({
      refresh: async () => {
        throw thrown;
      },
      userId: () => 'alice',
    });
    await session.login({ access_token: 'a', expires_in: 600 });
    await expect(session.refresh()).rejects.toMatchObject({ kind });
    expect(ofType('refresh-failed')).toEqual([
      { error: expect.objectContaining({ kind }), attempt: 1, willRetry },
    ]);
  });
});

describe('the logout endpoint (RFC 7009)', () => {
  it('revokes the refresh token best-effort after the local logout', async () => {
    const { session, server } = setupSession({ logout: `${ORIGIN}/logout` });
    await session.login(server.login('alice'));
    await session.logout();
    const revoke = server.requests.find((r) => r.url.endsWith('/logout'));
    expect(Object.fromEntries(new URLSearchParams(revoke?.body))).toEqual({
      token: expect.stringMatching(/^rt-alice-/),
      token_type_hint: 'refresh_token',
    });
  });

  it('a failing logout call is an error event; the local logout still happened', async () => {
    const { fetch } = recordingFetch(() => new Response('nope', { status: 500 }));
    const { session, ofType } = setupSession({
      logout: `${ORIGIN}/logout`,
      userId: () => 'alice',
      env: { fetch },
    });
    await session.login({ access_token: 'a', expires_in: 600 });
    await session.logout();
    expect(session.getSnapshot().status).toBe('anonymous');
    expect(ofType('error')).toEqual([
      { error: expect.objectContaining({ code: 'LOGOUT_FAILED' }), source: 'logout' },
    ]);
  });

  it('a logout function is awaited; its failure is reported the same way', async () => {
    const { session, ofType } = setupSession({
      logout: async () => {
        throw new Error('offline');
      },
      userId: () => 'alice',
    });
    await session.login({ access_token: 'a', expires_in: 600 });
    await session.logout();
    expect(session.getSnapshot().status).toBe('anonymous');
    expect(ofType('error')).toMatchObject([{ error: { code: 'LOGOUT_FAILED' }, source: 'logout' }]);
  });

  it('a logout function is given the tokens the logout cleared (to revoke them), and only those', async () => {
    const logout = vi.fn(async () => {});
    const { session } = setupSession({ logout });
    const idToken = jwt({ sub: 'alice' });
    await session.login({
      access_token: 'a',
      expires_in: 600,
      refresh_token: 'r1',
      id_token: idToken,
    });
    expect(session.getIdToken()).toBe(idToken);
    await session.logout();
    expect(logout).toHaveBeenCalledWith({ accessToken: 'a', refreshToken: 'r1', idToken });
    expect(session.getIdToken()).toBeNull();
    await session.logout(); // nothing held any more
    expect(logout).toHaveBeenLastCalledWith(null);
  });
});

describe('revokeAccessToken on the logout endpoint (RFC 7009, token_type_hint=access_token)', () => {
  const logoutBodies = (server: { requests: { url: string; body: string }[] }) =>
    server.requests
      .filter((r) => r.url.endsWith('/logout'))
      .map((r) => Object.fromEntries(new URLSearchParams(r.body)));

  it('revokes the access token too, with the same client_id and headers', async () => {
    const { session, server } = setupSession({
      logout: {
        url: `${ORIGIN}/logout`,
        clientId: 'spa',
        headers: { 'X-CSRF': 't' },
        revokeAccessToken: true,
      },
    });
    const login = server.login('alice');
    await session.login(login);
    await session.logout();
    expect(session.getSnapshot().status).toBe('anonymous');
    expect(logoutBodies(server)).toEqual([
      { token: login.refresh_token, token_type_hint: 'refresh_token', client_id: 'spa' },
      { token: login.access_token, token_type_hint: 'access_token', client_id: 'spa' },
    ]);
    const sent = server.requests.filter((r) => r.url.endsWith('/logout'));
    expect(sent.map((r) => r.headers.get('x-csrf'))).toEqual(['t', 't']);
  });

  it('is off by default: only the refresh token is revoked', async () => {
    const { session, server } = setupSession({ logout: { url: `${ORIGIN}/logout` } });
    await session.login(server.login('alice'));
    await session.logout();
    expect(logoutBodies(server).map((b) => b.token_type_hint)).toEqual(['refresh_token']);
  });

  it('both calls are sent best-effort (keepalive, same credentials)', async () => {
    const { fetch, sent } = recordingFetch(() => Response.json({}));
    const { session } = setupSession({
      logout: { url: `${ORIGIN}/logout`, revokeAccessToken: true, credentials: 'include' },
      userId: () => 'alice',
      env: { fetch },
    });
    await session.login({ access_token: 'a1', expires_in: 600, refresh_token: 'r1' });
    await session.logout();
    expect(sent.map((s) => String(s.init.body))).toEqual([
      'token=r1&token_type_hint=refresh_token',
      'token=a1&token_type_hint=access_token',
    ]);
    for (const { init } of sent) {
      expect(init).toMatchObject({ method: 'POST', keepalive: true, credentials: 'include' });
    }
  });

  it('in cookie mode (no refresh token held) the access token is still revoked', async () => {
    const { fetch, sent } = recordingFetch(() => Response.json({}));
    const { session } = setupSession({
      logout: { url: `${ORIGIN}/logout`, revokeAccessToken: true },
      userId: () => 'alice',
      env: { fetch },
    });
    await session.login({ access_token: 'a1', expires_in: 600 });
    await session.logout();
    expect(sent.map((s) => [String(s.init.body), s.init.credentials])).toEqual([
      ['', 'include'],
      ['token=a1&token_type_hint=access_token', 'same-origin'],
    ]);
  });

  it('one LOGOUT_FAILED error event per failed call; the local logout always happens', async () => {
    const { session, server, ofType } = setupSession({
      logout: { url: `${ORIGIN}/logout`, revokeAccessToken: true },
    });
    await session.login(server.login('alice'));
    // The server does not revoke access tokens (RFC 7009 §2.2.1).
    server.failLogoutNext(
      { status: 200 },
      { status: 400, body: { error: 'unsupported_token_type' } },
    );
    await session.logout();
    expect(session.getSnapshot().status).toBe('anonymous');
    expect(ofType('error')).toMatchObject([{ error: { code: 'LOGOUT_FAILED' }, source: 'logout' }]);

    await session.login(server.login('alice'));
    server.failLogoutNext({ status: 503 }, { status: 503 });
    await session.logout();
    expect(ofType('error')).toHaveLength(3);
    expect(session.getSnapshot().status).toBe('anonymous');
  });
});

describe('restore: false', () => {
  it('ignores stored tokens at start', async () => {
    const localStorage = new MemoryStorage();
    const first = setupSession({ storage: 'local', env: { localStorage } });
    await first.session.login(first.server.login('alice'));
    first.session.destroy();
    const again = setupSession({ storage: 'local', restore: false, env: { localStorage } });
    await flush();
    expect(again.session.getSnapshot().status).toBe('anonymous');
  });
});
