import type { KyInstance } from 'ky';
import { createHttpClient } from './http/client';
import { createSessionFetch } from './http/session-fetch';
import { createCore } from './session';
import { crossTabEnabled } from './session-options';
import { createTabLink } from './tabs/tab-link';
import type { SessionCoreApi, SessionOptions, SessionRequestInit } from './types';

/** A signed-in user's session: tokens, silent refresh, authorized requests, idle timer, drafts. */
export interface Session extends SessionCoreApi {
  /** A ky instance that sends the session's token to authorized origins (see `authorizedOrigins`). */
  readonly http: KyInstance;
  /** `fetch` with the session's token, waiting during a refresh and replaying a 401 once. */
  fetch(input: RequestInfo | URL, init?: SessionRequestInit): Promise<Response>;
}

/**
 * Create a session.
 * @example
 * const session = createSession({ refresh: '/auth/refresh', http: { prefix: '/api' } });
 * await session.login(await (await fetch('/auth/login', { method: 'POST', body })).json());
 * const me = await session.http.get('me').json();
 */
export function createSession(options: SessionOptions): Session {
  const core = createCore(options, (ctx, remote) =>
    crossTabEnabled(options.crossTab) ? createTabLink(ctx, remote) : null,
  );
  const fetch = createSessionFetch(core.context);
  const http = createHttpClient(fetch, options.http);
  const { context: _context, ...api } = core;
  return { ...api, http, fetch };
}
