import ky, { type BeforeRequestHook, type KyInstance, type Options } from 'ky';
import type { SessionFetch } from './session-fetch';
import { SKIP_AUTH_HEADER } from './session-fetch';

/** `context: { skipAuth: true }` on a ky request: mark it so `session.fetch` passes it through. */
export const skipAuthHook: BeforeRequestHook = ({ request, options }) => {
  if (options.context.skipAuth === true) request.headers.set(SKIP_AUTH_HEADER, '1');
};

/**
 * `session.http`: a ky instance whose fetch is `session.fetch`, so auth, waiting, holding and the
 * 401 replay happen once per attempt below ky (ky's own retries and hooks keep working).
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
