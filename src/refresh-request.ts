import type { RuntimeEnv } from './env';
import { RefreshError, SessionError } from './errors';
import type {
  LogoutEndpoint,
  RefreshContext,
  RefreshEndpoint,
  RefreshFn,
  SessionOptions,
} from './types';

/** A refresh request that has not answered after this long is a network failure (retried). */
export const REFRESH_TIMEOUT_MS = 10_000;

/** How a status of the refresh endpoint is treated: a rejection ends the session, the rest is retried. */
export function classifyStatus(status: number): 'rejected' | 'server' {
  return status === 400 || status === 401 || status === 403 ? 'rejected' : 'server';
}

function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

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

/** Run `task` with a signal that aborts after `ms` or when `outer` aborts; a timeout is a network error. */
export async function withTimeout<T>(
  env: RuntimeEnv,
  ms: number,
  outer: AbortSignal,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const abort = () => controller.abort(outer.reason);
  outer.addEventListener('abort', abort, { once: true });
  let timer: unknown;
  const timeout = new Promise<never>((_, reject) => {
    timer = env.setTimeout(() => {
      const error = new RefreshError('network', {
        message: `Token refresh timed out after ${ms} ms`,
      });
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    // The race covers a custom refresh function that ignores its signal.
    return await Promise.race([task(controller.signal), timeout]);
  } finally {
    env.clearTimeout(timer);
    outer.removeEventListener('abort', abort);
  }
}

const toEndpoint = <T extends { url: string | URL }>(option: string | URL | T): T =>
  (typeof option === 'string' || option instanceof URL ? { url: option } : option) as T;

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** POST an RFC 6749 §6 refresh to a token endpoint and return its raw JSON. */
function endpointRefresh(endpoint: RefreshEndpoint, env: RuntimeEnv): RefreshFn {
  return async ({ refreshToken, signal }: RefreshContext) => {
    const fetch = env.fetch();
    if (!fetch) throw new RefreshError('network', { message: 'fetch is not available' });
    const body = new URLSearchParams();
    if (refreshToken) {
      body.set('grant_type', 'refresh_token');
      body.set('refresh_token', refreshToken);
    }
    if (endpoint.clientId) body.set('client_id', endpoint.clientId);
    for (const [name, value] of Object.entries(endpoint.params ?? {})) body.set(name, value);
    const hasBody = [...body.keys()].length > 0;
    const response = await fetch(String(endpoint.url), {
      method: 'POST',
      // Cookie mode (no refresh token in JS): the credential is an httpOnly cookie.
      credentials: endpoint.credentials ?? (refreshToken ? 'same-origin' : 'include'),
      headers: {
        Accept: 'application/json',
        ...(hasBody ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        ...endpoint.headers,
      },
      ...(hasBody ? { body } : {}),
      signal,
      cache: 'no-store',
    });
    const data = await readBody(response);
    const oauthError = (data as { error?: unknown } | null)?.error;
    if (!response.ok || oauthError === 'invalid_grant') {
      const kind = oauthError === 'invalid_grant' ? 'rejected' : classifyStatus(response.status);
      throw new RefreshError(kind, {
        status: response.status,
        cause: typeof oauthError === 'string' ? oauthError : undefined,
        ...optional('retryAfterMs', retryAfterMs(response.headers.get('Retry-After'), env.now())),
      });
    }
    return data;
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The refresh function and its timeout, from the `refresh` option. */
export function createRefresher(
  option: SessionOptions['refresh'],
  env: RuntimeEnv,
): { run: RefreshFn; timeoutMs: number } {
  if (typeof option === 'function') return { run: option, timeoutMs: REFRESH_TIMEOUT_MS };
  const endpoint = toEndpoint<RefreshEndpoint>(option);
  return {
    run: endpointRefresh(endpoint, env),
    timeoutMs: endpoint.timeoutMs ?? REFRESH_TIMEOUT_MS,
  };
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
    if (!fetch) throw new SessionError('REFRESH_NETWORK', 'fetch is not available');
    const body = new URLSearchParams();
    if (refreshToken) {
      body.set('token', refreshToken);
      body.set('token_type_hint', 'refresh_token');
    }
    if (endpoint.clientId) body.set('client_id', endpoint.clientId);
    const response = await fetch(String(endpoint.url), {
      method: 'POST',
      credentials: endpoint.credentials ?? (refreshToken ? 'same-origin' : 'include'),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...endpoint.headers },
      body,
      keepalive: true,
    });
    if (!response.ok)
      throw new SessionError('LOGOUT_FAILED', `Logout endpoint answered ${response.status}`);
  };
}
