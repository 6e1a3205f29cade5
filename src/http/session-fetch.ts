import { SessionError, SessionExpiredError } from '../errors';
import type { SessionContext } from '../session-context';
import type { TokenSet } from '../tokens';
import type { SessionRequestInit } from '../types';
import { createOriginCheck } from './origins';
import { bodiless, type ReplayableRequest, toReplayable } from './replayable';

/** Set by `skipAuthHook` for `context: { skipAuth: true }`; removed before sending. */
export const SKIP_AUTH_HEADER = 'x-sessionkeeper-skip-auth';

const bearer = (tokens: TokenSet) => `Bearer ${tokens.accessToken}`;

/** Whether the request carries the skip-auth mark (`init.headers` replace a Request's own). */
function isMarked(input: RequestInfo | URL, init: RequestInit): boolean {
  if (init.headers) return new Headers(init.headers).has(SKIP_AUTH_HEADER);
  return input instanceof Request && input.headers.has(SKIP_AUTH_HEADER);
}

function withoutMark(
  input: RequestInfo | URL,
  init: RequestInit,
): [RequestInfo | URL, RequestInit] {
  const headers = new Headers(
    init.headers ?? (input instanceof Request ? input.headers : undefined),
  );
  headers.delete(SKIP_AUTH_HEADER);
  return [input, { ...init, headers }];
}

function signalOf(input: RequestInfo | URL, init: RequestInit): AbortSignal | undefined {
  return init.signal ?? (input instanceof Request ? input.signal : undefined);
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
    if (!fetch) throw new TypeError('fetch is not available in this environment');
    return fetch(input, init);
  };
  // Counts sign-ins and sign-outs. A request is replayed across one only for the same, known
  // user: a response that arrives after someone else signed in must not be retried with their
  // token (nor, after a logout, without one).
  let era = 0;
  const nextEra = () => {
    era++;
  };
  ctx.internal.on('signed-in', nextEra);
  ctx.internal.on('signed-out', nextEra);

  async function send(request: ReplayableRequest, signal: AbortSignal | undefined) {
    let tokens = await ctx.acquire(signal);
    // Signed out: sent without a token, and whatever the server answers is the answer.
    if (!tokens) return rawFetch(...request.build(null));
    const owner = { userId: tokens.userId, era };
    let replayedAfterRefresh = false;
    for (;;) {
      const sent: TokenSet = tokens;
      const response = await rawFetch(...request.build(bearer(sent)));
      if (response.status !== 401) return response;
      if (!request.replayable) {
        // Start the refresh (so the app's retry gets a fresh token) without waiting for it.
        ctx.renewAfter401(sent.accessToken, AbortSignal.abort()).catch(() => {});
        throw new SessionError(
          'BODY_NOT_REPLAYABLE',
          'Got 401 and the request body is a stream that cannot be replayed',
          { cause: response },
        );
      }
      await response.body?.cancel().catch(() => {});
      const current = ctx.state.get().tokens;
      if (replayedAfterRefresh && current?.accessToken === sent.accessToken) {
        // The newest token was refused too: a refresh cannot help, the user must sign in again.
        // The request is held with the others and goes out after the same user signs in.
        ctx.expire('unauthorized');
        replayedAfterRefresh = false;
        tokens = await ctx.acquire(signal);
      } else {
        replayedAfterRefresh = true;
        tokens = await ctx.renewAfter401(sent.accessToken, signal);
      }
      if (!tokens) throw new SessionExpiredError('logout');
      if (era !== owner.era && (owner.userId === undefined || tokens.userId !== owner.userId)) {
        throw new SessionExpiredError('user-changed');
      }
    }
  }

  return async function sessionFetch(
    input: RequestInfo | URL,
    init: SessionRequestInit = {},
  ): Promise<Response> {
    if (ctx.destroyed) throw new SessionError('DESTROYED', 'The session was destroyed');
    const { skipAuth, ...requestInit } = init;
    if (isMarked(input, requestInit)) return rawFetch(...withoutMark(input, requestInit));
    if (skipAuth) return rawFetch(input, requestInit);
    const href = origins.authorizedUrl(input);
    if (href === null) return rawFetch(input, requestInit);
    const request =
      bodiless(input, requestInit, href) ?? (await toReplayable(input, requestInit, href));
    return send(request, signalOf(input, requestInit));
  };
}

export type SessionFetch = ReturnType<typeof createSessionFetch>;
