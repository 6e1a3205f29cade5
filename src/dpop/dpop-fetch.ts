import type { RuntimeEnv } from '../lib/env';
import type { KeyRecord } from './key-store';
import { type Nonces, sendWithNonce } from './nonces';
import { methodOf, signProof } from './proof';

/**
 * `dpop.fetch`: `fetch` with a proof signed by `key()` (no access token), sent once more with
 * the nonce when the server asks for one. A `Request` given as `input` is copied for each send.
 */
export function createDpopFetch(env: RuntimeEnv, key: () => Promise<KeyRecord>, nonces: Nonces) {
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
