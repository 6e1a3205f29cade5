import { createProofChecker, type DecodedProof } from './dpop-proof';
import type { FakeServer } from './server';

export { type DecodedProof, proofClaims } from './dpop-proof';

/** One request the DPoP server judged, and what it decided. */
export interface JudgedRequest {
  path: string;
  method: string;
  /** The Authorization scheme (`DPoP`, `Bearer`) or `null`. */
  scheme: string | null;
  proof: DecodedProof | null;
  /** The proof as sent (what an attacker who sees the traffic could copy). */
  jwt: string | null;
  /** `ok`, or why the request was refused. */
  verdict: string;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

/**
 * The fake token server of the unit tests behind a DPoP front (RFC 9449), as an authorization
 * and resource server that checks everything: each proof's signature (ES256, node:crypto), its
 * `typ`, `htm`, `htu`, `iat` (±60 s), `jti` (each accepted once), `ath` on API requests, the
 * nonce while one is required, and that each token is used with the key it is bound to
 * (`cnf.jkt`). A code grant (`grant_type=authorization_code&code=<user>`) signs `<user>` in with
 * tokens bound to the proof's key. What passes goes on to the inner server as a bearer request
 * (its counts, holds and failures keep working, and its log shows `Bearer <token>`).
 */
export function withDpop(
  inner: FakeServer,
  now: () => number = () => Date.now(),
  origin = 'https://app.test',
) {
  const boundTo = new Map<string, string>();
  type Scope = 'token' | 'api';
  /** The nonce each scope requires: `'always-new'` asks again every time, with a new one. */
  const nonces: Record<Scope, string | null> = { token: null, api: null };
  /** A nonce sent in every answer of the scope (`DPoP-Nonce`), required or not. */
  const announced: Record<Scope, string | null> = { token: null, api: null };
  const judged: JudgedRequest[] = [];
  let nonceCount = 0;
  let supportsDpop = true;

  const checkProof = createProofChecker(now);
  const check = (request: Request, accessToken: string | null) =>
    checkProof(request.headers.get('dpop'), request, accessToken);

  const record = (request: Request, url: URL, proof: DecodedProof | null, verdict: string) => {
    const scheme = request.headers.get('authorization')?.split(' ')[0] ?? null;
    const jwt = request.headers.get('dpop');
    judged.push({ path: url.pathname, method: request.method, scheme, proof, jwt, verdict });
  };

  /** The nonce challenge of `scope`, when one is required and the proof lacks it. */
  const nonceChallenge = (scope: Scope, proof: DecodedProof) => {
    const required = nonces[scope];
    if (required === null || proof.claims.nonce === required) return null;
    nonceCount++;
    const headers = {
      'DPoP-Nonce': required === 'always-new' ? `nonce-${nonceCount}` : required,
    };
    return scope === 'token'
      ? json(400, { error: 'use_dpop_nonce' }, headers)
      : json(
          401,
          { error: 'use_dpop_nonce' },
          { ...headers, 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"' },
        );
  };

  /** Bind the tokens of a successful token answer to `jkt` and call them DPoP. */
  const bindAnswer = async (response: Response, jkt: string) => {
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as Record<string, unknown> | null;
    if (!response.ok || typeof body?.access_token !== 'string') return response;
    for (const token of [body.access_token, body.refresh_token]) {
      if (typeof token === 'string') boundTo.set(token, jkt);
    }
    const bound = JSON.stringify({ ...body, token_type: 'DPoP' });
    return new Response(bound, { status: response.status, headers: response.headers });
  };

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // A path is resolved against the page, as the browser's fetch does.
    const target = input instanceof Request ? input : new URL(String(input), origin);
    const request = new Request(target, init);
    const url = new URL(request.url);
    const body = request.body ? await request.text() : '';
    const forward = (headers: Headers) =>
      inner.fetch(request.url, {
        method: request.method,
        headers,
        ...(body === '' ? {} : { body }),
      });
    const headers = new Headers(request.headers);
    headers.delete('dpop');
    const [scheme, token = ''] = (request.headers.get('authorization') ?? '').split(' ');
    const isToken = url.pathname === '/token' || url.pathname === '/logout';
    // Requests without a token or proof (signed out, skipAuth) go through as they are.
    if (!isToken && !scheme) return forward(headers);
    // A server without DPoP: token answers stay bearer, API requests as they are.
    if (!supportsDpop) return forward(headers);
    const result = check(request, isToken ? null : token);
    if (!result.ok) {
      record(request, url, result.proof, result.error);
      return isToken
        ? json(400, { error: 'invalid_dpop_proof', error_description: result.error })
        : json(
            401,
            { error: 'invalid_dpop_proof' },
            { 'WWW-Authenticate': 'DPoP error="invalid_dpop_proof"' },
          );
    }
    const { proof, jkt } = result;
    const challenge = nonceChallenge(isToken ? 'token' : 'api', proof);
    if (challenge) {
      record(request, url, proof, 'nonce required');
      return challenge;
    }
    const form = new URLSearchParams(body);
    if (url.pathname === '/token' && form.get('grant_type') === 'authorization_code') {
      record(request, url, proof, 'ok');
      const login = inner.login(form.get('code') ?? 'alice');
      return bindAnswer(json(200, login), jkt);
    }
    const presented = isToken ? (form.get('refresh_token') ?? form.get('token') ?? '') : token;
    const bound = boundTo.get(presented);
    if (!isToken && (scheme !== 'DPoP' || bound !== jkt)) {
      record(request, url, proof, bound ? 'key mismatch' : 'token not bound');
      return json(
        401,
        { error: 'invalid_token' },
        { 'WWW-Authenticate': 'DPoP error="invalid_token"' },
      );
    }
    if (isToken && presented && bound !== undefined && bound !== jkt) {
      record(request, url, proof, 'key mismatch');
      return json(400, { error: 'invalid_grant', error_description: 'DPoP key mismatch' });
    }
    record(request, url, proof, 'ok');
    if (!isToken) headers.set('authorization', `Bearer ${token}`);
    const answer = await forward(headers);
    const nonce = announced[isToken ? 'token' : 'api'];
    if (nonce) answer.headers.set('DPoP-Nonce', nonce);
    return url.pathname === '/token' ? bindAnswer(answer, jkt) : answer;
  };

  return {
    fetch: fetch as typeof globalThis.fetch,
    /** Every request with a token or a proof, judged, in order. */
    judged,
    /** How many nonce challenges were answered. */
    get nonceChallenges() {
      return nonceCount;
    },
    /**
     * Require this nonce at the token endpoint or the API from now on (`null`: none;
     * `'always-new'`: every request is asked again, with a new nonce).
     */
    requireNonce(scope: Scope, nonce: string | null) {
      nonces[scope] = nonce;
    },
    /** Send this nonce in every accepted answer of the scope (`DPoP-Nonce`), required or not. */
    announceNonce(scope: Scope, nonce: string | null) {
      announced[scope] = nonce;
    },
    /** Turn DPoP off (a server that ignores proofs and issues bearer tokens) or on again. */
    setSupportsDpop(on: boolean) {
      supportsDpop = on;
    },
    /** The thumbprint a token is bound to. */
    boundTo: (token: string) => boundTo.get(token),
  };
}

export type DpopServer = ReturnType<typeof withDpop>;
