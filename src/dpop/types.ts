import type { Env } from '../lib/env';

export interface DpopOptions {
  /**
   * Namespaces the key's IndexedDB record: one key per session name, shared by its tabs.
   * @default the session's `crossTab.name` ('sessionkeeper')
   */
  name?: string;
  /** The environment (`indexedDB`, `fetch`, `window`), for tests. @default the session's */
  env?: Env;
}

/** What one proof is made for, besides the request's method and URL. */
export interface ProofOptions {
  /** The access token the request carries: the proof then has its hash (`ath`). */
  accessToken?: string;
  /** A server's `DPoP-Nonce`. @default the one last received from the URL's origin */
  nonce?: string;
}

/**
 * DPoP (RFC 9449) for a session: an ES256 key pair whose private key cannot be exported, kept
 * in IndexedDB and shared by the session's tabs, and a fresh proof for every request the
 * session sends. A key serves one sign-in: a proof made while nobody is signed in (the login's
 * code exchange) uses a new key, unless one made for this sign-in is there already; the key is
 * deleted at logout.
 */
export interface Dpop {
  /**
   * `fetch` with a DPoP proof (no access token): for the requests the session does not send
   * itself — the login's code exchange, above all, and a custom `refresh` function's. A server
   * that asks for a nonce (`use_dpop_nonce`) gets the request once more with it. Every
   * `DPoP-Nonce` answered is kept for its origin.
   * @example
   * const response = await dpop.fetch(tokenUrl, { method: 'POST', body: codeExchangeForm });
   * await session.login(await response.json());
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /**
   * One proof (the `DPoP` header's value) for `method` and `url`, with the key `fetch` would use.
   * For a request the app sends itself.
   */
  proof(method: string, url: string | URL, options?: ProofOptions): Promise<string>;
  /**
   * The JWK thumbprint (RFC 7638) of that key: an authorization request's `dpop_jkt`, which
   * binds the authorization code to it. Made before the redirect, the key is the one the code
   * exchange uses after it (it is kept in IndexedDB).
   */
  thumbprint(): Promise<string>;
}
