import type { KyInstance } from 'ky';
import type { DraftStore } from '../drafts/types';
import { createHttpClient } from '../http/client';
import { createSessionFetch } from '../http/session-fetch';
import type { IdleTimer } from '../idle/types';
import { createCore } from './session';
import { createSessionDrafts } from '../drafts/connect';
import { createSessionIdle } from '../idle/connect';
import { createSessionLifetime, type SessionEnding } from './lifetime';
import { createTabLink } from '../tabs/tab-link';
import type { SessionCoreApi, SessionOptions, SessionRequestInit } from './types';

/** A signed-in user's session: tokens, silent refresh, authorized requests, idle timer, drafts. */
export interface Session extends SessionCoreApi {
  /** A ky instance that sends the session's token to authorized origins (see `authorizedOrigins`). */
  readonly http: KyInstance;
  /** `fetch` with the session's token, waiting during a refresh and replaying a 401 once. */
  fetch(input: RequestInfo | URL, init?: SessionRequestInit): Promise<Response>;
  /** The idle timer, when the `idle` option is on. */
  readonly idle: IdleTimer | null;
  /** Form drafts of the signed-in user (inert with `drafts: false`). */
  readonly drafts: DraftStore;
  /**
   * Inside the warning window before the session's absolute end (`endWarningMs` before
   * `sessionEndsAt`): when it ends and the ms left, on the session's clock; otherwise `null`.
   * The `session-ending` event marks the start of the window.
   */
  sessionEnding(): SessionEnding | null;
}

/**
 * Create a session.
 * @example
 * const session = createSession({ refresh: '/auth/refresh', http: { prefix: '/api' } });
 * await session.login(await (await fetch('/auth/login', { method: 'POST', body })).json());
 * const me = await session.http.get('me').json();
 */
export function createSession(options: SessionOptions): Session {
  const { context, start, ...api } = createCore(options, (ctx, remote) =>
    options.crossTab === false ? null : createTabLink(ctx, remote),
  );
  const fetch = createSessionFetch(context);
  const http = createHttpClient(fetch, options.http);
  const idle = createSessionIdle(context);
  const drafts = createSessionDrafts(context);
  const sessionEnding = createSessionLifetime(context);
  start();
  return { ...api, http, fetch, idle, drafts, sessionEnding };
}
