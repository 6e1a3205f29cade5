/**
 * Every error sessionkeeper throws, rejects with or reports in an `error` event is a
 * {@link SessionError} with a stable `code`: branch on the code, not on the message.
 */
export type ErrorCode =
  | 'TOKEN_RESPONSE_INVALID'
  | 'REFRESH_NETWORK'
  | 'REFRESH_REJECTED'
  | 'REFRESH_SERVER'
  | 'SESSION_EXPIRED'
  | 'QUEUE_FULL'
  | 'NOT_AUTHENTICATED'
  | 'DESTROYED'
  | 'STORAGE_UNAVAILABLE'
  | 'USER_ID_MISSING'
  | 'BODY_NOT_REPLAYABLE'
  | 'LOGOUT_FAILED'
  | 'CHANNEL_UNAVAILABLE'
  | OidcErrorCode
  | DpopErrorCode;

/**
 * The codes of DPoP (`sessionkeeper/dpop`; the first also without it):
 * - `DPOP_TOKEN_TYPE`: a token response's `token_type` is `DPoP` while the session has no DPoP
 *   module, or not `DPoP` (`Bearer`: the server did not bind the token) while it has one. The
 *   tokens are refused: `login()` rejects, a refresh fails as `rejected`; an `error` event.
 * - `DPOP_KEY_MISSING`: the key the session's tokens are bound to is gone (a logout in another
 *   tab, site data cleared): its requests cannot be signed; its refresh fails as `rejected`.
 * - `DPOP_UNAVAILABLE`: WebCrypto (ES256) is not available (an `http:` page that is not
 *   localhost: `crypto.subtle` needs a secure context).
 * - `DPOP_SIGN_FAILED`: a proof could not be made (the key could not be read, WebCrypto failed):
 *   the request rejects with it; a refresh fails as `rejected`, with an `error` event.
 * - `DPOP_KEY_NOT_PERSISTED` (an `error` event): IndexedDB is not available, the key lives in
 *   this tab's memory: a reload needs a new sign-in, and other tabs cannot sign.
 */
export type DpopErrorCode =
  | 'DPOP_TOKEN_TYPE'
  | 'DPOP_KEY_MISSING'
  | 'DPOP_UNAVAILABLE'
  | 'DPOP_SIGN_FAILED'
  | 'DPOP_KEY_NOT_PERSISTED';

/**
 * The codes of `sessionkeeper/oidc` (an `OidcError`, which is a `SessionError`):
 * - `OIDC_DISCOVERY_FAILED`: the issuer's `/.well-known/openid-configuration` could not be read
 *   or names another issuer.
 * - `OIDC_NETWORK`: the token endpoint did not answer.
 * - `OIDC_ACCESS_DENIED`: the user (or a policy) declined (`error=access_denied`).
 * - `OIDC_INTERACTION_REQUIRED`: the server needs the user (`login_required`,
 *   `interaction_required`, `consent_required`, `account_selection_required`).
 * - `OIDC_AUTHORIZATION_ERROR`: any other error the authorization server sent back.
 * - `OIDC_ISSUER_MISMATCH`: the callback's `iss` is not the issuer's.
 * - `OIDC_STATE_MISMATCH`: the callback's `state` is not the one this sign-in sent.
 * - `OIDC_TRANSACTION_MISSING`: no sign-in of this tab waits for this callback (started in
 *   another tab or browser, or its PKCE verifier is gone).
 * - `OIDC_CALLBACK_USED`: this callback was handled already (a reload of the callback page).
 * - `OIDC_NOT_A_CALLBACK`: the URL carries no authorization response.
 * - `OIDC_TOKEN_ERROR`: the token endpoint refused the code (`invalid_grant`, …).
 * - `OIDC_ID_TOKEN_INVALID`: the ID token failed validation (`iss`, `aud`, `exp`, `nonce`, …).
 * - `OIDC_INVALID_RESPONSE`: another answer that does not follow the protocol.
 * - `OIDC_POPUP_BLOCKED`, `OIDC_POPUP_CLOSED`, `OIDC_POPUP_TIMEOUT`: the popup could not open,
 *   was closed by the user, or took too long.
 * - `OIDC_END_SESSION_UNSUPPORTED`: the provider has no `end_session_endpoint`.
 */
export type OidcErrorCode =
  | 'OIDC_DISCOVERY_FAILED'
  | 'OIDC_NETWORK'
  | 'OIDC_ACCESS_DENIED'
  | 'OIDC_INTERACTION_REQUIRED'
  | 'OIDC_AUTHORIZATION_ERROR'
  | 'OIDC_ISSUER_MISMATCH'
  | 'OIDC_STATE_MISMATCH'
  | 'OIDC_TRANSACTION_MISSING'
  | 'OIDC_CALLBACK_USED'
  | 'OIDC_NOT_A_CALLBACK'
  | 'OIDC_TOKEN_ERROR'
  | 'OIDC_ID_TOKEN_INVALID'
  | 'OIDC_INVALID_RESPONSE'
  | 'OIDC_POPUP_BLOCKED'
  | 'OIDC_POPUP_CLOSED'
  | 'OIDC_POPUP_TIMEOUT'
  | 'OIDC_END_SESSION_UNSUPPORTED';

// Fields assigned in the constructor are `declare`d: a class field would only add a second
// definition of the same property.

/** The base class of every sessionkeeper error. */
export class SessionError extends Error {
  override name: string = 'SessionError';
  declare readonly code: ErrorCode | (string & {});

  constructor(code: ErrorCode | (string & {}), message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** What everything rejects with after `destroy()`. */
export const destroyedError = () => new SessionError('DESTROYED', 'The session was destroyed');

/** A validation issue of a token response (the shape of a zod issue). */
export interface TokenIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * Thrown by `login()` and by a refresh when the token response cannot be used: not JSON,
 * no access token, no determinable expiry, a non-positive or absurd `expires_in`.
 * Nothing in the session changes when it is thrown.
 */
export class TokenResponseError extends SessionError {
  override name = 'TokenResponseError' as const;
  declare readonly code: 'TOKEN_RESPONSE_INVALID';
  /** What is wrong with the response, one entry per problem. */
  declare readonly issues: readonly TokenIssue[];

  constructor(issues: readonly TokenIssue[], options?: { cause?: unknown }) {
    const summary = issues.map((i) => `${i.path.join('.') || '(response)'}: ${i.message}`);
    super('TOKEN_RESPONSE_INVALID', `Invalid token response: ${summary.join('; ')}`, options);
    this.issues = issues;
  }
}

/**
 * Why a refresh failed:
 * - `network`: no answer (offline, DNS, CORS, timeout). Retried with backoff; the session stays.
 * - `server`: 5xx or 429. Retried with backoff; the session stays.
 * - `rejected`: 400, 401, 403 or `invalid_grant`: the refresh credential is no longer valid;
 *   the session expires with reason `refresh-rejected`.
 */
export type RefreshErrorKind = 'network' | 'rejected' | 'server';

const REFRESH_CODES = {
  network: 'REFRESH_NETWORK',
  rejected: 'REFRESH_REJECTED',
  server: 'REFRESH_SERVER',
} as const satisfies Record<RefreshErrorKind, ErrorCode>;

/**
 * A failed refresh. Throw one from a custom `refresh` function to say how it failed:
 * @example
 * throw new RefreshError('rejected', { status: 400 })
 */
export class RefreshError extends SessionError {
  override name = 'RefreshError' as const;
  declare readonly kind: RefreshErrorKind;
  /** The HTTP status of the refresh response, when there was one. */
  declare readonly status: number | undefined;
  /** How long the server asked us to wait (`Retry-After`), in ms, when it said. */
  declare readonly retryAfterMs: number | undefined;

  constructor(
    kind: RefreshErrorKind,
    options: {
      status?: number;
      cause?: unknown;
      retryAfterMs?: number | undefined;
      message?: string;
    } = {},
  ) {
    const status = options.status === undefined ? '' : ` (HTTP ${options.status})`;
    super(REFRESH_CODES[kind], options.message ?? `Token refresh failed: ${kind}${status}`, {
      cause: options.cause,
    });
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * A request or `getAccessToken()` call that cannot go on because the session ended:
 * it was held past `queue.holdTimeoutMs`, another user signed in, the user signed out, or the
 * queue is set to reject while expired. `reason` says which.
 */
export class SessionExpiredError extends SessionError {
  override name = 'SessionExpiredError' as const;
  declare readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super('SESSION_EXPIRED', `The session has ended (${reason})`, options);
    this.reason = reason;
  }
}

/** A request made while the session is expired and `queue.maxSize` requests are already held. */
export class QueueFullError extends SessionError {
  override name = 'QueueFullError' as const;
  declare readonly maxSize: number;

  constructor(maxSize: number) {
    super('QUEUE_FULL', `The request queue is full (${maxSize} requests held)`);
    this.maxSize = maxSize;
  }
}

const ERROR_NAMES = new Set([
  'SessionError',
  'TokenResponseError',
  'RefreshError',
  'SessionExpiredError',
  'QueueFullError',
]);

/**
 * Is `error` a sessionkeeper error (optionally with this `code`)? Also recognises one from
 * another realm (an iframe, a second copy of the package) by its `name` and `code`, as
 * `instanceof` cannot.
 * @example
 * if (isSessionError(error, 'SESSION_EXPIRED')) showSignIn();
 */
export function isSessionError(error: unknown, code?: ErrorCode): error is SessionError {
  const candidate = error as { name?: unknown; code?: unknown } | null;
  const isOurs =
    error instanceof SessionError ||
    (typeof candidate === 'object' &&
      candidate !== null &&
      ERROR_NAMES.has(candidate.name as string) &&
      typeof candidate.code === 'string');
  return isOurs && (code === undefined || candidate?.code === code);
}
