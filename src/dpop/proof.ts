import { calculateThumbprint, generateKeyPair, generateProof } from 'dpop';
import { DpopError } from './errors';
import type { KeyRecord } from './key-store';

/** Methods fetch upper-cases (any other is sent as given: `patch` stays `patch`). */
const NORMALISED = /^(delete|get|head|options|post|put)$/i;

/** The method fetch sends for `method` (`undefined`: GET): the proof's `htm`. */
export const methodOf = (method = 'GET'): string =>
  NORMALISED.test(method) ? method.toUpperCase() : method;

/** A request's `htu`: its URL without query and fragment (RFC 9449 §4.2). */
export const htuOf = (url: string | URL): string => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};

const unavailable = (cause: unknown) =>
  new DpopError(
    'DPOP_UNAVAILABLE',
    'WebCrypto ES256 is not available (crypto.subtle needs a secure context: https or localhost)',
    { cause },
  );

/**
 * A new key for a sign-in: an ES256 pair from WebCrypto whose private key cannot be exported
 * (panva's `dpop`), not yet bound to any session.
 * @throws DpopError `DPOP_UNAVAILABLE` without WebCrypto
 */
export async function newKeyRecord(): Promise<KeyRecord> {
  try {
    const keyPair = await generateKeyPair('ES256', { extractable: false });
    return { keyPair, jkt: await calculateThumbprint(keyPair.publicKey), bound: false };
  } catch (cause) {
    throw unavailable(cause);
  }
}

/**
 * A DPoP proof JWT (panva's `dpop`): `typ: dpop+jwt`, the public key as `jwk`, and `htm`, `htu`,
 * `iat`, a random `jti`, the `nonce` when given and `ath` (the token's SHA-256) when a token is.
 */
export function signProof(
  record: KeyRecord,
  method: string,
  url: string | URL,
  nonce: string | undefined,
  accessToken: string | undefined,
): Promise<string> {
  return generateProof(record.keyPair, htuOf(url), method, nonce, accessToken);
}
