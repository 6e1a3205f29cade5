import ky, { type BeforeRequestHook, type KyInstance, type Options } from 'ky';
import { MODE_HEADER, type SessionFetch, SKIP_AUTH, SKIP_REFRESH } from './session-fetch';

/**
 * ky `beforeRequest` hook: marks a request made with `context: { skipAuth: true }` so that
 * `session.fetch` passes it through untouched, or with `context: { skipRefresh: true }` so that
 * it gets the token but its 401 is handed back (see `SessionRequestInit`); `session.fetch`
 * removes the mark before sending. `session.http` has it; add it to an app's own ky instance
 * that uses `session.fetch`.
 * (A hook rather than an `init` hook: ky clones the options for `init` hooks, which costs about
 * twice as much per request.)
 * @example
 * const api = ky.create({ prefix: '/api', fetch: session.fetch, hooks: { beforeRequest: [skipAuthHook] } });
 * await api.get('public', { context: { skipAuth: true } });
 */
export const skipAuthHook: BeforeRequestHook = ({ request, options }) => {
  const { context } = options;
  if (context.skipAuth === true) request.headers.set(MODE_HEADER, SKIP_AUTH);
  else if (context.skipRefresh === true) request.headers.set(MODE_HEADER, SKIP_REFRESH);
};

/**
 * `session.http`: a ky instance whose fetch is `session.fetch`, so auth, waiting, holding and the
 * replay of a refused request happen once per attempt below ky (ky's own retries and hooks keep working).
 * ky's `timeout` is off by default because a request may wait for a re-login; set `http.timeout`
 * to bound the whole call, waiting included.
 */
export function createHttpClient(fetch: SessionFetch, options: Options = {}): KyInstance {
  const hooks = options.hooks ?? {};
  return ky.create({
    timeout: false,
    ...options,
    fetch: fetch as typeof globalThis.fetch,
    hooks: { ...hooks, beforeRequest: [skipAuthHook, ...(hooks.beforeRequest ?? [])] },
  });
}
