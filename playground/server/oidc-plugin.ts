import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Connect, Plugin } from 'vite';
import { HttpError, readBody, sendError, sendJson } from './http';
import { createPlaygroundProvider, OIDC_MOUNT, type PlaygroundProvider } from './oidc-provider';

/** What the OpenID Connect page's API received: the notes, with who sent them. */
interface Note {
  sub: string;
  text: string;
  at: number;
}

/**
 * A Vite plugin that mounts a real OpenID Provider (oidc-provider, with its development login
 * and consent pages) at `/idp` on the dev and preview servers, and a small API at `/oidc-api`
 * that accepts its (opaque) access tokens: `POST /oidc-api/notes`, `GET /oidc-api/me`, and for
 * the page and the tests `GET /oidc-api/log`, `POST /oidc-api/settings { accessTtlSeconds }`.
 * Same origin as the page: no CORS. The provider is made at the first request, for the origin
 * it came to (the port is known then).
 */
export function oidcProviderPlugin(options: { accessTtlSeconds?: number } = {}): Plugin {
  const mount = (middlewares: Connect.Server) => {
    let accessTtl = options.accessTtlSeconds ?? 60;
    let provider: Promise<PlaygroundProvider> | null = null;
    const notes: Note[] = [];
    const get = (req: IncomingMessage) => {
      provider ??= createPlaygroundProvider(`http://${req.headers.host}`, () => accessTtl);
      return provider;
    };
    middlewares.use(OIDC_MOUNT, (req, res, next) => {
      get(req).then(({ handler }) => handler(req, res), next);
    });
    middlewares.use('/oidc-api', (req, res) => {
      api(req, res).catch((error: unknown) => {
        if (error instanceof HttpError) sendError(res, error);
        else sendJson(res, 500, { error: 'server_error', error_description: String(error) });
      });
    });

    const subject = async (req: IncomingMessage) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const sub = token ? await (await get(req)).subjectOf(token) : null;
      if (!sub) {
        throw new HttpError(401, 'invalid_token', 'No valid access token', {
          'WWW-Authenticate': 'Bearer error="invalid_token"',
        });
      }
      return sub;
    };

    const api = async (req: IncomingMessage, res: ServerResponse) => {
      const route = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
      if (route === 'GET /me') return sendJson(res, 200, { sub: await subject(req) });
      if (route === 'POST /notes') {
        const sub = await subject(req);
        const { text } = JSON.parse((await readBody(req)).toString() || '{}') as { text?: unknown };
        const note = { sub, text: String(text ?? ''), at: Date.now() };
        notes.push(note);
        return sendJson(res, 201, note);
      }
      if (route === 'GET /log') {
        const { log } = await get(req);
        return sendJson(res, 200, { ...log, notes, accessTtlSeconds: accessTtl });
      }
      if (route === 'POST /settings') {
        const body = JSON.parse((await readBody(req)).toString() || '{}') as Record<
          string,
          unknown
        >;
        const ttl = Number(body.accessTtlSeconds);
        if (!(ttl >= 5 && ttl <= 3600)) throw new HttpError(400, 'invalid_request', '5 to 3600 s');
        accessTtl = ttl;
        return sendJson(res, 200, { accessTtlSeconds: accessTtl });
      }
      throw new HttpError(404, 'not_found', route);
    };
  };
  return {
    name: 'sessionkeeper-oidc-provider',
    configureServer(server) {
      mount(server.middlewares);
      // After Vite's own lines: where the OpenID Connect page is.
      server.httpServer?.once('listening', () => {
        const address = server.httpServer?.address();
        if (address === null || typeof address !== 'object') return;
        setTimeout(() => {
          server.config.logger.info(
            `  ➜  OpenID Connect: http://127.0.0.1:${address.port}/oidc.html (oidc-provider at /idp)`,
          );
        }, 0);
      });
    },
    configurePreviewServer: (server) => mount(server.middlewares),
  };
}
