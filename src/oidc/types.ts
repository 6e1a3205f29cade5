import type { Session, SessionOptions, StorageLike } from 'sessionkeeper';
import type { Dpop } from 'sessionkeeper/dpop';

/** The part of `window` the OpenID Connect module uses (injected in tests). */
export interface OidcWindow {
  readonly location: { readonly href: string; readonly origin: string; assign(url: string): void };
  readonly history?: { replaceState(data: unknown, unused: string, url?: string): void };
  readonly opener?: unknown;
  readonly screenX?: number;
  readonly screenY?: number;
  readonly outerWidth?: number;
  readonly outerHeight?: number;
  open(url: string, target: string, features: string): PopupWindow | null;
}

/** What the module needs of a popup window it opened. */
export interface PopupWindow {
  readonly closed: boolean;
  /** Readable only while the popup shows a page of the app's origin (else it throws). */
  readonly location: { readonly href: string; replace(url: string): void };
  close(): void;
  focus?(): void;
}

/**
 * The environment, injected in tests. A missing key means the browser global, read at the moment
 * of use; `null` means "not available here".
 */
export interface OidcEnv {
  fetch?: typeof globalThis.fetch;
  window?: OidcWindow | null;
  sessionStorage?: StorageLike | null;
  localStorage?: StorageLike | null;
  setTimeout?: (handler: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
}

/** How to reach the provider and what to ask of it. */
export interface OidcOptions {
  /**
   * The issuer identifier (e.g. `https://id.example.com/realms/app`). Its metadata is read from
   * `<issuer>/.well-known/openid-configuration`, once per page.
   */
  issuer: string | URL;
  /** The public client's id (no secret: a browser cannot keep one). */
  clientId: string;
  /**
   * Where the provider sends the browser back after a redirect sign-in: a route of the app
   * itself (the same document keeps the in-memory tokens), registered at the provider.
   */
  redirectUri: string | URL;
  /**
   * Where the popup lands after sign-in and popup sign-out: a page of the app's origin,
   * registered at the provider. A tiny static page is best (see the README).
   * @default redirectUri
   */
  popupRedirectUri?: string | URL;
  /**
   * Where the provider sends the browser after it ended its session (registered at the
   * provider). @default none: the provider shows its own page
   */
  postLogoutRedirectUri?: string | URL;
  /** @default 'openid offline_access' */
  scope?: string;
  /**
   * Extra authorization parameters for every sign-in (`prompt`, `audience`, `ui_locales`,
   * `login_hint`, …). `signIn` may add more.
   * @default none
   */
  params?: Record<string, string>;
  /** A popup sign-in (or sign-out) that has not come back after this long fails, in ms. @default 300_000 */
  popupTimeoutMs?: number;
  /**
   * Allow `http:` URLs for the issuer and its endpoints: a provider on the developer's machine.
   * Never in production. @default false
   */
  allowInsecureRequests?: boolean;
  /**
   * Namespaces the sign-in's sessionStorage keys; use the session's `crossTab.name`.
   * @default 'sessionkeeper'
   */
  name?: string;
  /**
   * DPoP (RFC 9449) at the provider: the instance from `createDpop()` the session is given too
   * (`createSession({ ...oidc.sessionOptions(), dpop })`). Every request of this module to the
   * token endpoint — the code exchange, the session's refresh, the revocation at sign-out —
   * then carries a proof made with that instance's key (a `use_dpop_nonce` answer is sent once
   * more with the nonce), and the authorization request carries `dpop_jkt` (the key's
   * thumbprint), which binds the code to the key. Discovery needs no proof. The session takes
   * only DPoP-bound tokens then: a provider that answers `token_type: Bearer` fails the sign-in
   * with `DPOP_TOKEN_TYPE`. Using the instance here does not give it to a second session.
   * @default none (bearer tokens, no proof)
   */
  dpop?: Dpop;
  /** The environment (fetch, window, sessionStorage, timers), for tests. */
  env?: OidcEnv;
}

/** Options of one sign-in. */
export interface SignInOptions {
  /**
   * Sign in in a popup: the page stays as it is (held requests, typed forms). Call it from a
   * click handler, or the browser blocks the popup (`OIDC_POPUP_BLOCKED`). @default false
   */
  popup?: boolean;
  /** A small JSON value of the app's, given back by `handleCallback` (redirect sign-in). */
  state?: unknown;
  /**
   * Where `handleCallback` returns the user (redirect sign-in).
   * @default the current URL
   */
  returnTo?: string;
  /** Authorization parameters for this sign-in only, over the `params` option. */
  params?: Record<string, string>;
}

/** What a completed redirect sign-in gives back. */
export interface CallbackResult {
  /** The URL the user was on when the sign-in began (now the page's URL). */
  returnTo: string;
  /** The `state` passed to `signIn`, if any. */
  state: unknown;
}

/** Options of one sign-out. */
export interface SignOutOptions {
  /** End the provider's session in a popup instead of leaving the page. @default false */
  popup?: boolean;
  /** End the provider's session too (RP-initiated logout). @default true */
  endSession?: boolean;
  /** @default the `postLogoutRedirectUri` option (a popup: `popupRedirectUri`) */
  postLogoutRedirectUri?: string;
}

/** The session options that connect a session to the provider. */
export type OidcSessionOptions = Required<
  Pick<SessionOptions, 'refresh' | 'logout' | 'userId' | 'storage'>
>;

/** Sign-in with an OpenID Connect provider for a sessionkeeper session. */
export interface Oidc {
  /**
   * Spread into `createSession`: `refresh` (the token endpoint), `logout` (revocation of the
   * refresh token, RFC 7009), `userId` (the ID token's `sub`) and `storage` (where the session
   * keeps its tokens).
   * @param options.storage where the tokens live (the session's `storage`). @default 'memory'
   * @example
   * const session = createSession({ ...oidc.sessionOptions(), http: { prefix: '/api' } });
   */
  sessionOptions(options?: { storage?: 'memory' | 'session' | 'local' }): OidcSessionOptions;
  /**
   * Sign in. A redirect sign-in saves where the user is and leaves the page (the promise
   * resolves as it goes); a popup sign-in resolves once the session is signed in.
   * @throws OidcError (`OIDC_POPUP_BLOCKED`, `OIDC_POPUP_CLOSED`, `OIDC_POPUP_TIMEOUT`, the
   *   server's errors); `TokenResponseError` when the session cannot use the tokens;
   *   `SessionError` `DPOP_TOKEN_TYPE` when the `dpop` option is given and the provider's
   *   tokens are not DPoP-bound (nobody is signed in)
   */
  signIn(session: Session, options?: SignInOptions): Promise<void>;
  /** Is `url` (default: the page's) an authorization response: a `code` or an `error` with a `state`? */
  isCallback(url?: string | URL): boolean;
  /**
   * On the redirect URI: check the response, exchange the code (once, however often it is
   * called), sign the session in and put the URL back to where the user was. In a popup
   * opened by `signIn`, it does nothing and resolves `null`: the opening page takes over.
   * @throws OidcError; `SessionError` `DPOP_TOKEN_TYPE` as for `signIn`
   */
  handleCallback(session: Session, url?: string | URL): Promise<CallbackResult | null>;
  /**
   * Sign out: revoke the refresh token, clear the session in every tab, then end the
   * provider's session (a redirect, or a popup). Call it from a click handler for a popup.
   * @throws OidcError `OIDC_END_SESSION_UNSUPPORTED` (after the local sign-out) and the popup codes
   */
  signOut(session: Session, options?: SignOutOptions): Promise<void>;
}
