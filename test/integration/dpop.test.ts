import { generateKeyPair, generateProof } from 'dpop';
import { IDBFactory } from 'fake-indexeddb';
import { createSession, type Session, type SessionOptions } from 'sessionkeeper';
import { createDpop, type Dpop } from 'sessionkeeper/dpop';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createChannelHub } from '../helpers/channel';
import { proofClaims } from '../helpers/dpop-proof';
import { createLockManager } from '../helpers/locks';
import { MemoryStorage } from '../helpers/storage';
import { authorize } from './helpers/authorize';
import {
  CLIENT_ID,
  REDIRECT_URI,
  type RunningProvider,
  startProvider,
} from './helpers/oidc-server';
import { type ResourceServer, startResourceServer } from './helpers/resource-server';
import { recordTokenTraffic } from './helpers/token-traffic';

const ACCESS_TOKEN_TTL_SECONDS = 4;

let provider: RunningProvider;
let api: ResourceServer;
const sessions: Session[] = [];

beforeEach(async () => {
  provider = await startProvider(ACCESS_TOKEN_TTL_SECONDS, { dpop: true });
  api = await startResourceServer(provider.provider);
});
afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await api.close();
  await provider.close();
});

/** The tabs of one browser, in node: a channel, Web Locks, IndexedDB and localStorage shared. */
function browser() {
  const hub = createChannelHub();
  const locks = createLockManager();
  const indexedDB = new IDBFactory();
  const localStorage = new MemoryStorage();
  const traffic = recordTokenTraffic(provider.tokenEndpoint);
  /** What the page sent to the API (an attacker on the wire, or in a log, sees the same). */
  const apiRequests: { authorization: string | null; dpop: string | null }[] = [];
  /** The proofs sent with the revocations. */
  const revocations: (string | null)[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    if (String(input).startsWith(api.origin)) {
      apiRequests.push({ authorization: headers.get('authorization'), dpop: headers.get('dpop') });
    }
    if (String(input) === provider.revocationEndpoint) revocations.push(headers.get('dpop'));
    return traffic.fetch(input, init);
  };
  const open = (
    id: string,
    options: Partial<SessionOptions> = {},
    sessionStorage = new MemoryStorage(),
  ) => {
    const dpop = createDpop();
    const session = createSession({
      refresh: { url: provider.tokenEndpoint, clientId: CLIENT_ID },
      logout: { url: provider.revocationEndpoint, clientId: CLIENT_ID },
      authorizedOrigins: [api.origin],
      dpop,
      ...options,
      env: {
        fetch,
        window: null,
        localStorage,
        sessionStorage,
        BroadcastChannel: hub.BroadcastChannel,
        locks: locks.manager(id),
        indexedDB,
      },
    });
    sessions.push(session);
    return { session, dpop };
  };
  return { open, traffic, apiRequests, revocations };
}

/** Sign in as a browser would: authorization code + PKCE, `dpop_jkt`, the exchange by `dpop.fetch`. */
async function signIn(tab: { session: Session; dpop: Dpop }) {
  const response = await authorize({
    issuer: provider.issuer,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    username: 'alice',
    params: { dpop_jkt: await tab.dpop.thumbprint() },
    exchangeFetch: tab.dpop.fetch,
  });
  await tab.session.login(response);
  return response;
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
};

const me = async (session: Session) => {
  const response = await session.fetch(`${api.origin}/api/me`);
  return { status: response.status, body: await response.json() };
};

describe('DPoP against oidc-provider (features.dPoP, dpop_bound_access_tokens)', () => {
  test('sign-in, two tabs refreshing with one key, every rotated token sent once, revoked at logout', async () => {
    const { open, traffic, revocations } = browser();
    const a = open('a');
    const b = open('b');
    const jkt = await a.dpop.thumbprint();
    const login = await signIn(a);
    expect(login.token_type).toBe('DPoP');
    await until(() => b.session.getSnapshot().status === 'authenticated');
    expect((await me(a.session)).body).toMatchObject({ sub: 'alice' });
    expect((await me(b.session)).body).toMatchObject({ sub: 'alice' });

    // Refreshes from both tabs, one at a time and together: one key, one chain of tokens.
    await a.session.refresh();
    await b.session.refresh();
    await Promise.all([a.session.refresh(), b.session.refresh(), a.session.refresh()]);
    expect((await me(b.session)).status).toBe(200);
    expect((await me(a.session)).status).toBe(200);

    const refreshes = traffic.exchanges.filter((e) => e.grantType === 'refresh_token');
    expect(refreshes.length).toBeGreaterThanOrEqual(3);
    expect(refreshes.every((e) => e.status === 200)).toBe(true);
    expect(refreshes[0]?.sent).toBe(login.refresh_token);
    for (let i = 1; i < refreshes.length; i++) {
      expect(refreshes[i]?.sent).toBe(refreshes[i - 1]?.received);
    }
    expect(provider.log.grantErrors).toEqual([]);
    expect(provider.log.revokedGrants).toBe(0);
    const current = await a.session.getAccessToken();
    expect(await b.session.getAccessToken()).toBe(current);
    expect((await provider.provider.AccessToken.find(current))?.jkt).toBe(jkt);
    expect(api.requests.every((r) => r.verdict === 'ok' && r.scheme === 'DPoP')).toBe(true);

    // Logout in the other tab: the refresh token is revoked (with a proof), the key deleted.
    const refreshToken = refreshes.at(-1)?.received ?? '';
    expect(await provider.provider.RefreshToken.find(refreshToken)).toBeDefined();
    await b.session.logout();
    expect(await provider.provider.RefreshToken.find(refreshToken)).toBeUndefined();
    expect(revocations).toHaveLength(1);
    const revocationProof = proofClaims(revocations[0] ?? '');
    expect(revocationProof).toMatchObject({ htm: 'POST', htu: provider.revocationEndpoint });
    await until(() => a.session.getSnapshot().status === 'anonymous');
    expect(await a.dpop.thumbprint()).not.toBe(jkt); // the next sign-in's key is a new one
  });

  test('nonces: the resource server’s and the token endpoint’s use_dpop_nonce are answered by one retry', async () => {
    const { open, traffic } = browser();
    const pageStorage = new MemoryStorage();
    const tab = open('a', { crossTab: false, storage: 'session' }, pageStorage);
    provider.requireDpopNonce(true);
    await signIn(tab);
    api.requireNonce(true);
    expect(await me(tab.session)).toMatchObject({ status: 200, body: { sub: 'alice' } });
    expect(api.requests.map((r) => r.verdict)).toEqual(['nonce required', 'ok']);
    expect(api.requests[1]?.nonce).toBeDefined();
    expect(await me(tab.session)).toMatchObject({ status: 200 }); // the nonce is kept
    expect(api.requests).toHaveLength(3);
    // The provider sends a DPoP-Nonce with every answer: the refresh carries it at once.
    await tab.session.refresh();

    // A reload: the page has no nonce yet, so its first refresh is asked for one.
    tab.session.destroy();
    const reloaded = open('a', { crossTab: false, storage: 'session' }, pageStorage);
    await until(() => reloaded.session.getSnapshot().status === 'authenticated');
    await reloaded.session.refresh();
    expect(await me(reloaded.session)).toMatchObject({ status: 200 });
    expect(traffic.exchanges.map((e) => [e.grantType, e.status, e.error])).toEqual([
      ['authorization_code', 400, 'use_dpop_nonce'],
      ['authorization_code', 200, null],
      ['refresh_token', 200, null],
      ['refresh_token', 400, 'use_dpop_nonce'],
      ['refresh_token', 200, null],
    ]);
    expect(provider.log.revokedGrants).toBe(0);
    expect(reloaded.session.getSnapshot().status).toBe('authenticated');
  });

  test('what DPoP buys: a replayed proof, and tokens copied out of the page, are refused', async () => {
    const { open, traffic, apiRequests } = browser();
    const tab = open('a', { crossTab: false });
    const login = await signIn(tab);
    expect((await me(tab.session)).status).toBe(200);
    const url = `${api.origin}/api/me`;
    const stolen = await tab.session.getAccessToken(); // what a script in the page can read
    const [seen] = apiRequests;

    // The request as it went over the wire, sent again: the proof's jti was used.
    const replayed = await fetch(url, {
      headers: { authorization: seen?.authorization ?? '', dpop: seen?.dpop ?? '' },
    });
    expect(replayed.status).toBe(401);
    // The token as a bearer token, and with a proof of the attacker's own key.
    const asBearer = await fetch(url, { headers: { authorization: `Bearer ${stolen}` } });
    expect(asBearer.status).toBe(401);
    const attacker = await generateKeyPair('ES256');
    const ownProof = await generateProof(attacker, url, 'GET', undefined, stolen);
    const withOwnKey = await fetch(url, {
      headers: { authorization: `DPoP ${stolen}`, dpop: ownProof },
    });
    expect(withOwnKey.status).toBe(401);
    expect(api.requests.slice(1).map((r) => r.verdict)).toEqual([
      'jti replayed',
      'not a DPoP token',
      'key mismatch (cnf.jkt)',
    ]);

    // The refresh token copied out: refused without the key, and the session is unharmed.
    const refreshWith = async (dpop?: string) =>
      fetch(provider.tokenEndpoint, {
        method: 'POST',
        headers: dpop ? { dpop } : {},
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: String(login.refresh_token),
          client_id: CLIENT_ID,
        }),
      });
    expect((await refreshWith()).status).toBe(400);
    const attackerProof = await generateProof(attacker, provider.tokenEndpoint, 'POST');
    const stolenRefresh = await refreshWith(attackerProof);
    expect(stolenRefresh.status).toBe(400);
    expect(await stolenRefresh.json()).toMatchObject({ error: 'invalid_grant' });
    await tab.session.refresh();
    expect(traffic.exchanges.at(-1)).toMatchObject({ grantType: 'refresh_token', status: 200 });
    expect(provider.log.revokedGrants).toBe(0);
    expect((await me(tab.session)).status).toBe(200);
  });
});
