import { CONNECT, type Connectable, type SessionPort } from '../core/modules';
import { resolveEnv, switchableEnv } from '../lib/env';
import type { SessionError } from '../lib/errors';
import { DEFAULT_NAME } from '../lib/names';
import { createDpopFetch, TOKEN_FETCH, type TokenFetch } from './dpop-fetch';
import { DpopError } from './errors';
import { createKeyStore, type KeyStore } from './key-store';
import { createKeys } from './keys';
import { createNonces } from './nonces';
import { methodOf, newKeyRecord, signProof } from './proof';
import { createDpopSigner, keyMissing } from './signer';
import type { Dpop, DpopOptions } from './types';

const notPersisted = (cause: unknown) =>
  new DpopError(
    'DPOP_KEY_NOT_PERSISTED',
    'IndexedDB is not available: the DPoP key lives in this tab only (a reload needs a new sign-in)',
    { cause },
  );

/**
 * DPoP (RFC 9449) for a session: give it as `createSession({ dpop: createDpop() })`, and send
 * the login's code exchange with `dpop.fetch`. A module created without `env` or `name` uses
 * the session's.
 * @example
 * const dpop = createDpop();
 * const session = createSession({ refresh: { url: tokenUrl, clientId }, dpop });
 * const response = await dpop.fetch(tokenUrl, { method: 'POST', body: codeExchangeForm });
 * await session.login(await response.json());
 */
export function createDpop(options: DpopOptions = {}): Dpop {
  let resolved = resolveEnv(options.env);
  const env = switchableEnv(() => resolved);
  let name = options.name ?? DEFAULT_NAME;
  let report = (_error: SessionError) => {};
  let store: KeyStore | null = null;
  const openStore = () => {
    // Told later: it is found out during a request or a refresh (under the cross-tab lock).
    store ??= createKeyStore(env, name, (cause) =>
      queueMicrotask(() => report(notPersisted(cause))),
    );
    return store;
  };
  const keys = createKeys(openStore, newKeyRecord);
  const nonces = createNonces();
  let signedIn = false;
  let connected = false;
  let crossTab = false;

  /** The key of the app's own proofs: the session's while signed in, else the next sign-in's. */
  const appKey = async () => {
    if (!signedIn) return keys.forSignIn();
    const record = await keys.held();
    if (!record) throw keyMissing();
    return record;
  };

  function connect(port: SessionPort): void {
    if (connected) throw new TypeError('This DPoP module was already given to a session');
    connected = true;
    crossTab = port.crossTab;
    if (!options.env) resolved = resolveEnv(port.env);
    if (options.name === undefined) name = port.name;
    // A store opened before (a proof made before the session existed) was for the default name.
    store?.close();
    store = null;
    report = (error) => port.emit('error', { error, source: 'dpop' });
    port.setRequestSigner(
      createDpopSigner({ keys, nonces, crossTab: port.crossTab, report: (error) => report(error) }),
    );
    port.on('signed-in', () => {
      signedIn = true;
      keys.signedIn().then(
        (record) => record ?? report(keyMissing()),
        (cause: unknown) =>
          report(new DpopError('DPOP_KEY_MISSING', 'The DPoP key could not be read', { cause })),
      );
    });
    port.on('signed-out', ({ kind, remote }) => {
      signedIn = false;
      if (kind === 'logout' && !remote) keys.loggedOut();
      else keys.forget();
    });
    port.on('destroy', () => store?.close());
  }

  const dpop: Dpop & Connectable & { [TOKEN_FETCH]: TokenFetch } = {
    fetch: createDpopFetch(env, appKey, nonces),
    async proof(method, url, { accessToken, nonce } = {}) {
      const href = new URL(String(url), env.window()?.location?.href).href;
      const record = await appKey();
      return signProof(record, methodOf(method), href, nonce ?? nonces.get(href), accessToken);
    },
    async thumbprint() {
      return (await appKey()).jkt;
    },
    [CONNECT]: connect,
    [TOKEN_FETCH]: (kind, fetch) => {
      // The keys of the session's own refresh and revocation (see the signer), else the app's.
      const key = async () => {
        if (kind === 'sign-in') return appKey();
        const read = kind === 'revocation' ? keys.released : crossTab ? keys.shared : keys.held;
        const record = await read().catch((cause: unknown) => {
          throw new DpopError('DPOP_KEY_MISSING', 'The DPoP key could not be read', { cause });
        });
        if (!record) throw keyMissing();
        return record;
      };
      return createDpopFetch({ fetch: () => fetch, window: () => null }, key, nonces);
    },
  };
  return dpop;
}
