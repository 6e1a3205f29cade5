import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isSessionError } from '../../src/index';
import { createOidc, OidcError } from '../../src/oidc/index';
import { useFakeClock } from '../helpers/session';
import {
  CLIENT_ID,
  callbackUrl,
  createFakeProvider,
  createPage,
  type FakeProvider,
  ISSUER,
  idToken,
  json,
  lastAuthorization,
  type Page,
  REDIRECT_URI,
  setupOidc,
} from './fake-provider';

beforeEach(useFakeClock);
afterEach(() => vi.useRealTimers());

/** Start a redirect sign-in on `page` and return the authorization request's parameters. */
async function redirectSignIn(provider: FakeProvider, page: Page, state?: unknown) {
  const { oidc, session } = setupOidc(provider, page);
  await oidc.signIn(session, state === undefined ? {} : { state });
  return lastAuthorization(page, provider);
}

/** The same tab after the provider sent it back: a new page load, the same sessionStorage. */
function returnTo(page: Page, url: string) {
  const next = createPage(url);
  next.sessionStorage = page.sessionStorage;
  return next;
}

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OidcError);
  return error as OidcError;
};

/** Nothing of the flow's secrets is left in the tab's storage. */
const secretsGone = (page: Page, params: URLSearchParams) => {
  const stored = [...page.sessionStorage.map.values()].join(' ');
  expect(stored).not.toContain(params.get('state'));
  expect(stored).not.toContain(params.get('nonce'));
  expect(stored).not.toContain('verifier');
};

describe('redirect sign-in', () => {
  it('sends the code flow with PKCE (S256), state, nonce, the default scope and extra params', async () => {
    const provider = createFakeProvider();
    const page = createPage();
    const { oidc, session } = setupOidc(provider, page, { params: { prompt: 'consent' } });
    await oidc.signIn(session, { params: { ui_locales: 'fr', state: 'ignored' } });
    const params = lastAuthorization(page, provider);
    expect(page.assigned[0]).toMatch(new RegExp(`^${ISSUER}/auth\\?`));
    expect(Object.fromEntries(params)).toEqual({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid offline_access',
      state: expect.stringMatching(/^[\w-]{40,}$/),
      nonce: expect.stringMatching(/^[\w-]{40,}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge_method: 'S256',
      prompt: 'consent',
      ui_locales: 'fr',
    });
    // The verifier waits in this tab's sessionStorage, not in the URL.
    const [key] = page.sessionStorage.map.keys();
    expect(key).toBe('sessionkeeper:oidc:flow');
  });

  it('completes on the redirect URI: one code exchange, signed in as the ID token sub, back where the user was', async () => {
    const provider = createFakeProvider();
    const page = createPage();
    const params = await redirectSignIn(provider, page, { draft: 'order-7' });
    const back = returnTo(page, callbackUrl(params));
    const { oidc, session } = setupOidc(provider, back);
    expect(oidc.isCallback()).toBe(true);

    const result = await oidc.handleCallback(session);

    expect(result).toEqual({
      returnTo: 'https://app.test/orders?tab=2',
      state: { draft: 'order-7' },
    });
    expect(back.href).toBe('https://app.test/orders?tab=2');
    const [exchange] = provider.tokenRequests();
    expect(Object.fromEntries(exchange?.form ?? [])).toEqual({
      grant_type: 'authorization_code',
      code: 'c0de',
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      code_verifier: expect.stringMatching(/^[\w-]{43,}$/),
    });
    expect(session.getSnapshot()).toMatchObject({ status: 'authenticated', user: { id: 'alice' } });
    secretsGone(back, params);
  });

  it('handles the callback once when it is called twice (React StrictMode)', async () => {
    const provider = createFakeProvider();
    const page = createPage();
    const params = await redirectSignIn(provider, page);
    const { oidc, session } = setupOidc(provider, returnTo(page, callbackUrl(params)));
    const [first, second] = await Promise.all([
      oidc.handleCallback(session),
      oidc.handleCallback(session),
    ]);
    expect(second).toBe(first);
    expect(provider.tokenRequests()).toHaveLength(1);
  });
});

describe('callback errors', () => {
  it.each([
    ['access_denied', 'OIDC_ACCESS_DENIED'],
    ['login_required', 'OIDC_INTERACTION_REQUIRED'],
    ['interaction_required', 'OIDC_INTERACTION_REQUIRED'],
    ['consent_required', 'OIDC_INTERACTION_REQUIRED'],
    ['invalid_scope', 'OIDC_AUTHORIZATION_ERROR'],
  ])(
    'error=%s is a typed %s with the server’s description; nothing is exchanged',
    async (error, code) => {
      const provider = createFakeProvider();
      const page = createPage();
      const params = await redirectSignIn(provider, page);
      const back = returnTo(
        page,
        callbackUrl(params, { error, error_description: 'Said the server' }),
      );
      const { oidc, session } = setupOidc(provider, back);

      const thrown = await failure(oidc.handleCallback(session));

      expect(thrown).toMatchObject({ code, error, errorDescription: 'Said the server' });
      expect(thrown.message).toContain('Said the server');
      expect(isSessionError(thrown, code as 'OIDC_ACCESS_DENIED')).toBe(true);
      expect(provider.tokenRequests()).toHaveLength(0);
      expect(session.getSnapshot().status).toBe('anonymous');
      secretsGone(back, params);
    },
  );

  it('rejects a callback from another issuer (RFC 9207 iss)', async () => {
    const provider = createFakeProvider({ authorization_response_iss_parameter_supported: true });
    const page = createPage();
    const params = await redirectSignIn(provider, page);
    const back = returnTo(page, callbackUrl(params, { code: 'c0de', iss: 'https://evil.test' }));
    const { oidc, session } = setupOidc(provider, back);
    expect(await failure(oidc.handleCallback(session))).toMatchObject({
      code: 'OIDC_ISSUER_MISMATCH',
    });
    expect(provider.tokenRequests()).toHaveLength(0);
  });

  it('rejects a state that is not the one sent, and forgets the flow', async () => {
    const provider = createFakeProvider();
    const page = createPage();
    const params = await redirectSignIn(provider, page);
    const back = returnTo(page, callbackUrl(params, { code: 'c0de', state: 'forged' }));
    const { oidc, session } = setupOidc(provider, back);
    expect(await failure(oidc.handleCallback(session))).toMatchObject({
      code: 'OIDC_STATE_MISMATCH',
    });
    expect(provider.tokenRequests()).toHaveLength(0);
    secretsGone(back, params);
  });

  it('a reload of the callback page says the sign-in was completed, with no second exchange', async () => {
    const provider = createFakeProvider();
    const page = createPage();
    const params = await redirectSignIn(provider, page);
    const url = callbackUrl(params);
    const first = setupOidc(provider, returnTo(page, url));
    await first.oidc.handleCallback(first.session);
    // The reload: a new document at the callback URL, the tab's sessionStorage.
    const reloaded = setupOidc(provider, returnTo(page, url));

    const thrown = await failure(reloaded.oidc.handleCallback(reloaded.session));

    expect(thrown.code).toBe('OIDC_CALLBACK_USED');
    expect(provider.tokenRequests()).toHaveLength(1);
  });

  it('a reload after a failed exchange is a clear error too, not a second exchange', async () => {
    const provider = createFakeProvider();
    provider.nextToken(() =>
      json({ error: 'invalid_grant', error_description: 'code expired' }, 400),
    );
    const page = createPage();
    const params = await redirectSignIn(provider, page);
    const url = callbackUrl(params);
    const first = setupOidc(provider, returnTo(page, url));
    expect(await failure(first.oidc.handleCallback(first.session))).toMatchObject({
      code: 'OIDC_TOKEN_ERROR',
      error: 'invalid_grant',
      errorDescription: 'code expired',
    });
    const reloaded = setupOidc(provider, returnTo(page, url));
    expect(await failure(reloaded.oidc.handleCallback(reloaded.session))).toMatchObject({
      code: 'OIDC_CALLBACK_USED',
    });
    expect(provider.tokenRequests()).toHaveLength(1);
  });

  it('a missing verifier (or no sign-in in this tab at all) is OIDC_TRANSACTION_MISSING', async () => {
    const provider = createFakeProvider();
    const page = createPage();
    const params = await redirectSignIn(provider, page);
    const key = 'sessionkeeper:oidc:flow';
    const flow = JSON.parse(page.sessionStorage.map.get(key) ?? '{}');
    page.sessionStorage.map.set(key, JSON.stringify({ ...flow, verifier: undefined }));
    const back = setupOidc(provider, returnTo(page, callbackUrl(params)));
    expect(await failure(back.oidc.handleCallback(back.session))).toMatchObject({
      code: 'OIDC_TRANSACTION_MISSING',
    });
    // Another tab, or another browser: no flow at all.
    const stranger = setupOidc(provider, createPage(callbackUrl(params)));
    expect(await failure(stranger.oidc.handleCallback(stranger.session))).toMatchObject({
      code: 'OIDC_TRANSACTION_MISSING',
    });
    expect(provider.tokenRequests()).toHaveLength(0);
  });

  it('a URL without an authorization response is OIDC_NOT_A_CALLBACK', async () => {
    const { oidc, session } = setupOidc(createFakeProvider(), createPage(`${REDIRECT_URI}?x=1`));
    expect(oidc.isCallback()).toBe(false);
    expect(await failure(oidc.handleCallback(session))).toMatchObject({
      code: 'OIDC_NOT_A_CALLBACK',
    });
  });

  it.each([
    ['a nonce that is not the one sent', () => ({ nonce: 'other' })],
    ['another audience', () => ({ aud: 'someone-else' })],
    ['another issuer', () => ({ iss: 'https://evil.test' })],
    ['an expired ID token', () => ({ exp: Math.floor(Date.now() / 1000) - 3600 })],
  ])('rejects %s (OIDC_ID_TOKEN_INVALID): nobody is signed in', async (_, claims) => {
    const provider = createFakeProvider();
    const page = createPage();
    const params = await redirectSignIn(provider, page);
    provider.nextToken(() =>
      json(
        provider.tokens({
          id_token: idToken({ sub: 'alice', nonce: params.get('nonce'), ...claims() }),
        }),
      ),
    );
    const back = setupOidc(provider, returnTo(page, callbackUrl(params)));
    expect(await failure(back.oidc.handleCallback(back.session))).toMatchObject({
      code: 'OIDC_ID_TOKEN_INVALID',
    });
    expect(back.session.getSnapshot().status).toBe('anonymous');
  });

  it('an issuer without metadata is OIDC_DISCOVERY_FAILED; metadata is read once per page', async () => {
    const provider = createFakeProvider();
    const page = createPage();
    const broken = createOidc({
      issuer: 'https://down.test',
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      env: { fetch: async () => new Response('down', { status: 503 }), window: page.window },
    });
    const { session } = setupOidc(provider, page);
    expect(await failure(broken.signIn(session))).toMatchObject({ code: 'OIDC_DISCOVERY_FAILED' });
    const { oidc } = setupOidc(provider, page);
    await oidc.signIn(session);
    await oidc.signIn(session);
    expect(provider.discoveries).toBe(1);
  });
});
