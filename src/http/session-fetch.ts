import type { RequestSigner, SessionSignals } from '../core/modules';
import type { ExpireReason, SessionOptions, SessionRequestInit } from '../core/types';
import type { RuntimeEnv } from '../lib/env';
import { destroyedError, SessionError, SessionExpiredError } from '../lib/errors';
import type { RequestQueue } from '../queue/request-queue';
import { createOriginCheck } from './origins';
import { createRefusalCheck } from './refusal';
import { bodiless, type ReplayableRequest, toReplayable } from './replayable';

/**
 * Set by `skipAuthHook` for ky's `context: { skipAuth: true }` (value {@link SKIP_AUTH}) or
 * `{ skipRefresh: true }` (value {@link SKIP_REFRESH}); removed before sending.
 */
export const MODE_HEADER = 'x-sessionkeeper-mode';
export const SKIP_AUTH = 'skip-auth';
export const SKIP_REFRESH = 'skip-refresh';

/** What `session.fetch` works with. */
export interface SessionFetchDeps {
  env: RuntimeEnv;
  /**
   * `authorizedOrigins` and `http` (its `prefix`/`baseUrl`) say which origins get the token;
   * `isUnauthorized` which answers mean it was refused.
   */
  options: Pick<SessionOptions, 'authorizedOrigins' | 'http' | 'isUnauthorized'>;
  queue: Pick<RequestQueue, 'acquire' | 'renewAfter401'>;
  /** The access token held now, if any. */
  heldToken(): string | undefined;
  /** The module that signs each attempt (DPoP), if any; without one the token goes as `Bearer`. */
  signer(): RequestSigner | null;
  expire(reason: ExpireReason): void;
  on<K extends keyof SessionSignals>(type: K, handler: (event: SessionSignals[K]) => void): void;
  isDestroyed(): boolean;
}

/**
 * `session.fetch`: fetch with the session's token. It waits while a refresh is in flight, holds
 * requests while the session is expired, and answers a 401 (or what `isUnauthorized` flags)
 * with one shared refresh and one replay. Requests to other origins, and `skipAuth` requests,
 * go out untouched; a `skipRefresh` request gets the token but its answer is returned as is.
 * With a request signer (DPoP) each attempt, the replay included, is sent by it, signed anew.
 */
export function createSessionFetch(deps: SessionFetchDeps) {
  const { queue } = deps;
  const authorizedUrl = createOriginCheck(deps.options, deps.env);
  const refused = createRefusalCheck(deps.options.isUnauthorized);
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

  /** One attempt with `token`: as a bearer token, or sent by the signer (signed anew each time). */
  const attempt = (request: ReplayableRequest, token: string, signer: RequestSigner | null) =>
    signer
      ? signer.send({ ...request, kind: 'resource', accessToken: token }, (signed) =>
          rawFetch(...request.build(null, signed)),
        )
      : rawFetch(...request.build(`Bearer ${token}`));

  const send = async (
    request: ReplayableRequest,
    signal: AbortSignal | undefined,
    skipRefresh: boolean,
  ) => {
    let tokens = await queue.acquire(signal);
    // Signed out: sent without a token, and whatever the server answers is the answer.
    if (!tokens) return rawFetch(...request.build(null));
    const signer = deps.signer();
    if (skipRefresh) return attempt(request, tokens.accessToken, signer);
    const { userId } = tokens;
    const seenSignIns = signInsAndOuts;
    let replayedAfterRefresh = false;
    for (;;) {
      const sent = tokens.accessToken;
      const response = await attempt(request, sent, signer);
      // A nonce still asked for after the signer's retry: not a refused token, never replayed.
      if (signer?.handedBack(response)) return response;
      const verdict = refused(response);
      // The default check answers synchronously: a 200 waits for nothing more.
      if (!(typeof verdict === 'boolean' ? verdict : await verdict)) return response;
      if (!request.replayable) {
        // Start the refresh (so the app's retry gets a fresh token) without waiting for it.
        queue.renewAfter401(sent, AbortSignal.abort()).catch(() => {});
        throw new SessionError(
          'BODY_NOT_REPLAYABLE',
          `Token refused (HTTP ${response.status}) for a stream body (not replayable)`,
          { cause: response },
        );
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
    const { skipAuth, skipRefresh, ...requestInit } = init;
    const source = input instanceof Request ? input : undefined;
    // `init.headers` replace a Request's own.
    const headers = requestInit.headers ? new Headers(requestInit.headers) : source?.headers;
    const mode = headers?.get(MODE_HEADER) ?? null;
    if (mode !== null) {
      const unmarked = new Headers(headers);
      unmarked.delete(MODE_HEADER);
      requestInit.headers = unmarked;
      if (mode !== SKIP_REFRESH) return rawFetch(input, requestInit);
    }
    const href = skipAuth ? null : authorizedUrl(input);
    if (href === null) return rawFetch(input, requestInit);
    const request =
      bodiless(source, requestInit, href) ?? (await toReplayable(source, requestInit, href));
    const signal = requestInit.signal ?? source?.signal;
    return send(request, signal, skipRefresh === true || mode === SKIP_REFRESH);
  };
}

export type SessionFetch = ReturnType<typeof createSessionFetch>;
