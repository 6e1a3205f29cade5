import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createProofChecker } from '../../helpers/dpop-proof';

/** A token, the user it is for and the key (`jkt`) it is bound to. */
interface Issued {
  user: string;
  jkt: string;
  used?: boolean;
}

/** What the server decided for a request: where, for which key, and the verdict. */
export interface Verdict {
  path: string;
  jkt: string | null;
  verdict: string;
}

const HTML =
  '<!doctype html><meta charset="utf-8"><title>…</title><script type="module" src="/page.js"></script>';

/**
 * The DPoP test's page (bundled by esbuild from page.ts, the package's sources) and a DPoP
 * authorization and resource server on one 127.0.0.1 origin (a secure context for WebCrypto):
 * `POST /token` (a code grant `code=<user>`, and rotating refresh tokens bound to the proof's
 * key), `POST /revoke`, and `GET /api/me`, which needs `Authorization: DPoP` and a proof of the
 * token's key. Every proof is checked in full (signature, htm, htu, iat, jti once, ath).
 */
export async function startDpopServer() {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  const script = bundled.outputFiles[0]?.text ?? '';
  const check = createProofChecker();
  const tokens = new Map<string, Issued>();
  const verdicts: Verdict[] = [];
  const counts = { refreshes: 0, reuse: 0 };
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const issue = (user: string, jkt: string) => {
    const access = `at-${randomBytes(12).toString('base64url')}`;
    const refresh = `rt-${randomBytes(12).toString('base64url')}`;
    tokens.set(access, { user, jkt });
    tokens.set(refresh, { user, jkt });
    return { access_token: access, token_type: 'DPoP', expires_in: 300, refresh_token: refresh };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(HTML);
      return;
    }
    if (url.pathname === '/page.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
      return;
    }
    const known = ['/token', '/revoke'].includes(url.pathname) || url.pathname.startsWith('/api/');
    if (!known) {
      res.writeHead(404).end(); // e.g. /favicon.ico
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    const [scheme, token = ''] = req.headers.authorization?.split(' ') ?? [];
    const isApi = url.pathname.startsWith('/api/');
    const proof = typeof req.headers.dpop === 'string' ? req.headers.dpop : null;
    const result = check(
      proof,
      { method: req.method ?? 'GET', url: url.href },
      isApi ? token : null,
    );
    const judge = (verdict: string) =>
      verdicts.push({ path: url.pathname, jkt: result.ok ? result.jkt : null, verdict });
    if (!result.ok) {
      judge(result.error);
      return send(res, isApi ? 401 : 400, { error: 'invalid_dpop_proof' });
    }
    if (isApi) {
      const issued = tokens.get(token);
      if (scheme !== 'DPoP' || issued?.jkt !== result.jkt) {
        judge('token refused');
        return send(res, 401, { error: 'invalid_token' });
      }
      judge('ok');
      return send(res, 200, { user: issued.user, jkt: result.jkt });
    }
    if (url.pathname === '/revoke') {
      tokens.delete(form.get('token') ?? '');
      judge('ok');
      return send(res, 200, {});
    }
    if (form.get('grant_type') === 'authorization_code') {
      judge('ok');
      return send(res, 200, issue(form.get('code') ?? 'alice', result.jkt));
    }
    counts.refreshes++;
    const presented = tokens.get(form.get('refresh_token') ?? '');
    if (!presented || presented.jkt !== result.jkt || presented.used) {
      if (presented?.used) counts.reuse++;
      judge('refresh refused');
      return send(res, 400, { error: 'invalid_grant' });
    }
    presented.used = true;
    judge('ok');
    return send(res, 200, issue(presented.user, result.jkt));
  };
  server.on('request', (req, res) => {
    handle(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });

  return {
    url: `${origin}/`,
    verdicts,
    counts,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
