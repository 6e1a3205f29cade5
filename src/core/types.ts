import type { KyInstance, Options as KyOptions } from 'ky';
import type { Dpop } from '../dpop/types';
import type { DraftStore } from '../drafts/types';
import type { IdleState, IdleTimer } from '../idle/types';
import type { Env, StorageLike } from '../lib/env';
import type { RefreshError, SessionError } from '../lib/errors';
import type { JwtClaims } from '../tokens/jwt';
import type { TokenInput } from '../tokens/token-response';

export type { Env, StorageLike } from '../lib/env';
export type { JwtClaims } from '../tokens/jwt';
export type { TokenInput } from '../tokens/token-response';

/** What the refresh function is given. */
export interface RefreshContext {
  /** The refresh token held, if any (none in cookie mode). */
  refreshToken?: string | undefined;
  /** The ID token held, if any: an OpenID Connect refresh may check that a new one names the same user. */
  idToken?: string | undefined;
  /** The id of the user signed in, if known. */
  userId?: string | undefined;
  /** Aborted when the attempt times out, the session ends, or the session is destroyed. */
  signal: AbortSignal;
}

/**
 * A custom refresh: return the raw token response. To fail, throw a `RefreshError`, an error with
 * `response.status` (ky's `HTTPError`, classified by status), or anything else (= network error).
 * Call the token endpoint with plain `fetch`, or with `session.fetch` and `skipAuth: true` (ky:
 * `context: { skipAuth: true }`): a request that waits for a token would wait for itself.
 */
export type RefreshFn = (context: RefreshContext) => Promise<unknown>;

/** The tokens a logout cleared, given to a `logout` function (to revoke them); `null`: none were held. */
export interface HeldTokens {
  readonly accessToken: string;
  readonly refreshToken?: string | undefined;
  readonly idToken?: string | undefined;
}

/** A token endpoint that is POSTed to refresh (RFC 6749 §6). */
export interface RefreshEndpoint {
  url: string | URL;
  /** Sent as `client_id` in the body, for a public client. */
  clientId?: string;
  /** Extra form parameters (e.g. `scope`). */
  params?: Record<string, string>;
  /** Extra headers, e.g. a CSRF header for a cookie endpoint. */
  headers?: Record<string, string>;
  /**
   * @default 'include' in cookie mode (no refresh token held), 'same-origin' otherwise
   */
  credentials?: RequestCredentials;
  /** Abort a refresh request after this long, in ms. @default 10_000 */
  timeoutMs?: number;
}

/** The logout endpoint: POSTed best-effort with RFC 7009 `token=<refresh token>` when one is held. */
export interface LogoutEndpoint {
  url: string | URL;
  clientId?: string;
  headers?: Record<string, string>;
  credentials?: RequestCredentials;
  /**
   * Revoke the access token too: a second POST like the first (`client_id`, `headers`,
   * `keepalive`), sent with it, with `token=<access token>&token_type_hint=access_token`
   * (RFC 7009). Best effort: each failed call is one `error` event (`LOGOUT_FAILED`).
   * @default false
   */
  revokeAccessToken?: boolean;
}

export type TokenStorageOption = 'memory' | 'session' | 'local' | StorageLike;

export interface CrossTabOptions {
  /**
   * Namespaces the channel, the lock and every storage key, so two sessions on one origin never mix.
   * @default 'sessionkeeper'
   */
  name?: string;
}

export interface QueueOptions {
  /** While expired: hold requests until the same user signs in again, or reject at once. @default 'hold' */
  whileExpired?: 'hold' | 'reject';
  /** Most requests held while expired; more reject with `QueueFullError`. @default 100 */
  maxSize?: number;
  /** How long a request waits for a token before it rejects, in ms. @default 600_000 (10 min) */
  holdTimeoutMs?: number;
}

export interface SessionOptions {
  /** How to refresh: a token endpoint URL, an endpoint object, or a function. */
  refresh: string | URL | RefreshEndpoint | RefreshFn;
  /** Turn a raw token response into a {@link TokenInput}. @default parseTokenResponse */
  parseTokens?: (raw: unknown) => TokenInput;
  /** Refresh this long before expiry, in ms; tokens living less than twice this refresh at half-life. @default 120_000 */
  refreshBeforeExpiryMs?: number;
  /** Where the token set is kept. @default 'memory' */
  storage?: TokenStorageOption;
  /** One refresh for all tabs, and login, logout, tokens and activity shared. @default true */
  crossTab?: boolean | CrossTabOptions;
  /**
   * The idle timer, from `createIdleTimer()` of `sessionkeeper/idle`: the session runs it while
   * a user is signed in and expires the session (reason `idle`) when it goes idle. A timer
   * created without `env` or `crossTab` uses the session's. @default none
   * @example
   * import { createIdleTimer } from 'sessionkeeper/idle';
   * createSession({ refresh, idle: createIdleTimer({ timeoutMs: 15 * 60_000 }) });
   */
  idle?: IdleTimer;
  /**
   * Form drafts, from `createDraftStore()` of `sessionkeeper/drafts`: the session scopes them to
   * the signed-in user, keeps them across a forced re-login, purges them on logout. A store
   * created without `env` or `name` uses the session's. @default none
   * @example
   * import { createDraftStore } from 'sessionkeeper/drafts';
   * createSession({ refresh, drafts: createDraftStore() });
   */
  drafts?: DraftStore;
  /**
   * DPoP (RFC 9449), from `createDpop()` of `sessionkeeper/dpop`: the tokens are bound to a
   * non-extractable key shared by the session's tabs, and every request the session sends with
   * the token, and every refresh and revocation, carries a fresh proof signed with it. The
   * login's code exchange is the app's: send it with `dpop.fetch`, or give the same instance to
   * `createOidc({ dpop })` of `sessionkeeper/oidc`, which signs it. @default none (bearer tokens)
   * @example
   * import { createDpop } from 'sessionkeeper/dpop';
   * const dpop = createDpop();
   * createSession({ refresh: { url: tokenUrl, clientId }, dpop });
   */
  dpop?: Dpop;
  /** Requests made while the session cannot supply a token. */
  queue?: QueueOptions;
  /** ky options for `session.http` (`prefix`, `timeout`, `retry`, `hooks`, …). */
  http?: KyOptions;
  /**
   * Which responses to a request that carried the token mean "the token was refused" (a 419, a
   * 403 whose body says so, a GraphQL 200 whose `errors[].extensions.code` is `UNAUTHENTICATED`):
   * each is handled like a 401 — one shared refresh, one replay, `expired` (`unauthorized`) when
   * the newest token is refused too, `BODY_NOT_REPLAYABLE` for a stream body. It is given a copy
   * (`response.clone()`), so the app still reads the original; look at the status and type before
   * reading a large body. Throwing counts as `false`. Not asked about `skipAuth`/`skipRefresh`
   * requests, other origins, or requests made while signed out.
   * @default `response.status === 401`, from the status alone (no copy, no body read, no await)
   * @example
   * isUnauthorized: async (response) =>
   *   response.status === 401 ||
   *   ((await response.json()).errors ?? []).some((e) => e.extensions?.code === 'UNAUTHENTICATED'),
   */
  isUnauthorized?: (response: Response) => boolean | Promise<boolean>;
  /** The only origins that receive the access token. @default the page origin and the `http.prefix` origin */
  authorizedOrigins?: readonly string[];
  /**
   * Revoke the refresh token on logout (and the access token with `revokeAccessToken: true`): a
   * URL, an endpoint, or a function given the tokens the logout cleared. @default none
   */
  logout?: string | URL | LogoutEndpoint | ((tokens: HeldTokens | null) => Promise<void>);
  /** Restore the session at start from token storage, else from an open tab. @default true */
  restore?: boolean;
  /** When nothing was restored, try one silent refresh (cookie mode). @default false */
  probe?: boolean;
  /** Absolute session lifetime from login, in ms, however active the user is. @default none */
  maxSessionMs?: number;
  /** Warn this long before the session ends for good, in ms. @default 300_000 */
  endWarningMs?: number;
  /** Who is signed in. @default the access token's `sub`, else the id token's `sub` */
  userId?: (claims: JwtClaims, response: unknown) => string | undefined;
  /** The environment (clock, timers, storage, channels, locks, fetch), for tests. */
  env?: Env;
}

export type SessionStatus =
  | 'initializing'
  | 'anonymous'
  | 'authenticated'
  | 'refreshing'
  | 'expired';

/** Why a session expired. In other tabs the event also carries `remote: true`. */
export type ExpireReason = 'refresh-rejected' | 'unauthorized' | 'idle' | 'max-age' | 'manual';

export interface SessionUser {
  /** The user id (`sub` by default); `null` when the token does not say who it is. */
  readonly id: string | null;
  readonly claims: JwtClaims;
}

export type { IdleState } from '../idle/types';

/** Immutable: a new object only when something changed. Times are epoch ms. */
export interface SessionSnapshot {
  readonly status: SessionStatus;
  /** The signed-in user; while `expired`, the last one (to say "sign in again as …"). */
  readonly user: SessionUser | null;
  readonly expiresAt: number | null;
  readonly refreshAt: number | null;
  /** When the session ends for good (refresh token expiry or `maxSessionMs`), when known. */
  readonly sessionEndsAt: number | null;
  readonly idle: { readonly state: IdleState; readonly deadline: number } | null;
  /** Requests (and `getAccessToken` calls) waiting for a refresh or held while expired. */
  readonly pendingRequests: number;
  readonly reason?: string | undefined;
  readonly lastError?: SessionError | undefined;
}

export type ErrorSource = 'storage' | 'drafts' | 'refresh' | 'channel' | 'idle' | 'logout' | 'dpop';

export interface SessionEventMap {
  login: { user: SessionUser; remote?: boolean };
  refresh: { expiresAt: number; remote?: boolean };
  'refresh-failed': { error: RefreshError; attempt: number; willRetry: boolean };
  expired: { reason: ExpireReason; remote?: boolean };
  logout: { user: SessionUser | null; remote?: boolean };
  'idle-prompt': { deadline: number; remainingMs: number };
  idle: Record<string, never>;
  active: Record<string, never>;
  'draft-saved': { key: string };
  'draft-restored': { key: string; fields: string[] };
  'session-ending': { endsAt: number; remainingMs: number };
  error: { error: SessionError; source: ErrorSource };
}

export type SessionEventType = keyof SessionEventMap;

/** Options of one `session.fetch` call, besides the standard `RequestInit`. */
export interface SessionRequestInit extends RequestInit {
  /** Send as is: no token, no waiting, no replay. ky: `context: { skipAuth: true }`. */
  skipAuth?: boolean;
  /**
   * Send the token, but hand a refused answer (a 401, or what `isUnauthorized` flags) straight
   * back: no refresh started, no replay, no expiry. Until it is sent it is an ordinary request:
   * it waits for a refresh in flight, is held while the session is expired, and goes without a
   * token while signed out. For a "who am I" probe or a server-side logout call. `skipAuth` wins
   * over it. ky: `context: { skipRefresh: true }`.
   * @default false
   */
  skipRefresh?: boolean;
}

/** A signed-in user's session: tokens, silent refresh, authorized requests, and its modules. */
export interface Session {
  /**
   * Take the app's login response (RFC 6749 §5.1 JSON, or whatever `parseTokens` reads).
   * @throws TokenResponseError when it cannot be used; nothing changes then.
   */
  login(raw: unknown): Promise<void>;
  /**
   * The user chose to leave: tokens cleared in every tab, the user's drafts discarded, held
   * requests rejected, the refresh token revoked when `logout` is set.
   */
  logout(): Promise<void>;
  /**
   * A forced re-login: tokens cleared in every tab (and after a reload, until someone signs in),
   * drafts kept, requests held for the same user. @default reason 'manual'
   */
  expire(reason?: ExpireReason): void;
  /**
   * Renew now, with a refresh sent after this call (never one already in flight).
   * @throws RefreshError of that attempt; SessionExpiredError while expired
   */
  refresh(): Promise<void>;
  /** A valid access token, waiting for a refresh (or a re-login) when needed. */
  getAccessToken(options?: { signal?: AbortSignal }): Promise<string>;
  /**
   * The ID token of the session held (OpenID Connect: the `id_token_hint` of a provider
   * sign-out), or `null` when none is held (signed out, expired, or the server sent none).
   */
  getIdToken(): string | null;
  /** The current state; immutable, a new object only when something changed. */
  getSnapshot(): SessionSnapshot;
  /** Called after every change of the snapshot; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** Typed events; returns the remover. */
  on<K extends SessionEventType>(type: K, handler: (event: SessionEventMap[K]) => void): () => void;
  /** A ky instance that sends the session's token to authorized origins (see `authorizedOrigins`). */
  readonly http: KyInstance;
  /** `fetch` with the session's token, waiting during a refresh and replaying a 401 once. */
  fetch(input: RequestInfo | URL, init?: SessionRequestInit): Promise<Response>;
  /** The idle timer given as the `idle` option, or `null`. */
  readonly idle: IdleTimer | null;
  /** The draft store given as the `drafts` option, or `null`. */
  readonly drafts: DraftStore | null;
  /** The DPoP module given as the `dpop` option, or `null`. */
  readonly dpop: Dpop | null;
  /**
   * Inside the warning window before the session's absolute end (`endWarningMs` before
   * `sessionEndsAt`): when it ends and the ms left, on the session's clock; otherwise `null`.
   * The `session-ending` event marks the start of the window.
   */
  sessionEnding(): SessionEnding | null;
  /** Remove every listener, timer and channel; everything rejects with `DESTROYED` afterwards. */
  destroy(): void;
}

/** The warning before the absolute end: when it ends and how long is left, in ms. */
export interface SessionEnding {
  readonly endsAt: number;
  readonly remainingMs: number;
}
