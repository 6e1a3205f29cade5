import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDpop, type Dpop } from '../../src/dpop/index';
import { createSession, isSessionError, type Session } from '../../src/index';
import { createOidc } from '../../src/oidc/index';
import { createProofChecker, type DecodedProof, thumbprintOf } from '../helpers/dpop-proof';
import { recordEvents, useFakeClock } from '../helpers/session';
import { installSyncCrypto } from '../helpers/sync-crypto';
import {
  CLIENT_ID,
  callbackUrl,
  createFakeProvider,
  createPage,
  type FakeProvider,
  ISSUER,
  json,
  lastAuthorization,
  POPUP_URI,
  REDIRECT_URI,
  until,
} from './fake-provider';

installSyncCrypto();
beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

const TOKEN = `${ISSUER}/token`;
const REVOKE = `${ISSUER}/revoke`;

/** One request the DPoP front of the provider saw. */
interface Seen {
  url: string;
  method: string;
  grantType: string | null;
  /** The proof as sent, or `null`. */
  dpop: string | null;
  proof: DecodedProof | null;
  /** The key's thumbprint when the proof holds, else why not. */
  verdict: string;
}

/**
 * The fake provider behind a DPoP front, as oidc-provider with `dpop_bound_access_tokens`: each
 * token-endpoint or revocation request's proof is checked (signature, `htm`, `htu`, `iat`, `jti`
 * once, no `ath`), a nonce may be required (`400 use_dpop_nonce` with a `DPoP-Nonce`), a refresh
 * token is accepted only with the key it is bound to, and the tokens are `token_type: DPoP`
 * (unless `bearer` is set: a provider without DPoP for this client).
 */
function dpopFront(provider: FakeProvider) {
  const check = createProofChecker();
  const seen: Seen[] = [];
  const boundTo = new Map<string, string>();
  /** The nonce required (`'always-new'`: every request is asked again, with a new one). */
  const state = { nonce: null as string | null, bearer: false };
  let nonces = 0;
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    const method = init.method ?? 'GET';
    const dpop = new Headers(init.headers).get('dpop');
    const isToken = url === TOKEN;
    if (!isToken && url !== REVOKE) {
      seen.push({ url, method, grantType: null, dpop, proof: null, verdict: 'not checked' });
      return provider.fetch(input, init);
    }
    const form = new URLSearchParams(String(init.body ?? ''));
    const result = check(dpop, { method, url }, null);
    const entry: Seen = {
      url,
      method,
      grantType: form.get('grant_type'),
      dpop,
      proof: result.proof,
      verdict: result.ok
        ? result.proof.claims.ath
          ? 'ath on a token request'
          : 'ok'
        : result.error,
    };
    seen.push(entry);
    if (!result.ok) {
      if (state.bearer && !dpop) return provider.fetch(input, init);
      return json({ error: 'invalid_dpop_proof', error_description: result.error }, 400);
    }
    const { nonce } = state;
    if (nonce !== null && (nonce === 'always-new' || result.proof.claims.nonce !== nonce)) {
      entry.verdict = 'nonce required';
      nonces++;
      return new Response(JSON.stringify({ error: 'use_dpop_nonce' }), {
        status: 400,
        headers: {
          'content-type': 'application/json',
          'DPoP-Nonce': nonce === 'always-new' ? `nonce-${nonces}` : nonce,
        },
      });
    }
    const presented = form.get('refresh_token') ?? form.get('token');
    if (presented && boundTo.has(presented) && boundTo.get(presented) !== result.jkt) {
      entry.verdict = 'key mismatch';
      return json({ error: 'invalid_grant', error_description: 'DPoP key mismatch' }, 400);
    }
    const answer = await provider.fetch(input, init);
    if (!isToken || !answer.ok || state.bearer) return answer;
    const body = (await answer.json()) as Record<string, unknown>;
    for (const token of [body.access_token, body.refresh_token]) {
      if (typeof token === 'string') boundTo.set(token, result.jkt);
    }
    return json({ ...body, token_type: 'DPoP' });
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    seen,
    state,
    /** The checked requests to the token and revocation endpoints. */
    signed: () => seen.filter((s) => s.url === TOKEN || s.url === REVOKE),
  };
}

/** An oidc instance, a session and one DPoP instance shared by both, on a new page. */
function setup(options: { dpop?: boolean; provider?: FakeProvider } = {}) {
  const provider = options.provider ?? createFakeProvider();
  const front = dpopFront(provider);
  front.state.bearer = options.dpop === false;
  const page = createPage();
  const dpop: Dpop | undefined = options.dpop === false ? undefined : createDpop();
  const oidc = createOidc({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    popupRedirectUri: POPUP_URI,
    ...(dpop ? { dpop } : {}),
    env: { fetch: front.fetch, window: page.window, sessionStorage: page.sessionStorage },
  });
  const session: Session = createSession({
    ...oidc.sessionOptions(),
    crossTab: false,
    ...(dpop ? { dpop } : {}),
    env: {
      fetch: front.fetch,
      window: null,
      BroadcastChannel: null,
      locks: null,
      indexedDB: new IDBFactory(),
    },
  });
  return { provider, front, page, dpop, oidc, session, ...recordEvents(session) };
}

type Setup = ReturnType<typeof setup>;

/** A popup sign-in, the provider answering with a code; resolves (or rejects) as `signIn` does. */
async function popupSignIn({ oidc, session, page, provider }: Setup) {
  const done = oidc.signIn(session, { popup: true });
  done.catch(() => {});
  await until(() => (page.popups.at(-1)?.sentTo.length ?? 0) > 0, 'the popup to go out');
  const params = lastAuthorization(page, provider);
  page.popups.at(-1)?.land(callbackUrl(params));
  await vi.advanceTimersByTimeAsync(200);
  await done;
  return params;
}

describe('createOidc({ dpop }): the token endpoint requests carry proofs', () => {
  it('the code exchange, a refresh and the revocation each send a valid proof for their method and URL, with one key, no ath', async () => {
    const s = setup();
    const params = await popupSignIn(s);
    // The code is bound to the key the exchange uses (RFC 9449 §10).
    const jkt = await s.dpop?.thumbprint();
    expect(params.get('dpop_jkt')).toBe(jkt);
    expect(s.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { id: 'alice' },
    });

    await s.session.refresh();
    await s.oidc.signOut(s.session, { endSession: false });
    expect(s.session.getSnapshot().status).toBe('anonymous');
    expect(s.provider.revocations().map((r) => r.form.get('token'))).toEqual(['rt-2']);

    const signed = s.front.signed();
    expect(signed.map((r) => [r.method, r.url, r.grantType, r.verdict])).toEqual([
      ['POST', TOKEN, 'authorization_code', 'ok'],
      ['POST', TOKEN, 'refresh_token', 'ok'],
      ['POST', REVOKE, null, 'ok'],
    ]);
    for (const request of signed) {
      expect(request.proof?.claims).toMatchObject({ htm: 'POST', htu: request.url });
      expect(request.proof?.claims.ath).toBeUndefined();
    }
    // Every proof was made with the key the code was bound to.
    const keys = signed.map((r) => JSON.stringify(r.proof?.header.jwk));
    expect(new Set(keys).size).toBe(1);
    // Discovery goes without a proof.
    const discovery = s.front.seen.find((r) => r.url.endsWith('/openid-configuration'));
    expect(discovery?.dpop).toBeNull();
    expect(s.ofType('error')).toEqual([]);
  });

  it('a redirect sign-in: the code exchange on the callback page uses the key of dpop_jkt', async () => {
    const s = setup();
    await s.oidc.signIn(s.session);
    const params = lastAuthorization(s.page, s.provider);
    expect(params.get('dpop_jkt')).toMatch(/^[\w-]{43}$/);
    s.page.href = callbackUrl(params);
    await s.oidc.handleCallback(s.session);
    expect(s.session.getSnapshot().status).toBe('authenticated');
    const [exchange] = s.front.signed();
    expect(exchange?.verdict).toBe('ok');
    expect(thumbprintOf(exchange?.proof?.header.jwk ?? {})).toBe(params.get('dpop_jkt'));
  });

  it('a use_dpop_nonce answer is answered once, with the nonce; later requests carry it at once', async () => {
    const s = setup();
    s.front.state.nonce = 'n-1';
    await popupSignIn(s);
    expect(s.session.getSnapshot().status).toBe('authenticated');
    await s.session.refresh();
    expect(s.front.signed().map((r) => [r.grantType, r.verdict, r.proof?.claims.nonce])).toEqual([
      ['authorization_code', 'nonce required', undefined],
      ['authorization_code', 'ok', 'n-1'],
      ['refresh_token', 'ok', 'n-1'],
    ]);
  });

  it('a nonce asked for again after the retry fails the refresh as a server error: the session is kept', async () => {
    const s = setup();
    await popupSignIn(s);
    s.front.state.nonce = 'always-new';
    const error = await s.session.refresh().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'server' });
    const refreshes = s.front.signed().filter((r) => r.grantType === 'refresh_token');
    expect(refreshes.map((r) => r.verdict)).toEqual(['nonce required', 'nonce required']);
    expect(s.session.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: { id: 'alice' },
    });
  });

  it('a refresh token sent with another key is refused', async () => {
    const s = setup();
    await popupSignIn(s);
    const other = createDpop({ env: { indexedDB: new IDBFactory(), fetch: s.front.fetch } });
    const stolen = await other.fetch(TOKEN, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: 'rt-1',
        client_id: CLIENT_ID,
      }),
    });
    expect(stolen.status).toBe(400);
    expect(s.front.signed().at(-1)?.verdict).toBe('key mismatch');
    // The session's own refresh, with its key, goes on.
    await s.session.refresh();
    expect(s.front.signed().at(-1)).toMatchObject({ grantType: 'refresh_token', verdict: 'ok' });
  });
});

describe('createOidc({ dpop }) with a provider that issues bearer tokens', () => {
  it('the sign-in fails with DPOP_TOKEN_TYPE and nothing is signed in', async () => {
    const s = setup();
    s.front.state.bearer = true;
    const error = await popupSignIn(s).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isSessionError(error, 'DPOP_TOKEN_TYPE')).toBe(true);
    expect((error as Error).message).toContain('token_type bearer');
    expect(s.session.getSnapshot()).toMatchObject({ status: 'anonymous', user: null });
    expect(await s.session.getAccessToken().catch((e: unknown) => e)).toBeInstanceOf(Error);
  });
});

describe('createOidc without dpop', () => {
  it('sends no DPoP header and no dpop_jkt', async () => {
    const s = setup({ dpop: false });
    const params = await popupSignIn(s);
    expect(params.has('dpop_jkt')).toBe(false);
    await s.session.refresh();
    await s.oidc.signOut(s.session, { endSession: false });
    expect(s.front.signed().map((r) => r.grantType)).toEqual([
      'authorization_code',
      'refresh_token',
      null,
    ]);
    expect(s.front.seen.every((r) => r.dpop === null)).toBe(true);
  });

  it('a dpop option not made by createDpop() is a TypeError', () => {
    expect(() =>
      createOidc({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI,
        dpop: {} as Dpop,
      }),
    ).toThrow(/createDpop/);
  });
});
