import { HttpError, readParams, sendJson } from './http';
import { configSchema, failSchema, revokeSchema, validate } from './schemas';
import type { RouteContext } from './types';
import { findUser } from './users';

type ControlRoute = (ctx: RouteContext) => Promise<void>;

const routes: Record<string, { method: string; run: ControlRoute }> = {
  /** `GET /mock/state`: config, counters, refresh log, sessions, pending failures. */
  state: {
    method: 'GET',
    run: async (ctx) => sendJson(ctx.res, 200, ctx.state.snapshot()),
  },
  /** `POST /mock/config` `{ accessTtlSeconds?, refreshTtlSeconds?, latencyMs? }`. */
  config: {
    method: 'POST',
    run: async (ctx) => {
      const patch = validate(configSchema, await readParams(ctx.req));
      sendJson(ctx.res, 200, ctx.state.setConfig(patch));
    },
  },
  /** `POST /mock/revoke` `{ username }`: revoke every session of that user. */
  revoke: {
    method: 'POST',
    run: async (ctx) => {
      const { username } = validate(revokeSchema, await readParams(ctx.req));
      if (findUser(username) === undefined) {
        throw new HttpError(400, 'invalid_request', `Unknown user "${username}"`);
      }
      sendJson(ctx.res, 200, { revoked: ctx.state.revokeUser(username) });
    },
  },
  /**
   * `POST /mock/invalidate-access` `{ username }`: refuse the user's access tokens issued so far
   * (their sessions and refresh tokens stay valid).
   */
  'invalidate-access': {
    method: 'POST',
    run: async (ctx) => {
      const { username } = validate(revokeSchema, await readParams(ctx.req));
      if (findUser(username) === undefined) {
        throw new HttpError(400, 'invalid_request', `Unknown user "${username}"`);
      }
      sendJson(ctx.res, 200, { invalidated: ctx.state.invalidateAccessTokens(username) });
    },
  },
  /** `POST /mock/fail-next-refresh` `{ kind, count? }`. */
  'fail-next-refresh': {
    method: 'POST',
    run: async (ctx) => {
      const { kind, count } = validate(failSchema, await readParams(ctx.req));
      ctx.state.failNextRefresh(kind, count ?? 1);
      sendJson(ctx.res, 200, { pendingFailures: ctx.state.snapshot().pendingFailures });
    },
  },
  /** `POST /mock/reset`: sessions, counters, failures and config back to the start. */
  reset: {
    method: 'POST',
    run: async (ctx) => {
      await readParams(ctx.req);
      ctx.state.reset();
      sendJson(ctx.res, 200, ctx.state.snapshot());
    },
  },
};

/** Dispatch `/mock/<name>` (never delayed by `latencyMs`). */
export async function handleControl(ctx: RouteContext, name: string): Promise<void> {
  const route = Object.hasOwn(routes, name) ? routes[name] : undefined;
  if (route === undefined) throw new HttpError(404, 'not_found', `No route ${ctx.url.pathname}`);
  if (ctx.req.method !== route.method) {
    throw new HttpError(405, 'method_not_allowed', `Use ${route.method}`, { Allow: route.method });
  }
  await route.run(ctx);
}
