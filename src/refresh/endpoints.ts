import type { RequestSigner, SignTarget } from '../core/modules';
import type {
  HeldTokens,
  LogoutEndpoint,
  RefreshEndpoint,
  RefreshFn,
  SessionOptions,
} from '../core/types';
import type { RuntimeEnv } from '../lib/env';
import { RefreshError, SessionError } from '../lib/errors';
import type { TokenSet } from '../tokens/token-set';
import { deadline, whenAborted } from './deadline';
import { classifyStatus, retryAfterMs } from './failures';

/** A refresh request that has not answered after this long is a network failure (retried). */
export const REFRESH_TIMEOUT_MS = 10_000;

/** A refresh: the token set it renews (none in a start-up probe) → the raw token response. */
export type Refresher = (
  renews: Pick<TokenSet, 'refreshToken' | 'idToken' | 'userId'> | null,
  signal: AbortSignal,
) => Promise<unknown>;

/** The session's request signer (DPoP), if any, asked at each request (a module sets it later). */
export type SignerSource = () => RequestSigner | null;

const noSigner: SignerSource = () => null;

/**
 * `send` the POST to `url`: by the signer (which adds its headers; it is given the absolute
 * URL), or as it is.
 */
const post = (
  env: RuntimeEnv,
  signer: RequestSigner | null,
  kind: SignTarget['kind'],
  url: string,
  send: (headers: Record<string, string>) => Promise<Response>,
) => {
  if (!signer) return send({});
  const absolute = new URL(url, env.window()?.location?.href).href;
  return signer.send({ kind, method: 'POST', url: absolute }, send);
};

/**
 * `run` under a {@link deadline}: a refresh that takes longer than `ms` is a network failure, and
 * one whose session ended (the outer signal) is over at once, even when a custom refresh
 * function ignores its signal.
 */
const withTimeout =
  (env: RuntimeEnv, ms: number, run: RefreshFn): Refresher =>
  async (renews, outer) => {
    const { signal, done } = deadline(env, ms, outer, `Refresh timed out after ${ms} ms`);
    const attempt = run({
      refreshToken: renews?.refreshToken,
      idToken: renews?.idToken,
      userId: renews?.userId,
      signal,
    });
    // Settling after the race was lost is no error of anyone's.
    attempt.catch(() => {});
    try {
      return await Promise.race([attempt, whenAborted(signal)]);
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
function endpointRefresh(
  endpoint: RefreshEndpoint,
  env: RuntimeEnv,
  signer: SignerSource,
): RefreshFn {
  const url = String(endpoint.url);
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
    const response = await post(env, signer(), 'refresh', url, (signed) =>
      fetch(url, {
        ...init,
        headers: {
          Accept: 'application/json',
          ...(hasBody ? FORM : {}),
          ...endpoint.headers,
          ...signed,
        },
        ...(hasBody ? { body } : {}),
        signal,
        cache: 'no-store',
      }),
    );
    const text = await response.text();
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON: the text itself is the answer (parseTokens decides).
    }
    const oauthError = (data as { error?: unknown } | null)?.error;
    if (!response.ok || oauthError === 'invalid_grant') {
      const kind =
        oauthError === 'invalid_grant' ? 'rejected' : classifyStatus(response.status, data);
      throw new RefreshError(kind, {
        status: response.status,
        cause: typeof oauthError === 'string' ? oauthError : undefined,
        retryAfterMs: retryAfterMs(response.headers.get('Retry-After'), env.now()),
      });
    }
    return data;
  };
}

/**
 * The refresh (with its timeout) from the `refresh` option; an endpoint's POST is sent by the
 * session's `signer` when it has one (a refresh function signs its own: `dpop.fetch`).
 */
export function createRefresher(
  option: SessionOptions['refresh'],
  env: RuntimeEnv,
  signer = noSigner,
): Refresher {
  if (typeof option === 'function') return withTimeout(env, REFRESH_TIMEOUT_MS, option);
  const endpoint = toEndpoint<RefreshEndpoint>(option);
  const refresh = endpointRefresh(endpoint, env, signer);
  return withTimeout(env, endpoint.timeoutMs ?? REFRESH_TIMEOUT_MS, refresh);
}

/**
 * The logout call from the `logout` option: best effort, RFC 7009 `token=<refresh token>` when
 * one is held, and `token=<access token>` as well with `revokeAccessToken`. It never throws:
 * each failed call is `report`ed once, as a `LOGOUT_FAILED` error.
 */
export function createLogoutCall(
  option: SessionOptions['logout'],
  env: RuntimeEnv,
  report: (error: SessionError) => void,
  signer = noSigner,
): ((tokens: HeldTokens | null) => Promise<void>) | null {
  if (!option) return null;
  const failed = (cause: unknown) =>
    report(
      cause instanceof SessionError
        ? cause
        : new SessionError('LOGOUT_FAILED', 'Logout failed', { cause }),
    );
  if (typeof option === 'function') {
    // Only the tokens themselves: the session's bookkeeping (stamps, claims) is none of its business.
    return (tokens) =>
      option(
        tokens && {
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken,
          idToken: tokens.idToken,
        },
      ).catch(failed);
  }
  const endpoint = toEndpoint<LogoutEndpoint>(option);
  const url = String(endpoint.url);
  const revoke = async (
    fetch: typeof globalThis.fetch,
    token: string | undefined,
    hint: string,
  ) => {
    const response = await post(env, signer(), 'revocation', url, (signed) =>
      fetch(url, {
        ...form(endpoint, token, { token: token ?? '', token_type_hint: hint }),
        headers: { ...FORM, ...endpoint.headers, ...signed },
        keepalive: true,
      }),
    );
    if (!response.ok) {
      throw new SessionError(
        'LOGOUT_FAILED',
        `Logout endpoint answered ${response.status} (${hint})`,
      );
    }
  };
  return async (tokens) => {
    const fetch = env.fetch();
    if (!fetch) return failed(new SessionError('LOGOUT_FAILED', 'fetch is not available'));
    const calls = [revoke(fetch, tokens?.refreshToken, 'refresh_token')];
    if (endpoint.revokeAccessToken && tokens) {
      calls.push(revoke(fetch, tokens.accessToken, 'access_token'));
    }
    for (const result of await Promise.allSettled(calls)) {
      if (result.status === 'rejected') failed(result.reason);
    }
  };
}
