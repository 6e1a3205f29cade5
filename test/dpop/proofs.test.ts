import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTH_MODES, setupModeSession } from '../helpers/auth-modes';
import type { DpopServer } from '../helpers/dpop-server';
import { settle } from '../helpers/http';
import { ORIGIN, T0, useFakeClock } from '../helpers/session';
import { installSyncCrypto } from '../helpers/sync-crypto';
import { storedKey } from './key-records';

installSyncCrypto();
beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;
const DPOP = AUTH_MODES[1];
const ath = (token: string) => createHash('sha256').update(token).digest('base64url');

async function signedIn(options: Parameters<typeof setupModeSession>[1] = {}) {
  const setup = setupModeSession(DPOP, { http: { prefix: API }, ...options });
  const login = await setup.signIn('alice');
  return { ...setup, front: setup.dpopServer as DpopServer, login };
}

describe('DPoP proofs on what the session sends', () => {
  it('a GET carries Authorization: DPoP and a proof of htm, htu (no query or fragment), iat, jti and ath', async () => {
    const { session, front, login } = await signedIn();
    expect(login.token_type).toBe('DPoP');
    const body = await session.http.get('me?page=2#top').json();
    expect(body).toMatchObject({ user: 'alice', path: '/api/me' });
    const [, request] = front.judged; // [0] is the code exchange
    expect(request).toMatchObject({ path: '/api/me', scheme: 'DPoP', verdict: 'ok' });
    expect(request?.proof?.header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(request?.proof?.header.jwk).not.toHaveProperty('d'); // the public key only
    expect(request?.proof?.claims).toMatchObject({
      htm: 'GET',
      htu: `${API}/me`,
      iat: Math.floor(T0 / 1000),
      ath: ath(login.access_token),
    });
  });

  it('every request and every attempt gets its own proof (a new jti), with the method as sent', async () => {
    const { session, front, server } = await signedIn();
    await session.http.post('orders', { json: { n: 1 } });
    await session.fetch(`${API}/orders/1`, { method: 'PATCH', body: 'x' });
    await session.fetch(`${API}/orders/2`, { method: 'put' }); // fetch sends it as PUT
    await session.fetch(new Request(`${API}/orders/1`, { method: 'DELETE' }));
    const api = front.judged.filter((j) => j.path.startsWith('/api'));
    expect(api.map((j) => [j.proof?.claims.htm, j.verdict])).toEqual([
      ['POST', 'ok'],
      ['PATCH', 'ok'],
      ['PUT', 'ok'],
      ['DELETE', 'ok'],
    ]);
    const jtis = front.judged.map((j) => j.proof?.claims.jti);
    expect(new Set(jtis).size).toBe(jtis.length);
    expect(server.apiRequests.map((r) => r.body)).toEqual(['{"n":1}', 'x', '', '']);
  });

  it('the refresh POST carries a proof (no ath) with the same key; the new tokens are bound to it', async () => {
    const { session, front, login } = await signedIn();
    await session.refresh();
    const refresh = front.judged.find((j) => j.path === '/token' && j !== front.judged[0]);
    expect(refresh).toMatchObject({ method: 'POST', scheme: null, verdict: 'ok' });
    expect(refresh?.proof?.claims).toMatchObject({ htm: 'POST', htu: `${ORIGIN}/token` });
    expect(refresh?.proof?.claims.ath).toBeUndefined();
    const fresh = await session.getAccessToken();
    expect(fresh).not.toBe(login.access_token);
    expect(front.boundTo(fresh)).toBe(front.boundTo(login.access_token));
    expect(refresh?.proof?.header.jwk).toEqual(front.judged[0]?.proof?.header.jwk);
  });

  it('a refresh endpoint given as a path is signed for its absolute URL', async () => {
    const { session, front } = await signedIn({ refresh: { url: '/token' } });
    await session.refresh();
    expect(front.judged.at(-1)).toMatchObject({ path: '/token', verdict: 'ok' });
    expect(front.judged.at(-1)?.proof?.claims.htu).toBe(`${ORIGIN}/token`);
  });

  it('the replay after a 401 has a new proof, for the new token', async () => {
    const { session, server, front, login } = await signedIn();
    server.invalidateAccess();
    await session.http.get('me').json();
    const fresh = await session.getAccessToken();
    const api = front.judged.filter((j) => j.path === '/api/me');
    expect(api.map((j) => j.proof?.claims.ath)).toEqual([ath(login.access_token), ath(fresh)]);
    expect(api[0]?.proof?.claims.jti).not.toBe(api[1]?.proof?.claims.jti);
    expect(server.refreshRequests).toHaveLength(1);
  });

  it('skipAuth requests, other origins and requests while signed out get no proof and no token', async () => {
    const { session, front, server } = await signedIn();
    const judgedBefore = front.judged.length;
    await session.fetch(`${API}/public`, { skipAuth: true });
    await session.http.get('public', { context: { skipAuth: true }, throwHttpErrors: false });
    await session.fetch('https://cdn.test/lib.js');
    await session.logout();
    await session.fetch(`${API}/after`);
    const unsigned = server.requests.slice(-4);
    expect(unsigned.map((r) => new URL(r.url).pathname)).toEqual([
      '/api/public',
      '/api/public',
      '/lib.js',
      '/api/after',
    ]);
    expect(unsigned.map((r) => [r.authorization, r.headers.get('dpop')])).toEqual(
      Array(4).fill([null, null]),
    );
    expect(front.judged.length).toBe(judgedBefore);
  });

  it('a proof that cannot be made: the request rejects with DPOP_SIGN_FAILED, a refresh fails as rejected', async () => {
    const { session, ofType } = await signedIn();
    vi.spyOn(crypto.subtle, 'sign').mockRejectedValue(new DOMException('gone', 'OperationError'));
    await expect(session.fetch(`${API}/me`)).rejects.toMatchObject({ code: 'DPOP_SIGN_FAILED' });
    await expect(session.refresh()).rejects.toMatchObject({ code: 'REFRESH_REJECTED' });
    await settle();
    expect(ofType('error')).toMatchObject([
      { source: 'dpop', error: { code: 'DPOP_SIGN_FAILED' } },
    ]);
    expect(session.getSnapshot().status).toBe('expired');
  });

  it('logout revokes the refresh token with a proof of the session key, then deletes the key', async () => {
    const { session, front, server, indexedDB, login } = await signedIn({
      logout: `${ORIGIN}/logout`,
    });
    const stored = await storedKey(indexedDB!);
    expect(stored).toMatchObject({ jkt: front.boundTo(login.access_token), bound: true });
    await session.logout();
    await settle();
    const revoke = front.judged.find((j) => j.path === '/logout');
    expect(revoke).toMatchObject({ method: 'POST', verdict: 'ok' });
    expect(revoke?.proof?.header.jwk).toEqual(front.judged[0]?.proof?.header.jwk);
    expect(server.requests.find((r) => r.url.endsWith('/logout'))?.body).toContain(
      `token=${login.refresh_token}`,
    );
    expect(await storedKey(indexedDB!)).toBeNull();
  });
});
