import type { RequestSigner, SignTarget } from '../core/modules';
import { RefreshError, type SessionError } from '../lib/errors';
import { DpopError } from './errors';
import type { KeyRecord } from './key-store';
import type { Keys } from './keys';
import { type Nonces, sendWithNonce } from './nonces';
import { methodOf, signProof } from './proof';

export const keyMissing = () =>
  new DpopError(
    'DPOP_KEY_MISSING',
    'The DPoP key of this session is gone (a logout in another tab, or site data cleared): sign in again',
  );

/** A failure to read the key or to sign, as a `DpopError` (`DPOP_SIGN_FAILED`). */
const signFailed = (cause: unknown): never => {
  if (cause instanceof DpopError) throw cause;
  throw new DpopError('DPOP_SIGN_FAILED', `No DPoP proof could be made: ${String(cause)}`, {
    cause,
  });
};

/** The `token_type` of a raw token response (either spelling), lower-cased; `''` when none. */
const tokenTypeOf = (raw: unknown): string => {
  const fields = (typeof raw === 'object' && raw ? raw : {}) as Record<string, unknown>;
  const type = fields.token_type ?? fields.tokenType;
  return typeof type === 'string' ? type.toLowerCase() : '';
};

/** What the signer works with. */
export interface DpopSignerDeps {
  keys: Keys;
  nonces: Nonces;
  /** The session is shared by tabs: each refresh reads the key every tab shares. */
  crossTab: boolean;
  /** An `error` event of the session (source `dpop`), told after the request. */
  report(error: SessionError): void;
}

/**
 * The session's request signer: each attempt gets a proof with the session's key (and `ath`
 * and `Authorization: DPoP <token>` on resource requests) and the origin's nonce, and goes out
 * once more when a server asks for a nonce. A token response is taken only when it is DPoP-bound
 * (or does not say).
 */
export function createDpopSigner({
  keys,
  nonces,
  crossTab,
  report,
}: DpopSignerDeps): RequestSigner {
  const handedBack = new WeakSet<Response>();

  /** The key of the request: a refresh reads the shared one now (under the cross-tab lock). */
  const keyFor = (target: SignTarget): Promise<KeyRecord | null> => {
    if (target.kind === 'refresh' && crossTab) return keys.shared();
    return target.kind === 'revocation' ? keys.released() : keys.held();
  };

  /** The headers of one send; a key that cannot be read, or a failed signature, is a `DpopError`. */
  const proof = async (target: SignTarget, method: string) => {
    const record = await keyFor(target).catch(signFailed);
    if (!record) throw keyMissing();
    const { url, accessToken } = target;
    const dpop = await signProof(record, method, url, nonces.get(url), accessToken).catch(
      signFailed,
    );
    return accessToken ? { authorization: `DPoP ${accessToken}`, dpop } : { dpop };
  };

  /** A refresh that cannot be signed cannot succeed: the refresh token is bound to the key. */
  const refreshProof = (target: SignTarget, method: string) =>
    proof(target, method).catch((error: DpopError) => {
      queueMicrotask(() => report(error));
      throw new RefreshError('rejected', { cause: error, message: error.message });
    });

  return {
    async send(target, send) {
      const method = methodOf(target.method);
      const sign = () =>
        target.kind === 'refresh' ? refreshProof(target, method) : proof(target, method);
      const replayable = target.replayable !== false;
      const { response, nonceRefused } = await sendWithNonce(
        nonces,
        target.url,
        sign,
        send,
        replayable,
      );
      if (!nonceRefused) return response;
      // A nonce asked for again says nothing of the tokens: a refresh is retried later, and a
      // resource request's answer is the app's (not a refused token).
      if (target.kind === 'refresh') {
        throw new RefreshError('server', {
          status: response.status,
          message: 'The token endpoint asked for a DPoP nonce again',
        });
      }
      handedBack.add(response);
      return response;
    },
    handedBack: (response) => handedBack.has(response),
    checkTokens(raw) {
      const type = tokenTypeOf(raw);
      if (type === '' || type === 'dpop') return null;
      return new DpopError(
        'DPOP_TOKEN_TYPE',
        `The token response is not DPoP-bound (token_type ${type}): turn DPoP on for this client at the server`,
      );
    },
  };
}
