import type { Page } from 'playwright-core';

/** One request or answer the page saw, in the order the browser reported them. */
export interface NetworkEvent {
  kind: 'request' | 'response' | 'failed';
  method: string;
  path: string;
  /** The whole URL, query included. */
  url: string;
  status?: number;
}

/**
 * Record the page's requests to the mock server (`/auth/*`, `/api/*`), in order; `failures()`
 * lists every answer ≥ 400 and every request that got no answer at all.
 */
export function recordNetwork(page: Page) {
  const events: NetworkEvent[] = [];
  const path = (url: string) => new URL(url).pathname;
  const watched = (url: string) => /^\/(auth|api)\//.test(path(url));
  page.on('request', (request) => {
    if (watched(request.url()))
      events.push({
        kind: 'request',
        method: request.method(),
        path: path(request.url()),
        url: request.url(),
      });
  });
  page.on('response', (response) => {
    const request = response.request();
    if (watched(request.url()))
      events.push({
        kind: 'response',
        method: request.method(),
        path: path(request.url()),
        url: request.url(),
        status: response.status(),
      });
  });
  page.on('requestfailed', (request) => {
    if (watched(request.url()))
      events.push({
        kind: 'failed',
        method: request.method(),
        path: path(request.url()),
        url: request.url(),
      });
  });
  return {
    events,
    failures: () =>
      events.filter((e) => e.kind === 'failed' || (e.status !== undefined && e.status >= 400)),
  };
}
