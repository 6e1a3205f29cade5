import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTH_MODES, setupModeSession } from '../helpers/auth-modes';
import type { DpopServer } from '../helpers/dpop-server';
import { settle } from '../helpers/http';
import { ORIGIN, useFakeClock } from '../helpers/session';
import { installSyncCrypto } from '../helpers/sync-crypto';

installSyncCrypto();
beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const API = `${ORIGIN}/api`;
const OTHER_API = 'https://api.other.test/api';

function setup() {
  const created = setupModeSession(AUTH_MODES[1], {
    http: { prefix: API },
    authorizedOrigins: [ORIGIN, 'https://api.other.test'],
  });
  const front = created.dpopServer as DpopServer;
  /** What the server decided for each request to `path`, with the nonce of its proof. */
  const verdicts = (path: string) =>
    front.judged.filter((j) => j.path === path).map((j) => [j.verdict, j.proof?.claims.nonce]);
  return { ...created, front, verdicts };
}

describe('DPoP nonces', () => {
  it('the code exchange (dpop.fetch) answers the token endpoint’s use_dpop_nonce once, with the nonce', async () => {
    const { front, signIn, verdicts } = setup();
    front.requireNonce('token', 'n-1');
    await signIn();
    expect(verdicts('/token')).toEqual([
      ['nonce required', undefined],
      ['ok', 'n-1'],
    ]);
  });

  it('a refresh asked for a nonce is sent once more with it: no failure, and the next refresh carries it at once', async () => {
    const { session, front, server, signIn, verdicts, ofType } = setup();
    await signIn();
    front.requireNonce('token', 't-1');
    await session.refresh();
    await session.refresh();
    expect(verdicts('/token').slice(1)).toEqual([
      ['nonce required', undefined],
      ['ok', 't-1'],
      ['ok', 't-1'],
    ]);
    expect(server.counts.refreshOk).toBe(2);
    expect(ofType('refresh-failed')).toEqual([]);
  });

  it('a resource server’s 401 use_dpop_nonce is answered by one retry with the nonce: not the 401 replay (no refresh)', async () => {
    const { session, front, server, signIn, verdicts } = setup();
    const login = await signIn();
    front.requireNonce('api', 'a-1');
    expect(await session.http.get('me').json()).toMatchObject({ user: 'alice' });
    await session.http.get('me').json();
    expect(verdicts('/api/me')).toEqual([
      ['nonce required', undefined],
      ['ok', 'a-1'],
      ['ok', 'a-1'],
    ]);
    expect(server.refreshRequests).toEqual([]);
    expect(await session.getAccessToken()).toBe(login.access_token);
  });

  it('the nonce is kept per origin', async () => {
    const { session, front, signIn, verdicts } = setup();
    await signIn();
    front.requireNonce('api', 'a-1');
    await session.http.get('me').json();
    await session.fetch(`${OTHER_API}/other`);
    // The other origin had given no nonce yet: its first proof has none.
    expect(verdicts('/api/other')).toEqual([
      ['nonce required', undefined],
      ['ok', 'a-1'],
    ]);
  });

  it('every DPoP-Nonce answered replaces the origin’s nonce, also on a success', async () => {
    const { session, front, signIn, verdicts } = setup();
    await signIn();
    front.announceNonce('api', 'fresh-1');
    await session.http.get('me').json();
    front.announceNonce('api', 'fresh-2');
    await session.http.get('me').json();
    await session.http.get('me').json();
    expect(verdicts('/api/me').map(([, nonce]) => nonce)).toEqual([
      undefined,
      'fresh-1',
      'fresh-2',
    ]);
  });

  it('a server that keeps asking: its second answer is the app’s, and the session goes on (no refresh, no expiry)', async () => {
    const { session, front, server, signIn, ofType } = setup();
    await signIn();
    front.requireNonce('api', 'always-new');
    const response = await session.fetch(`${API}/me`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('use_dpop_nonce');
    expect(front.judged.filter((j) => j.path === '/api/me')).toHaveLength(2);
    expect(server.refreshRequests).toEqual([]);
    expect(session.getSnapshot().status).toBe('authenticated');
    expect(ofType('expired')).toEqual([]);
    // The same with a custom isUnauthorized: the challenge is never a refused token.
    front.requireNonce('api', null);
    expect((await session.fetch(`${API}/me`)).status).toBe(200);
  });

  it('a refresh asked for a nonce again after its retry fails transiently (retried later): the session goes on', async () => {
    const { session, front, signIn, ofType } = setup();
    await signIn();
    front.requireNonce('token', 'always-new');
    await expect(session.refresh()).rejects.toMatchObject({ code: 'REFRESH_SERVER' });
    expect(ofType('refresh-failed')).toMatchObject([{ willRetry: true }]);
    expect(session.getSnapshot().status).toBe('authenticated');
    front.requireNonce('token', null);
    await vi.advanceTimersByTimeAsync(1_000); // the first backoff
    await settle();
    expect(ofType('refresh')).toHaveLength(1);
  });
});
