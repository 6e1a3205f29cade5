import { createHash, createPublicKey, verify } from 'node:crypto';

/** A proof's header and claims, as a server decoded them. */
export interface DecodedProof {
  header: { typ?: string; alg?: string; jwk?: Record<string, string> };
  claims: { htm?: string; htu?: string; iat?: number; jti?: string; ath?: string; nonce?: string };
}

/** What a server found: the proof and its key's thumbprint, or why it refuses it. */
export type ProofCheck =
  | { ok: true; proof: DecodedProof; jkt: string }
  | { ok: false; proof: DecodedProof | null; error: string };

const b64 = (buffer: Buffer) => buffer.toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** The base64url SHA-256 of `text`: a proof's `ath` for an access token. */
export const sha256 = (text: string) => b64(createHash('sha256').update(text).digest());

/** The RFC 7638 thumbprint of a P-256 public JWK: the `cnf.jkt` of the tokens bound to it. */
export const thumbprintOf = (jwk: Record<string, string>) =>
  sha256(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }));

/** The claims of a proof JWT (unverified): for tests that look at what was sent. */
export const proofClaims = (jwt: string): DecodedProof['claims'] => decode(jwt.split('.')[1] ?? '');

/**
 * A server's check of DPoP proofs (RFC 9449 §4.3), as a resource or authorization server does
 * it: `typ` `dpop+jwt`, ES256 with a public `jwk`, the signature (node:crypto), `htm`, `htu`
 * (the URL without query and fragment), `iat` within ±60 s of `now`, a `jti` never seen before
 * (each proof is accepted once), and `ath` when an access token came with it.
 */
export function createProofChecker(now: () => number = () => Date.now()) {
  const seen = new Set<string>();
  return (
    jwt: string | null,
    request: { method: string; url: string },
    accessToken: string | null,
  ): ProofCheck => {
    if (!jwt) return { ok: false, proof: null, error: 'no DPoP proof' };
    const [h = '', p = '', s = ''] = jwt.split('.');
    let proof: DecodedProof;
    try {
      proof = { header: decode(h), claims: decode(p) };
    } catch {
      return { ok: false, proof: null, error: 'malformed proof' };
    }
    const { header, claims } = proof;
    const fail = (error: string): ProofCheck => ({ ok: false, proof, error });
    if (header.typ !== 'dpop+jwt' || header.alg !== 'ES256' || !header.jwk || header.jwk.d) {
      return fail('bad header');
    }
    const key = createPublicKey({ key: header.jwk, format: 'jwk' });
    const data = Buffer.from(`${h}.${p}`);
    const signature = Buffer.from(s, 'base64url');
    if (!verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
      return fail('bad signature');
    }
    const url = new URL(request.url);
    if (claims.htm !== request.method) return fail('htm mismatch');
    if (claims.htu !== `${url.origin}${url.pathname}`) return fail('htu mismatch');
    if (typeof claims.iat !== 'number' || Math.abs(claims.iat - now() / 1000) > 60) {
      return fail('iat not recent');
    }
    if (!claims.jti || seen.has(claims.jti)) return fail('jti replayed');
    if (accessToken !== null && claims.ath !== sha256(accessToken)) return fail('ath mismatch');
    seen.add(claims.jti);
    return { ok: true, proof, jkt: thumbprintOf(header.jwk) };
  };
}
