import type { SessionSignals } from '../core/modules';
import type { ExpireReason, SessionOptions, SessionRequestInit } from '../core/types';
import type { RuntimeEnv } from '../lib/env';
import { destroyedError, SessionError, SessionExpiredError } from '../lib/errors';
import type { RequestQueue } from '../queue/request-queue';
import { createOriginCheck } from './origins';
import { bodiless, type ReplayableRequest, toReplayable } from './replayable';

/** Set by `skipAuthHook` for `context: { skipAuth: true }`; removed before sending. */
export const SKIP_AUTH_HEADER = 'x-sessionkeeper-skip-auth';

/** What `session.fetch` works with. */
export interface SessionFetchDeps {
  env: RuntimeEnv;
  /** `authorizedOrigins` and `http` (its `prefix`/`baseUrl`) say which origins get the token. */
  options: Pick<SessionOptions, 'authorizedOrigins' | 'http'>;
  queue: Pick<RequestQueue, 'acquire' | 'renewAfter401'>;
  /** The access token held now, if any. */
  heldToken(): string | undefined;
  expire(reason: ExpireReason): void;
  on<K extends keyof SessionSignals>(type: K, handler: (event: SessionSignals[K]) => void): void;
  isDestroyed(): boolean;
}

/**
 * `session.fetch`: fetch with the session's token. It waits while a refresh is in flight, holds
 * requests while the session is expired, and answers a 401 with one shared refresh and one
 * replay. Requests to other origins, and `skipAuth` requests, go out untouched.
 */
export function createSessionFetch(deps: SessionFetchDeps) {
  const { queue } = deps;
  const authorizedUrl = createOriginCheck(deps.options, deps.env);
  const rawFetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const fetch = deps.env.fetch();
    if (!fetch) throw new TypeError('fetch is not available');
    return fetch(input, init);
  };
  // Counts sign-ins and sign-outs. A request is replayed across one only for the same, known
  // user: a response that arrives after someone else signed in must not be retried with their
  // token (nor, after a logout, without one).
  let signInsAndOuts = 0;
  const count = () => {
    signInsAndOuts++;
  };
  deps.on('signed-in', count);
  deps.on('signed-out', count);

  const send = async (request: ReplayableRequest, signal: AbortSignal | undefined) => {
    let tokens = await queue.acquire(signal);
    // Signed out: sent without a token, and whatever the server answers is the answer.
    if (!tokens) return rawFetch(...request.build(null));
    const { userId } = tokens;
    const seenSignIns = signInsAndOuts;
    let replayedAfterRefresh = false;
    for (;;) {
      const sent = tokens.accessToken;
      const response = await rawFetch(...request.build(`Bearer ${sent}`));
      if (response.status !== 401) return response;
      if (!request.replayable) {
        // Start the refresh (so the app's retry gets a fresh token) without waiting for it.
        queue.renewAfter401(sent, AbortSignal.abort()).catch(() => {});
        throw new SessionError('BODY_NOT_REPLAYABLE', '401 to a stream body (not replayable)', {
          cause: response,
        });
      }
      await response.body?.cancel().catch(() => {});
      if (replayedAfterRefresh && deps.heldToken() === sent) {
        // The newest token was refused too: a refresh cannot help, the user must sign in again.
        // The request is held with the others and goes out after the same user signs in.
        deps.expire('unauthorized');
        replayedAfterRefresh = false;
        tokens = await queue.acquire(signal);
      } else {
        replayedAfterRefresh = true;
        tokens = await queue.renewAfter401(sent, signal);
      }
      if (!tokens) throw new SessionExpiredError('logout');
      if (signInsAndOuts !== seenSignIns && (userId === undefined || tokens.userId !== userId)) {
        throw new SessionExpiredError('user-changed');
      }
    }
  };

  return async function sessionFetch(
    input: RequestInfo | URL,
    init: SessionRequestInit = {},
  ): Promise<Response> {
    if (deps.isDestroyed()) throw destroyedError();
    const { skipAuth, ...requestInit } = init;
    const source = input instanceof Request ? input : undefined;
    // `init.headers` replace a Request's own.
    const headers = requestInit.headers ? new Headers(requestInit.headers) : source?.headers;
    if (headers?.has(SKIP_AUTH_HEADER)) {
      const unmarked = new Headers(headers);
      unmarked.delete(SKIP_AUTH_HEADER);
      return rawFetch(input, { ...requestInit, headers: unmarked });
    }
    const href = skipAuth ? null : authorizedUrl(input);
    if (href === null) return rawFetch(input, requestInit);
    const request =
      bodiless(source, requestInit, href) ?? (await toReplayable(source, requestInit, href));
    return send(request, requestInit.signal ?? source?.signal);
  };
}

export type SessionFetch = ReturnType<typeof createSessionFetch>;
