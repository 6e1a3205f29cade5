import type { FakeServer } from './server';
import { flush } from './session';

/** `Bearer <token>` for a login or refresh response of the fake server. */
export const bearer = (response: { access_token: string }) => `Bearer ${response.access_token}`;

/** The Authorization headers of the API requests that reached the server, in order. */
export const apiAuth = (server: FakeServer) => server.apiRequests.map((r) => r.authorization);

/** Track how a promise settles without awaiting it (so a test can assert it is still pending). */
export function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

/** Let the fake server and the session settle (several promise hops per request). */
export async function settle(rounds = 3) {
  for (let i = 0; i < rounds; i++) await flush(50);
}
