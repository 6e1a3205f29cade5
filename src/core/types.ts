import type { KyInstance, Options as KyOptions } from 'ky';
import type { Env, StorageLike } from '../lib/env';
import type { RefreshError, SessionError } from '../lib/errors';
import type { IdleTimerOptions } from '../idle/types';
import type { JwtClaims } from '../tokens/jwt';
import type { TokenInput } from '../tokens/token-set';

export type { Env, StorageLike } from '../lib/env';
export type { JwtClaims } from '../tokens/jwt';
export type { TokenInput } from '../tokens/token-set';

/** What the refresh function is given. */
export interface RefreshContext {
  /** The refresh token held, if any (none in cookie mode). */
  refreshToken?: string | undefined;
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
}

export type TokenStorageOption = 'memory' | 'session' | 'local' | StorageLike;

export interface CrossTabOptions {
  /**
   * Namespaces the channel, the lock and every storage key, so two sessions on one origin never mix.
   * @default 'sessionkeeper'
   */
  name?: string;
}

/** The session's idle timer: the standalone timer's options plus what the session does on idle. */
export interface IdleOptions extends Omit<IdleTimerOptions, 'crossTab' | 'env'> {
  /**
   * What the session does when the user is idle: `'expire'` (a forced re-login that keeps drafts
   * and holds requests), `'logout'`, or your own function (the timer stops either way).
   * @default 'expire'
   */
  onIdle?: 'expire' | 'logout' | (() => void);
}

export interface DraftOptions {
  /** Where drafts live. @default 'local' */
  storage?: 'local' | 'session' | StorageLike;
  /** How long a draft is kept, in ms. @default 86_400_000 (24 h) */
  ttlMs?: number;
  /** Fields never stored, besides passwords, files, hidden, `cc-*` and `one-time-code` fields. */
  exclude?: string | ((field: Element) => boolean);
  /** Restore on attach (`'auto'`) or only when the app calls `restore(key)`. @default 'auto' */
  restore?: 'auto' | 'manual';
  /** Keep other users' drafts when a different user signs in. @default false */
  keepOtherUsers?: boolean;
  /** Save this long after the last change, in ms. @default 300 */
  debounceMs?: number;
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
  /** The idle timer. `true` = 15 min timeout with a 60 s prompt. @default false */
  idle?: boolean | IdleOptions;
  /** Form drafts. @default { storage: 'local', ttlMs: 86_400_000 } */
  drafts?: false | DraftOptions;
  /** Requests made while the session cannot supply a token. */
  queue?: QueueOptions;
  /** ky options for `session.http` (`prefix`, `timeout`, `retry`, `hooks`, …). */
  http?: KyOptions;
  /** The only origins that receive the access token. @default the page origin and the `http.prefix` origin */
  authorizedOrigins?: readonly string[];
  /** Revoke the refresh token on logout: a URL, an endpoint or a function. @default none */
  logout?: string | URL | LogoutEndpoint | (() => Promise<void>);
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

export type IdleState = 'active' | 'prompted' | 'idle';

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

export type ErrorSource = 'storage' | 'drafts' | 'refresh' | 'channel' | 'idle' | 'logout';

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
  /** Send as is: no token, no waiting, no replay. */
  skipAuth?: boolean;
}

export interface SessionCoreApi {
  login(raw: unknown): Promise<void>;
  logout(): Promise<void>;
  expire(reason?: ExpireReason): void;
  refresh(): Promise<void>;
  getAccessToken(options?: { signal?: AbortSignal }): Promise<string>;
  getSnapshot(): SessionSnapshot;
  subscribe(listener: () => void): () => void;
  on<K extends SessionEventType>(type: K, handler: (event: SessionEventMap[K]) => void): () => void;
  destroy(): void;
}

export type { KyInstance };
