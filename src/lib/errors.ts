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
  | 'CHANNEL_UNAVAILABLE';

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
