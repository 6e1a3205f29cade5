import { generateKeyPair, generateProof } from 'dpop';
import { IDBFactory } from 'fake-indexeddb';
import { createSession, type Session } from 'sessionkeeper';
import { createDpop, type Dpop } from 'sessionkeeper/dpop';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
// The integration project has no alias for sessionkeeper/oidc: its sources, by path.
import { createOidc, type Oidc, type OidcWindow } from '../../src/oidc/index';
import { proofClaims } from '../helpers/dpop-proof';
import { MemoryStorage } from '../helpers/storage';
import { followAuthorization } from './helpers/follow-authorization';
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

/** What went to the provider's endpoints, with the proof (or `null`) each carried. */
interface Sent {
  url: string;
  grantType: string | null;
  dpop: string | null;
}

/**
 * A page of the app, in node: `createOidc({ dpop })` and `createSession({ dpop })` with the
 * same `createDpop()`, IndexedDB for the key, sessionStorage for the sign-in's PKCE verifier.
 */
function openPage(indexedDB = new IDBFactory(), storage = new MemoryStorage()) {
  const traffic = recordTokenTraffic(provider.tokenEndpoint);
  const sent: Sent[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.startsWith(provider.issuer)) {
      const body = init?.body instanceof URLSearchParams ? init.body : null;
      sent.push({
        url,
        grantType: body?.get('grant_type') ?? null,
        dpop: new Headers(init?.headers).get('dpop'),
      });
    }
    return traffic.fetch(input, init);
  };
  const page = { href: 'http://127.0.0.1/orders', assigned: [] as string[] };
  const window: OidcWindow = {
    location: {
      get href() {
        return page.href;
      },
      origin: 'http://127.0.0.1',
      assign: (url) => page.assigned.push(url),
    },
    history: {
      replaceState: (_data, _unused, url) => {
        if (url) page.href = new URL(url, page.href).href;
      },
    },
    open: () => null,
  };
  const dpop = createDpop();
  const oidc = createOidc({
    issuer: provider.issuer,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    // oidc-provider gives a refresh token for offline_access after an explicit consent.
    params: { prompt: 'consent' },
    allowInsecureRequests: true,
    dpop,
    env: { fetch, window, sessionStorage: storage },
  });
  const session = createSession({
    ...oidc.sessionOptions({ storage: 'session' }),
    dpop,
    crossTab: false,
    authorizedOrigins: [api.origin],
    env: { fetch, window: null, sessionStorage: storage, localStorage: null, indexedDB },
  });
  sessions.push(session);
  return { page, oidc, session, dpop, traffic, sent, indexedDB, storage };
}

/** A redirect sign-in: to the provider, through its login and consent, back to the callback. */
async function signIn(tab: {
  page: { href: string; assigned: string[] };
  oidc: Oidc;
  session: Session;
}) {
  await tab.oidc.signIn(tab.session);
  const authorization = new URL(tab.page.assigned.at(-1) ?? '');
  tab.page.href = await followAuthorization(authorization.href, REDIRECT_URI, 'alice');
  await tab.oidc.handleCallback(tab.session);
  return authorization.searchParams;
}

const me = async (session: Session) => {
  const response = await session.fetch(`${api.origin}/api/me`);
  return { status: response.status, body: await response.json() };
};

const bindingOf = async (session: Session) =>
  (await provider.provider.AccessToken.find(await session.getAccessToken()))?.jkt;

describe('sessionkeeper/oidc with sessionkeeper/dpop against oidc-provider (dpop_bound_access_tokens)', () => {
  test('sign-in, API calls, refresh and sign-out: every token request signed with the one key', async () => {
    const tab = openPage();
    const authorization = await signIn(tab);
    const jkt = await (tab.dpop as Dpop).thumbprint();
    expect(authorization.get('dpop_jkt')).toBe(jkt);
    expect(tab.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { id: 'alice' },
    });
    expect(tab.page.href).toBe('http://127.0.0.1/orders');
    // The access token is bound to the key (cnf.jkt); the API takes it with a proof (ath).
    expect(await bindingOf(tab.session)).toBe(jkt);
    expect(await me(tab.session)).toMatchObject({ status: 200, body: { sub: 'alice' } });
    expect((await tab.session.http.get(`${api.origin}/api/orders`).json()) as object).toMatchObject(
      {
        sub: 'alice',
        path: '/api/orders',
      },
    );
    expect(api.requests.map((r) => [r.scheme, r.verdict])).toEqual([
      ['DPoP', 'ok'],
      ['DPoP', 'ok'],
    ]);

    // The refresh: the refresh token bound to the key works, and the new tokens are bound too.
    const before = await tab.session.getAccessToken();
    await tab.session.refresh();
    expect(await tab.session.getAccessToken()).not.toBe(before);
    expect(await bindingOf(tab.session)).toBe(jkt);
    expect((await me(tab.session)).status).toBe(200);

    // Sign-out: the revocation carries a proof, and the refresh token is gone.
    const refreshToken = tab.traffic.exchanges.at(-1)?.received ?? '';
    expect(await provider.provider.RefreshToken.find(refreshToken)).toBeDefined();
    await tab.oidc.signOut(tab.session, { endSession: false });
    expect(tab.session.getSnapshot().status).toBe('anonymous');
    expect(await provider.provider.RefreshToken.find(refreshToken)).toBeUndefined();

    const tokenRequests = tab.sent.filter((s) => !s.url.includes('/.well-known/'));
    expect(tokenRequests.map((s) => [s.url, s.grantType])).toEqual([
      [provider.tokenEndpoint, 'authorization_code'],
      [provider.tokenEndpoint, 'refresh_token'],
      [provider.revocationEndpoint, null],
    ]);
    for (const request of tokenRequests) {
      expect(proofClaims(request.dpop ?? '')).toMatchObject({ htm: 'POST', htu: request.url });
      expect(proofClaims(request.dpop ?? '').ath).toBeUndefined();
    }
    expect(tab.sent.find((s) => s.url.includes('/.well-known/'))?.dpop).toBeNull();
    expect(tab.traffic.exchanges.map((e) => [e.grantType, e.status])).toEqual([
      ['authorization_code', 200],
      ['refresh_token', 200],
    ]);
    expect(provider.log.grantErrors).toEqual([]);
  });

  test('the provider’s use_dpop_nonce is answered by one retry; a reload refreshes with the stored key', async () => {
    provider.requireDpopNonce(true);
    const tab = openPage();
    await signIn(tab);
    expect(tab.session.getSnapshot().status).toBe('authenticated');
    const jkt = await bindingOf(tab.session);

    // A reload: the tokens in sessionStorage, the key in IndexedDB, no nonce known yet.
    tab.session.destroy();
    const reloaded = openPage(tab.indexedDB, tab.storage);
    await reloaded.session.refresh();
    expect(await bindingOf(reloaded.session)).toBe(jkt);
    expect((await me(reloaded.session)).status).toBe(200);
    expect(
      [...tab.traffic.exchanges, ...reloaded.traffic.exchanges].map((e) => [
        e.grantType,
        e.status,
        e.error,
      ]),
    ).toEqual([
      ['authorization_code', 400, 'use_dpop_nonce'],
      ['authorization_code', 200, null],
      ['refresh_token', 400, 'use_dpop_nonce'],
      ['refresh_token', 200, null],
    ]);
    expect(provider.log.revokedGrants).toBe(0);
  });

  test('a refresh token copied out of the page is refused without the key; the session goes on', async () => {
    const tab = openPage();
    await signIn(tab);
    const stolen = tab.traffic.exchanges[0]?.received ?? '';
    const refreshWith = (dpop?: string) =>
      fetch(provider.tokenEndpoint, {
        method: 'POST',
        headers: dpop ? { dpop } : {},
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: stolen,
          client_id: CLIENT_ID,
        }),
      });
    expect((await refreshWith()).status).toBe(400);
    const attacker = await generateKeyPair('ES256');
    const withOwnKey = await refreshWith(
      await generateProof(attacker, provider.tokenEndpoint, 'POST'),
    );
    expect(withOwnKey.status).toBe(400);
    expect(await withOwnKey.json()).toMatchObject({ error: 'invalid_grant' });
    await tab.session.refresh();
    expect(tab.traffic.exchanges.at(-1)).toMatchObject({ grantType: 'refresh_token', status: 200 });
    expect((await me(tab.session)).status).toBe(200);
  });

  test('a provider without DPoP for the client (token_type Bearer): the sign-in fails with DPOP_TOKEN_TYPE, nobody is signed in', async () => {
    await api.close();
    await provider.close();
    provider = await startProvider(ACCESS_TOKEN_TTL_SECONDS, { dpop: 'disabled' });
    api = await startResourceServer(provider.provider);
    const tab = openPage();
    const error = await signIn(tab).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'DPOP_TOKEN_TYPE' });
    expect(tab.traffic.exchanges.map((e) => [e.grantType, e.status])).toEqual([
      ['authorization_code', 200],
    ]);
    expect(tab.session.getSnapshot()).toMatchObject({ status: 'anonymous', user: null });
    // No tokens kept: only the record of the callback's state as used.
    expect([...tab.storage.map.keys()]).toEqual(['sessionkeeper:oidc:used']);
  });
});
