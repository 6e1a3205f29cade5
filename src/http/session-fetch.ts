import { SessionError } from '../errors';
import type { SessionContext } from '../session-context';
import type { TokenSet } from '../tokens';
import type { SessionRequestInit } from '../types';
import { createOriginCheck } from './origins';
import { toReplayable } from './replayable';

/** Set by `session.http` when a request has `context: { skipAuth: true }`; removed before sending. */
export const SKIP_AUTH_HEADER = 'x-sessionkeeper-skip-auth';

const bearer = (tokens: TokenSet | null) => (tokens ? `Bearer ${tokens.accessToken}` : null);

function signalOf(input: RequestInfo | URL, init: RequestInit): AbortSignal | undefined {
  return init.signal ?? (input instanceof Request ? input.signal : undefined);
}

function withoutSkipHeader(
  input: RequestInfo | URL,
  init: RequestInit,
): [RequestInfo | URL, RequestInit] {
  const headers = new Headers(
    init.headers ?? (input instanceof Request ? input.headers : undefined),
  );
  headers.delete(SKIP_AUTH_HEADER);
  return [input, { ...init, headers }];
}

/**
 * `session.fetch`: fetch with the session's token. It waits while a refresh is in flight, holds
 * requests while the session is expired, and answers a 401 with one shared refresh and one
 * replay. Requests to other origins, and `skipAuth` requests, go out untouched.
 */
export function createSessionFetch(ctx: SessionContext) {
  const origins = createOriginCheck(ctx.options, ctx.env);
  const rawFetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const fetch = ctx.env.fetch();
    if (!fetch) throw new SessionError('REFRESH_NETWORK', 'fetch is not available');
    return fetch(input, init);
  };

  return async function sessionFetch(
    input: RequestInfo | URL,
    init: SessionRequestInit = {},
  ): Promise<Response> {
    if (ctx.isDestroyed()) throw new SessionError('DESTROYED', 'The session was destroyed');
    const { skipAuth, ...requestInit } = init;
    const marked =
      input instanceof Request
        ? input.headers.has(SKIP_AUTH_HEADER)
        : new Headers(requestInit.headers).has(SKIP_AUTH_HEADER);
    if (marked) return rawFetch(...withoutSkipHeader(input, requestInit));
    if (skipAuth) return rawFetch(input, requestInit);
    const url = origins.resolve(input instanceof Request ? input.url : input);
    if (!origins.isAuthorized(url)) return rawFetch(input, requestInit);

    const signal = signalOf(input, requestInit);
    const request = await toReplayable(input, requestInit, String(url));
    let tokens = await ctx.acquire(signal);
    let replayedAfterRefresh = false;
    for (;;) {
      const sent = tokens;
      const response = await rawFetch(request.build(bearer(sent)));
      if (response.status !== 401 || !sent) return response;
      if (!request.replayable) {
        ctx.renewAfter401(sent.accessToken).catch(() => {});
        throw new SessionError(
          'BODY_NOT_REPLAYABLE',
          'Got 401 and the request body is a stream that cannot be replayed',
          {
            cause: response,
          },
        );
      }
      const current = ctx.state.get().tokens;
      if (replayedAfterRefresh && current?.accessToken === sent.accessToken) {
        // The newest token was refused too: a refresh cannot help, the user must sign in again.
        // The request is held with the others and goes out after the same user signs in.
        ctx.expire('unauthorized');
        replayedAfterRefresh = false;
        tokens = await ctx.acquire(signal);
        continue;
      }
      replayedAfterRefresh = true;
      await response.body?.cancel().catch(() => {});
      tokens = await ctx.renewAfter401(sent.accessToken, signal);
    }
  };
}

export type SessionFetch = ReturnType<typeof createSessionFetch>;
