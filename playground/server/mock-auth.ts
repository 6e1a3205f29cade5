import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleApi } from './api-routes';
import { handleAuth } from './auth-routes';
import { handleControl } from './control-routes';
import { HttpError, isLoopback, sendError } from './http';
import { MockAuthState } from './state';
import type { MockAuthOptions, RouteContext } from './types';

/** A connect-style `next` (Vite's middleware stack passes one). */
export type NextFunction = (err?: unknown) => void;

/** A request handler usable as Vite (connect) middleware and as a `node:http` listener. */
export interface MockAuthHandler {
  (req: IncomingMessage, res: ServerResponse, next?: NextFunction): void;
  /** The live state: config, counters, sessions. Tests may read and change it directly. */
  readonly state: MockAuthState;
  /** Cancel pending delays (latency, `/api/slow`); later requests are still served. */
  close(): void;
}

type Area = (ctx: RouteContext, action: string) => Promise<void>;

const AREAS: Record<string, Area> = { auth: handleAuth, api: handleApi, mock: handleControl };

/**
 * Create the mock auth server's request handler: `/auth/*` (token endpoint), `/api/*`
 * (protected resources), `/mock/*` (controls). Other paths go to `next()` (or a 404 JSON when
 * there is none). Only loopback clients are served; nothing is logged.
 * @example
 * const auth = createMockAuth({ accessTtlSeconds: 60 });
 * http.createServer(auth).listen(0, '127.0.0.1');
 */
export function createMockAuth(options: MockAuthOptions = {}): MockAuthHandler {
  const state = new MockAuthState(options);
  // Each pending delay's finisher, so `close()` can cancel them all.
  const pending = new Set<(alive: boolean) => void>();

  const delayFor = (res: ServerResponse) => (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (ms <= 0) {
        resolve(!res.destroyed);
        return;
      }
      const finish = (alive: boolean) => {
        clearTimeout(timer);
        pending.delete(finish);
        res.off('close', onClose);
        resolve(alive);
      };
      const onClose = () => finish(false);
      const timer = setTimeout(() => finish(!res.destroyed), ms);
      pending.add(finish);
      res.on('close', onClose);
    });

  async function serve(req: IncomingMessage, res: ServerResponse, area: Area, action: string) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ctx: RouteContext = { req, res, url, state, delay: delayFor(res) };
    try {
      if (!isLoopback(req.socket.remoteAddress)) {
        throw new HttpError(403, 'access_denied', 'The mock auth server serves loopback only');
      }
      if (area !== handleControl && !(await ctx.delay(state.config.latencyMs))) return;
      await area(ctx, action);
    } catch (err) {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      sendError(
        res,
        err instanceof HttpError ? err : new HttpError(500, 'server_error', 'Unexpected error'),
      );
    }
  }

  const handler = (req: IncomingMessage, res: ServerResponse, next?: NextFunction) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const [, first = '', action = '', ...rest] = path.split('/');
    const area = Object.hasOwn(AREAS, first) ? AREAS[first] : undefined;
    if (area === undefined) {
      if (next) next();
      else sendError(res, new HttpError(404, 'not_found', `No route ${path}`));
      return;
    }
    // `/auth/login/x` and `/auth/login/` are unknown routes, not `login`.
    void serve(req, res, area, rest.length > 0 ? `${action}/${rest.join('/')}` : action);
  };

  return Object.assign(handler, {
    state,
    close() {
      for (const finish of [...pending]) finish(false);
    },
  });
}
