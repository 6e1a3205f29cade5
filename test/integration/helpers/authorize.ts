import { createHash, randomBytes } from 'node:crypto';

/** Cookies of one user agent, by name (the provider's interaction and session cookies). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const split = pair.indexOf('=');
      const name = pair.slice(0, split).trim();
      const value = pair.slice(split + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const base64Url = (bytes: Buffer) => bytes.toString('base64url');

export interface AuthorizeOptions {
  issuer: string;
  clientId: string;
  redirectUri: string;
  /** Any login is accepted by the provider's development interactions. */
  username: string;
  /** Extra authorization parameters (e.g. `dpop_jkt`). */
  params?: Record<string, string>;
  /** The fetch of the code exchange (e.g. `dpop.fetch`). @default the global fetch */
  exchangeFetch?: typeof fetch;
}

/**
 * Sign `username` in the way a browser would, scripted: the authorization-code flow with PKCE
 * (S256) through oidc-provider's development login and consent pages, with scope
 * `openid offline_access` and `prompt=consent` (the provider's condition for a refresh token),
 * then the code exchange. Returns the raw token response.
 */
export async function authorize(options: AuthorizeOptions): Promise<Record<string, unknown>> {
  const { issuer, clientId, redirectUri, username, params = {}, exchangeFetch = fetch } = options;
  const jar = new CookieJar();
  const verifier = base64Url(randomBytes(32));
  const challenge = base64Url(createHash('sha256').update(verifier).digest());
  const state = base64Url(randomBytes(12));
  let url = new URL('/auth', issuer);
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid offline_access',
    prompt: 'consent',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    ...params,
  }).toString();
  let body: URLSearchParams | undefined;

  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header() },
      ...(body ? { body } : {}),
    });
    jar.store(response);
    body = undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) {
        if (next.searchParams.get('state') !== state) throw new Error('state mismatch');
        const code = next.searchParams.get('code');
        if (!code) throw new Error(`No code: ${next.searchParams.get('error_description')}`);
        return exchange(issuer, { clientId, redirectUri, code, verifier }, exchangeFetch);
      }
      url = next;
      continue;
    }
    const html = await response.text();
    if (response.status !== 200 || !url.pathname.startsWith('/interaction/')) {
      throw new Error(`Unexpected ${response.status} at ${url.pathname}: ${html.slice(0, 200)}`);
    }
    // The development pages: a login form, then a consent form, both POSTed back to the page.
    const prompt = /name="prompt" value="(login|consent)"/.exec(html)?.[1];
    if (prompt === 'login') body = new URLSearchParams({ prompt, login: username, password: 'x' });
    else if (prompt === 'consent') body = new URLSearchParams({ prompt });
    else throw new Error(`Unknown interaction page at ${url.pathname}`);
  }
  throw new Error('The authorization flow did not reach the redirect URI');
}

async function exchange(
  issuer: string,
  params: { clientId: string; redirectUri: string; code: string; verifier: string },
  fetch: typeof globalThis.fetch,
): Promise<Record<string, unknown>> {
  const response = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.code,
      redirect_uri: params.redirectUri,
      client_id: params.clientId,
      code_verifier: params.verifier,
    }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`Code exchange failed: ${JSON.stringify(json)}`);
  return json;
}
