import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type ProviderClass from 'oidc-provider';
import { createProofChecker } from '../../helpers/dpop-proof';

/** One request the resource server judged. */
export interface ResourceRequest {
  path: string;
  /** The Authorization scheme (`DPoP`, `Bearer`) or `null`. */
  scheme: string | null;
  /** The proof's nonce, if any. */
  nonce: string | undefined;
  /** `ok`, or why the request was refused. */
  verdict: string;
}

export interface ResourceServer {
  /** e.g. `http://127.0.0.1:41234` */
  origin: string;
  requests: ResourceRequest[];
  /** Require a DPoP nonce from now on (a fresh one is given in the challenge), or no longer. */
  requireNonce(required: boolean): void;
  close(): Promise<void>;
}

/**
 * A DPoP-protected API (RFC 9449 §7) for the provider's opaque access tokens, on 127.0.0.1:
 * `GET /api/*` needs `Authorization: DPoP <token>` and a proof that the checker accepts
 * (signature, `htm`, `htu`, `iat`, `jti` once only, `ath`), from the key the token is bound to
 * (the provider's record of it, its `cnf.jkt`). While a nonce is required, a proof without the
 * current one gets `401 WWW-Authenticate: DPoP error="use_dpop_nonce"` and a `DPoP-Nonce`.
 * It answers `{ sub }`.
 */
export async function startResourceServer(provider: ProviderClass): Promise<ResourceServer> {
  const check = createProofChecker();
  const requests: ResourceRequest[] = [];
  let nonce: string | null = null;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    const [scheme = null, token = ''] = req.headers.authorization?.split(' ') ?? [];
    const proof = typeof req.headers.dpop === 'string' ? req.headers.dpop : null;
    const refuse = (verdict: string, error: string, headers: Record<string, string> = {}) => {
      requests.push({ path: url.pathname, scheme, nonce: undefined, verdict });
      res.writeHead(401, {
        'WWW-Authenticate': `DPoP error="${error}", algs="ES256"`,
        'Content-Type': 'application/json',
        ...headers,
      });
      res.end(JSON.stringify({ error, verdict }));
    };
    if (scheme !== 'DPoP') return refuse('not a DPoP token', 'invalid_token');
    const result = check(proof, { method: req.method ?? 'GET', url: url.href }, token);
    if (!result.ok) return refuse(result.error, 'invalid_dpop_proof');
    if (nonce !== null && result.proof.claims.nonce !== nonce) {
      return refuse('nonce required', 'use_dpop_nonce', { 'DPoP-Nonce': nonce });
    }
    const stored = await provider.AccessToken.find(token);
    if (!stored || stored.isExpired) return refuse('unknown or expired token', 'invalid_token');
    if (stored.jkt !== result.jkt) return refuse('key mismatch (cnf.jkt)', 'invalid_token');
    requests.push({
      path: url.pathname,
      scheme,
      nonce: result.proof.claims.nonce,
      verdict: 'ok',
    });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ sub: stored.accountId, path: url.pathname }));
  };
  server.on('request', (req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });

  return {
    origin,
    requests,
    requireNonce(required) {
      nonce = required ? randomBytes(16).toString('base64url') : null;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
