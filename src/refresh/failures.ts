import { RefreshError, SessionError } from '../lib/errors';

/**
 * What a failed refresh means: a rejection (the refresh credential is no good: the session ends,
 * a forced re-login) or a transient failure (a server error, the network: retried with backoff).
 */

/** An OAuth 2.0 error response (RFC 6749 §5.2): a JSON object with an `error` code. */
const isOAuthError = (body: unknown): boolean =>
  typeof (body as { error?: unknown } | null)?.error === 'string';

/**
 * How an error answer of the token endpoint is treated: a rejection ends the session, the rest is
 * retried. 400 and 401 are what a token endpoint answers when the refresh credential is no good
 * (RFC 6749 §5.2). A 403 is a rejection only with an OAuth error body: a proxy's or firewall's
 * 403 page says nothing about the credential, so it is retried like a server error.
 */
export function classifyStatus(status: number, body?: unknown): 'rejected' | 'server' {
  if (status === 400 || status === 401) return 'rejected';
  if (status === 403 && isOAuthError(body)) return 'rejected';
  return 'server';
}

/** `Retry-After` (seconds or an HTTP date) in ms from now. */
export const retryAfterMs = (header: string | null, now: number): number | undefined => {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
};

/** Turn whatever a refresh threw into a {@link RefreshError}. */
export function toRefreshError(error: unknown): RefreshError {
  if (error instanceof RefreshError) return error;
  if (error instanceof SessionError)
    return new RefreshError('server', { cause: error, message: error.message });
  // ky's HTTPError: the response, and its body already parsed as `data`.
  const { response, data } = (error ?? {}) as { response?: { status?: unknown }; data?: unknown };
  const status = response?.status;
  if (typeof status === 'number') {
    return new RefreshError(classifyStatus(status, data), { status, cause: error });
  }
  return new RefreshError('network', { cause: error });
}
