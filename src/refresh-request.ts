import type { RuntimeEnv } from './env';
import { RefreshError, SessionError } from './errors';
import type { LogoutEndpoint, RefreshEndpoint, RefreshFn, SessionOptions } from './types';

/** A refresh request that has not answered after this long is a network failure (retried). */
export const REFRESH_TIMEOUT_MS = 10_000;

/** A refresh: the refresh token held (none in cookie mode) → the raw token response. */
export type Refresher = (refreshToken: string | undefined, signal: AbortSignal) => Promise<unknown>;

/** How a status of the refresh endpoint is treated: a rejection ends the session, the rest is retried. */
export function classifyStatus(status: number): 'rejected' | 'server' {
  return status === 400 || status === 401 || status === 403 ? 'rejected' : 'server';
}

/** `Retry-After` (seconds or an HTTP date) in ms from now. */
const retryAfterMs = (header: string | null, now: number): number | undefined => {
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
  const status = (error as { response?: { status?: unknown } } | null)?.response?.status;
  if (typeof status === 'number')
    return new RefreshError(classifyStatus(status), { status, cause: error });
  return new RefreshError('network', { cause: error });
}

/**
 * A signal that aborts with `outer`'s reason, or after `ms` with a network {@link RefreshError}
 * saying `message` (also handed to `onTimeout`); `done()` removes the timer and the listener.
 */
export const deadline = (
  env: RuntimeEnv,
  ms: number,
  outer: AbortSignal,
  message: string,
  onTimeout?: (error: RefreshError) => void,
) => {
  const controller = new AbortController();
  const abort = () => controller.abort(outer.reason);
  outer.addEventListener('abort', abort, { once: true });
  const timer = env.setTimeout(() => {
    const error = new RefreshError('network', { message });
    controller.abort(error);
    onTimeout?.(error);
  }, ms);
  return {
    signal: controller.signal,
    done() {
      env.clearTimeout(timer);
      outer.removeEventListener('abort', abort);
    },
  };
};

/** `run` under a {@link deadline}: a refresh that takes longer than `ms` is a network failure. */
const withTimeout =
  (env: RuntimeEnv, ms: number, run: RefreshFn): Refresher =>
  async (refreshToken, outer) => {
    let timedOut = (_: RefreshError) => {};
    const timeout = new Promise<never>((_, reject) => {
      timedOut = reject;
    });
    const { signal, done } = deadline(env, ms, outer, `Refresh timed out after ${ms} ms`, (e) =>
      timedOut(e),
    );
    try {
      // The race covers a custom refresh function that ignores its signal.
      return await Promise.race([run({ refreshToken, signal }), timeout]);
    } finally {
      done();
    }
  };

const toEndpoint = <T extends { url: string | URL }>(option: string | URL | T): T =>
  (typeof option === 'string' || option instanceof URL ? { url: option } : option) as T;

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/**
 * A POST to `endpoint`: `fields` (when a token is held), `client_id`, then `params` in the form;
 * without a token in JS (cookie mode) the httpOnly cookie is the credential.
 */
const form = (
  endpoint: LogoutEndpoint,
  token: string | undefined,
  fields: Record<string, string>,
  params?: Record<string, string>,
) => {
  const body = new URLSearchParams(token ? fields : {});
  if (endpoint.clientId) body.set('client_id', endpoint.clientId);
  for (const [name, value] of Object.entries(params ?? {})) body.set(name, value);
  return {
    body,
    credentials: endpoint.credentials ?? (token ? 'same-origin' : 'include'),
    method: 'POST',
  } satisfies RequestInit;
};

/** POST an RFC 6749 §6 refresh to a token endpoint and return its raw JSON. */
function endpointRefresh(endpoint: RefreshEndpoint, env: RuntimeEnv): RefreshFn {
  return async ({ refreshToken, signal }) => {
    const fetch = env.fetch();
    if (!fetch) throw new RefreshError('network', { message: 'fetch is not available' });
    const { body, ...init } = form(
      endpoint,
      refreshToken,
      { grant_type: 'refresh_token', refresh_token: refreshToken ?? '' },
      endpoint.params,
    );
    const hasBody = String(body) !== '';
    const response = await fetch(String(endpoint.url), {
      ...init,
      headers: { Accept: 'application/json', ...(hasBody ? FORM : {}), ...endpoint.headers },
      ...(hasBody ? { body } : {}),
      signal,
      cache: 'no-store',
    });
    const text = await response.text();
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON: the text itself is the answer (parseTokens decides).
    }
    const oauthError = (data as { error?: unknown } | null)?.error;
    if (!response.ok || oauthError === 'invalid_grant') {
      const kind = oauthError === 'invalid_grant' ? 'rejected' : classifyStatus(response.status);
      throw new RefreshError(kind, {
        status: response.status,
        cause: typeof oauthError === 'string' ? oauthError : undefined,
        retryAfterMs: retryAfterMs(response.headers.get('Retry-After'), env.now()),
      });
    }
    return data;
  };
}

/** The refresh (with its timeout) from the `refresh` option. */
export function createRefresher(option: SessionOptions['refresh'], env: RuntimeEnv): Refresher {
  if (typeof option === 'function') return withTimeout(env, REFRESH_TIMEOUT_MS, option);
  const endpoint = toEndpoint<RefreshEndpoint>(option);
  return withTimeout(env, endpoint.timeoutMs ?? REFRESH_TIMEOUT_MS, endpointRefresh(endpoint, env));
}

/** The logout call from the `logout` option: best effort, RFC 7009 `token=` when one is held. */
export function createLogoutCall(
  option: SessionOptions['logout'],
  env: RuntimeEnv,
): ((refreshToken: string | undefined) => Promise<void>) | null {
  if (!option) return null;
  if (typeof option === 'function') return () => option();
  const endpoint = toEndpoint<LogoutEndpoint>(option);
  return async (refreshToken) => {
    const fetch = env.fetch();
    if (!fetch) throw new SessionError('LOGOUT_FAILED', 'fetch is not available');
    const response = await fetch(String(endpoint.url), {
      ...form(endpoint, refreshToken, {
        token: refreshToken ?? '',
        token_type_hint: 'refresh_token',
      }),
      headers: { ...FORM, ...endpoint.headers },
      keepalive: true,
    });
    if (!response.ok)
      throw new SessionError('LOGOUT_FAILED', `Logout endpoint answered ${response.status}`);
  };
}
