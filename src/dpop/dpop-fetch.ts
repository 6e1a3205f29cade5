import type { RuntimeEnv } from '../lib/env';
import type { KeyRecord } from './key-store';
import { type Nonces, sendWithNonce } from './nonces';
import { methodOf, signProof } from './proof';

/**
 * What the DPoP module gives `sessionkeeper/oidc` (a symbol, so it is no public API; `Symbol.for`,
 * so two copies of the package agree): `[TOKEN_FETCH](kind, fetch)` is a `dpop.fetch` over
 * `fetch` whose key is the one the session's own request of that kind uses: `sign-in` the next
 * sign-in's (the code exchange), `refresh` the session's (read now), `revocation` the key of the
 * session just logged out of. Using it does not connect the module to anything.
 */
export const TOKEN_FETCH = Symbol.for('sessionkeeper.dpop.tokenFetch');
export type TokenFetch = (
  kind: 'sign-in' | 'refresh' | 'revocation',
  fetch: typeof globalThis.fetch,
) => (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * `dpop.fetch`: `fetch` with a proof signed by `key()` (no access token), sent once more with
 * the nonce when the server asks for one. A `Request` given as `input` is copied for each send.
 */
export function createDpopFetch(
  env: Pick<RuntimeEnv, 'fetch' | 'window'>,
  key: () => Promise<KeyRecord>,
  nonces: Nonces,
) {
  return async function dpopFetch(
    input: RequestInfo | URL,
    init: RequestInit = {},
  ): Promise<Response> {
    const fetch = env.fetch();
    if (!fetch) throw new TypeError('fetch is not available');
    const source = input instanceof Request ? input : undefined;
    const url = source ? source.url : new URL(String(input), env.window()?.location?.href).href;
    const method = methodOf(init.method ?? source?.method);
    const proof = async () => ({
      dpop: await signProof(await key(), method, url, nonces.get(url), undefined),
    });
    const send = ({ dpop }: Record<string, string>) => {
      const headers = new Headers(init.headers ?? source?.headers);
      headers.set('dpop', dpop ?? '');
      return fetch(source ? source.clone() : url, { ...init, headers });
    };
    return (await sendWithNonce(nonces, url, proof, send)).response;
  };
}
