import * as oauth from 'oauth4webapi';
import type { StorageLike } from 'sessionkeeper';
import { OidcError } from './errors';
import type { OidcEnv, OidcOptions, OidcWindow } from './types';

/** The environment with its defaults: each getter reads the global at the moment of use. */
export interface OidcRuntime {
  fetch(): typeof globalThis.fetch;
  window(): OidcWindow | null;
  sessionStorage(): StorageLike | null;
  localStorage(): StorageLike | null;
  setTimeout(handler: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

type AnyGlobal = typeof globalThis & Record<string, unknown>;
const global = () => globalThis as AnyGlobal;
const pick = <K extends keyof OidcEnv>(env: OidcEnv, key: K, name: string) =>
  (key in env ? env[key] : global()[name]) as OidcEnv[K];

/** A Web Storage, or `null` when it is missing or disabled (reading it throws a SecurityError). */
const storage = (read: () => StorageLike | null | undefined): StorageLike | null => {
  try {
    return read() ?? null;
  } catch {
    return null;
  }
};

export function resolveRuntime(env: OidcEnv = {}): OidcRuntime {
  return {
    fetch: () => (pick(env, 'fetch', 'fetch') as typeof fetch) ?? fetch,
    window: () => (pick(env, 'window', 'window') as OidcWindow | undefined) ?? null,
    sessionStorage: () => storage(() => pick(env, 'sessionStorage', 'sessionStorage')),
    localStorage: () => storage(() => pick(env, 'localStorage', 'localStorage')),
    setTimeout: (handler, ms) => (env.setTimeout ?? global().setTimeout)(handler, ms),
    clearTimeout: (id) =>
      env.clearTimeout
        ? env.clearTimeout(id)
        : global().clearTimeout(id as ReturnType<typeof setTimeout>),
  };
}

type FetchOptions = oauth.CustomFetchOptions<'GET' | 'POST', URLSearchParams | undefined>;

/** The token-endpoint requests a DPoP module signs, by the key each uses. */
export type TokenRequestKind = 'sign-in' | 'refresh' | 'revocation';

/**
 * What `createDpop()` offers this module (src/dpop/dpop-fetch.ts): a `dpop.fetch` over a given
 * fetch, with the key of the session's request of that kind. By `Symbol.for`: this entry does
 * not import `sessionkeeper/dpop`.
 */
const TOKEN_FETCH = Symbol.for('sessionkeeper.dpop.tokenFetch');
type TokenFetch = (kind: TokenRequestKind, fetch: typeof globalThis.fetch) => typeof fetch;

/**
 * The DPoP module's token fetch, or `null` without one.
 * @throws TypeError when `dpop` was not made by `createDpop()`
 */
function tokenFetchOf(dpop: unknown): TokenFetch | null {
  if (dpop === undefined || dpop === null) return null;
  const made = (dpop as Record<symbol, unknown>)[TOKEN_FETCH];
  if (typeof made !== 'function') {
    throw new TypeError(
      "sessionkeeper/oidc: dpop must be made by createDpop() of 'sessionkeeper/dpop'",
    );
  }
  return made as TokenFetch;
}

/** What every oauth4webapi request of the module is given. */
export interface RequestOptions {
  signal?: AbortSignal;
  [oauth.customFetch]: (url: string, init: FetchOptions) => Promise<Response>;
  [oauth.allowInsecureRequests]: boolean;
}

/** Everything the flows need to talk to the provider through oauth4webapi. */
export interface Provider {
  readonly client: oauth.Client;
  readonly clientAuth: oauth.ClientAuth;
  /**
   * Options for every oauth4webapi request: the fetch of the env, http allowed or not. A token
   * endpoint request (`kind`) goes out with a DPoP proof when the `dpop` option is given.
   */
  requestOptions(signal?: AbortSignal, kind?: TokenRequestKind): RequestOptions;
  /** With the `dpop` option: the thumbprint of the next sign-in's key (`dpop_jkt`). */
  thumbprint(): Promise<string> | null;
  /** The provider's metadata, read once per page (a failure is asked again next time). */
  discover(): Promise<oauth.AuthorizationServer>;
}

/** The client (a public one: `token_endpoint_auth_method=none`) and its provider's metadata. */
export function createProvider(options: OidcOptions, runtime: OidcRuntime): Provider {
  const issuer = new URL(options.issuer);
  const insecure = options.allowInsecureRequests === true;
  let metadata: Promise<oauth.AuthorizationServer> | null = null;
  const tokenFetch = tokenFetchOf(options.dpop);
  const requestOptions = (signal?: AbortSignal, kind?: TokenRequestKind): RequestOptions => ({
    ...(signal ? { signal } : {}),
    [oauth.customFetch]: (url, init) =>
      (tokenFetch && kind ? tokenFetch(kind, runtime.fetch()) : runtime.fetch())(
        url,
        init as RequestInit,
      ),
    [oauth.allowInsecureRequests]: insecure,
  });

  const read = async () => {
    try {
      const response = await oauth.discoveryRequest(issuer, requestOptions());
      return await oauth.processDiscoveryResponse(issuer, response);
    } catch (cause) {
      throw new OidcError(
        'OIDC_DISCOVERY_FAILED',
        `No OpenID Connect metadata for ${issuer.href}`,
        {
          cause,
        },
      );
    }
  };

  return {
    client: { client_id: options.clientId },
    clientAuth: oauth.None(),
    requestOptions,
    thumbprint: () => options.dpop?.thumbprint() ?? null,
    discover() {
      metadata ??= read().catch((error: unknown) => {
        metadata = null;
        throw error;
      });
      return metadata;
    },
  };
}
